//! Thin browser adapters: each carries out one kind of flow effect through
//! `web-sys` and turns JS errors into [`crate::core::failure::Failure`]s at
//! the boundary. No decisions here; those live in [`crate::core`].

pub mod handle;
pub mod media;

mod backend;
pub(crate) mod chunk;
mod events;
mod frame;
mod i18n;
mod native;
mod props;
mod sdk;
mod stage;
mod storage;
mod timers;
mod upload;

/// The window, when the code runs in one.
fn window() -> Option<web_sys::Window> {
    web_sys::window()
}
