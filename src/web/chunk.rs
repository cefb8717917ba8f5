//! Lazily loaded parts of the wasm. In the package, each run beyond the
//! hosted one is a separate wasm file that the build cuts out of this
//! module; the element's shell fetches it (`loadChunk`, after a prefetch on
//! connect) and instantiates it against this instance. Until that is done,
//! no code of the chunk may run: the handle reaches a chunk only through
//! [`enter`], after [`load`] succeeded.

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use crate::core::failure::Failure;
use crate::core::flow::Chunk;

/// Has the shell's `loader` fetch and instantiate `chunk`; a failure (the
/// network, a refused file) is `Network.Unreachable`, and a later call
/// fetches again. Without a loader (a build that is not split, such as the
/// tests'), every chunk is here already.
pub async fn load(loader: Option<&Function>, chunk: Chunk) -> Result<(), Failure> {
    let Some(loader) = loader else {
        return Ok(());
    };
    let promise = loader
        .call1(&JsValue::NULL, &JsValue::from_str(chunk.name()))
        .map_err(|_| Failure::NetworkUnreachable)?;
    JsFuture::from(Promise::resolve(&promise))
        .await
        .map(drop)
        .map_err(|_| Failure::NetworkUnreachable)
}

/// Calls `entry` through a pointer the optimizer cannot follow, so the
/// build finds the chunk's code reachable only from here and cuts it out.
pub fn enter<T>(entry: fn() -> T) -> T {
    std::hint::black_box(entry)()
}
