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

/// Entry points for `npm run bench` (built with `--features bench` into a
/// separate directory; the published package does not contain them).
#[cfg(all(target_arch = "wasm32", feature = "bench"))]
pub mod bench {
    use crate::core::quality::{Analyzer, Subject, Thresholds};
    use wasm_bindgen::prelude::wasm_bindgen;

    /// Analyses `rounds` times an RGBA frame (alternating with `other` so the
    /// stability check sees a change); returns the verdicts' count of `good`.
    #[wasm_bindgen]
    pub fn bench_analyze(rgba: &[u8], other: &[u8], width: usize, height: usize, rounds: u32) -> u32 {
        let mut analyzer = Analyzer::new();
        let t = Thresholds::default();
        let mut good = 0;
        for i in 0..rounds {
            let frame = if i % 2 == 0 { rgba } else { other };
            if let Some(r) = analyzer.analyze_rgba(frame, width, height, Subject::Document, &t) {
                good += u32::from(r.verdict == crate::core::quality::Verdict::Good);
            }
        }
        good
    }
}
