//! The component's decisions, in pure Rust: configuration, the capture flow,
//! failures, the message protocol and the backend contract. No `web_sys`
//! here; everything is tested natively with `cargo test`.

pub mod config;
pub mod contract;
pub mod failure;
pub mod flow;
pub mod i18n;
pub mod native;
pub mod origin;
pub mod protocol;
pub mod qr;
pub mod quality;
pub mod sdk;
