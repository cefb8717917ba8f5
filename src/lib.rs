//! `videoid-capture`: the browser capture component for identity verification
//! with Signicat VideoID (Assure API).
//!
//! - [`core`]: every decision (configuration, flow, failures, protocol), pure Rust.
//! - `web` (wasm only): thin adapters over `web-sys` and `gloo-net` that carry
//!   out the flow's effects.
//! - `ui` (wasm only): Yew function components that render the flow's
//!   [`core::flow::Screen`] and send its inputs.
//!
//! The `#[wasm_bindgen]` surface is [`CaptureHandle`], which the package's
//! custom-element class drives.
#![deny(missing_docs)]

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;

#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// Runs `future` on the page's event loop. Boxed, so the executor's glue is
/// compiled once for every future instead of once per future type.
#[cfg(target_arch = "wasm32")]
pub(crate) fn spawn(future: impl std::future::Future<Output = ()> + 'static) {
    let future: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>> = Box::pin(future);
    wasm_bindgen_futures::spawn_local(future);
}

#[cfg(target_arch = "wasm32")]
pub use web::handle::CaptureHandle;
#[cfg(target_arch = "wasm32")]
pub use web::media;

/// Entry points for `npm run bench` (built with `--features bench` into a
/// separate directory; the published package does not contain them).
#[cfg(all(target_arch = "wasm32", feature = "bench"))]
pub mod bench {
    use crate::core::quality::{Analyzer, Subject, Thresholds, Verdict};
    use wasm_bindgen::prelude::wasm_bindgen;

    /// Reads the machine-readable zone in a grayscale image (`width × height`
    /// bytes): its lines joined by newlines when every check passes, else `None`.
    /// Dates are judged against 7 December 2026, as in the native bench.
    #[wasm_bindgen]
    pub fn read_mrz(pixels: &[u8], width: usize, height: usize) -> Option<String> {
        let image = crate::core::ocrb::Gray::new(width, height, pixels)?;
        let today = crate::core::mrz::Date::new(2026, 12, 7).ok()?;
        crate::core::ocrb::read(&image, today)
            .ok()
            .map(|r| r.lines.join("\n"))
    }

    /// Finds the document in a grayscale frame and reads its zone, the document
    /// taken as an ID-1 card (`id1`) or an ID-3 page: the zone's lines joined by
    /// newlines when every check passes, else `None`.
    #[wasm_bindgen]
    pub fn locate_and_read(
        pixels: &[u8],
        width: usize,
        height: usize,
        id1: bool,
    ) -> Option<String> {
        use crate::core::document::{locate, read_zone, Shape};
        let image = crate::core::ocrb::Gray::new(width, height, pixels)?;
        let today = crate::core::mrz::Date::new(2026, 12, 7).ok()?;
        let shape = if id1 { Shape::Id1 } else { Shape::Id3 };
        let outline = locate(&image)?;
        read_zone(&image, &outline.corners, shape, today)
            .ok()
            .map(|r| r.lines.join("\n"))
    }

    /// Two RGBA frames kept in wasm memory, analysed in turn (so the
    /// stability check sees a change), exactly as the live path analyses.
    #[wasm_bindgen]
    pub struct QualityBench {
        frames: [Vec<u8>; 2],
        width: usize,
        height: usize,
        analyzer: Analyzer,
    }

    #[wasm_bindgen]
    impl QualityBench {
        /// Copies the two frames in once.
        #[wasm_bindgen(constructor)]
        pub fn new(a: &[u8], b: &[u8], width: usize, height: usize) -> QualityBench {
            QualityBench {
                frames: [a.to_vec(), b.to_vec()],
                width,
                height,
                analyzer: Analyzer::new(),
            }
        }

        /// Analyses `rounds` frames; returns how many were judged good.
        pub fn run(&mut self, rounds: u32) -> u32 {
            let t = Thresholds::default();
            let mut good = 0;
            for i in 0..rounds as usize {
                let frame = &self.frames[i % 2];
                let report = self.analyzer.analyze_rgba(
                    frame,
                    self.width,
                    self.height,
                    Subject::Document,
                    &t,
                );
                good += u32::from(report.is_some_and(|r| r.verdict == Verdict::Good));
            }
            good
        }
    }
}
