//! `videoid-capture`: the browser capture component for identity verification
//! with Signicat VideoID (Assure API).
//!
//! - [`core`]: every decision (configuration, flow, failures, protocol), pure Rust.
//! - `web` (wasm only): thin adapters over `web-sys` that carry out the flow's effects.
//! - `ui` (wasm only): draws the flow's [`core::flow::Screen`] into the element.
//!
//! The `#[wasm_bindgen]` surface is [`CaptureHandle`], which the package's
//! custom-element class drives.
#![deny(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(target_arch = "wasm32")]
pub use web::handle::CaptureHandle;
#[cfg(target_arch = "wasm32")]
pub use web::media;
