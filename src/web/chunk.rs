//! Lazily loaded wasm chunks: code the page only downloads when a capture
//! needs it.
//!
//! The build (`scripts/split-wasm.mjs`, manifest `scripts/chunks.json`) cuts
//! the functions that the base code reaches only through the function table,
//! and whose names match a chunk's patterns, out of `videoid_capture_bg.wasm`
//! into `videoid_capture_<name>.wasm`. The element shell's `loadChunk(name)`
//! fetches and instantiates such a file against the base instance (same
//! memory, same table), which fills the chunk's table slots.
//!
//! How a piece of code becomes a chunk:
//! 1. the base code awaits [`load`] for the chunk first;
//! 2. then it calls the chunk's entry only through [`enter`], so that neither
//!    LLVM nor wasm-opt can turn the call into a direct one (a direct call
//!    would pull the entry, and everything it calls, back into the base; the
//!    build fails when a chunk's entry is not in its chunk).
//!
//! Chunk code may only be reached after [`load`] succeeded: until then its
//! table slots are empty, and a call through one traps (a wasm
//! `RuntimeError`, which aborts the whole instance — the build leaves no
//! placeholders that would load the chunk on demand).
//!
//! To cut a run out into chunk `x`:
//! - its code lives under module paths no base code shares (say
//!   `videoid_capture::web::native::` and `videoid_capture::core::native::`),
//!   and the base calls into it only through `enter(entry)` after
//!   `load(.., Chunk::X)`; the base must not itself make closures or trait
//!   objects of the run's types (their shims match the patterns, so they go
//!   to the chunk and trap before it is loaded);
//! - `scripts/chunks.json`: `"x": { "patterns": [those paths], "entries":
//!   [the entry's name as v0 demangling prints it, crate hashes removed,
//!   e.g. `videoid_capture::web::native::run` or `<videoid_capture::core::qr::QrCode>::encode`] }`;
//! - `pkg-config/videoid-capture.js`: `x: () => new URL("./videoid_capture_x.wasm", import.meta.url)`
//!   in `CHUNKS` (and the mode that needs it in the prefetch on connect);
//! - `pkg-config/package.json`: `videoid_capture_x.wasm` in `files`.
//!
//! `SPLIT_WASM_LIST=1 node scripts/split-wasm.mjs scripts/chunks.json
//! target/pkg-stage/named.wasm /tmp …` (after a build) lists what each chunk took.

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::core::failure::Failure;
use crate::core::flow::Chunk;

/// Loads `chunk` through the shell's loader (`loadChunk(name)`, a function
/// returning a Promise; the shell fetches each chunk once per page). A
/// missing loader, a throw or a rejection is [`Failure::NetworkUnreachable`]
/// (recoverable: the shell forgets a failed load, so a retry fetches again).
pub async fn load(loader: Option<&Function>, chunk: Chunk) -> Result<(), Failure> {
    load_named(loader, chunk.name()).await.map(drop)
}

/// Loads `name` through the same loader, and what the loader resolved to: for
/// a module of its own (the document reader, `mrz`), the instance's exports.
pub async fn load_named(loader: Option<&Function>, name: &str) -> Result<JsValue, Failure> {
    let loader = loader.ok_or(Failure::NetworkUnreachable)?;
    let pending = loader
        .call1(&JsValue::NULL, &JsValue::from_str(name))
        .map_err(|_| Failure::NetworkUnreachable)?;
    JsFuture::from(Promise::resolve(&pending))
        .await
        .map_err(|_| Failure::NetworkUnreachable)
}

/// Calls a chunk's `entry` through an opaque function pointer, so the call
/// stays indirect in the built wasm and `entry` can live in its chunk.
///
/// Only call it after [`load`] of `entry`'s chunk succeeded: before that the
/// call traps. `entry` must be a plain function whose path matches its
/// chunk's patterns in `scripts/chunks.json`, and be named there as the
/// chunk's entry.
#[inline(always)]
pub fn enter<T>(entry: fn() -> T) -> T {
    core::hint::black_box(entry)()
}
