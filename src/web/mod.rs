//! Thin browser adapters: each carries out one kind of flow effect through
//! `web-sys` and turns JS errors into [`crate::core::failure::Failure`]s at
//! the boundary. No decisions here; those live in [`crate::core`].
//!
//! [`handle`] feeds the flow and hands each effect to its executor: backend
//! calls, timers, events and the hosted page here; the native, SDK and
//! handoff runs each in their own module, reached through [`run::Executor`]
//! once their chunk is there ([`chunk`]). Executors report back through a
//! [`sender::Sender`], so none of them imports the handle.

pub mod handle;
pub mod media;

mod backend;
mod chunk;
mod events;
mod frame;
mod handoff;
mod hosted;
mod i18n;
mod mrz;
mod native;
mod props;
mod run;
mod sdk;
mod sender;
mod stage;
mod storage;
mod timers;
mod upload;

/// The window, when the code runs in one.
fn window() -> Option<web_sys::Window> {
    web_sys::window()
}
