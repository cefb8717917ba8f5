//! One export that uses all of document reading, so that the linker keeps
//! exactly what a chunk holding it would: the size probe of `npm run bench`.
//! The modules are the component's own files (src/core), compiled here
//! without the rest of the crate.

// What the probe does not call of those modules.
#![allow(dead_code)]

#[path = "../../../src/core/document.rs"]
mod document;
#[path = "../../../src/core/mrz.rs"]
mod mrz;
#[path = "../../../src/core/ocrb.rs"]
mod ocrb;
#[path = "../../../src/core/ocrb_glyphs.rs"]
mod ocrb_glyphs;

use document::{locate, read_zone, Shape};
use mrz::Date;
use ocrb::Gray;

/// Memory for a frame of `len` bytes, for the caller to fill.
#[no_mangle]
pub extern "C" fn frame_buffer(len: usize) -> *mut u8 {
    let mut buffer = vec![0u8; len];
    let at = buffer.as_mut_ptr();
    std::mem::forget(buffer);
    at
}

/// Locates the document in the `width × height` frame at `pixels` and reads
/// its zone: 1 when every check passes.
///
/// # Safety
/// `pixels` must point at `width × height` readable bytes.
#[no_mangle]
pub unsafe extern "C" fn read_frame(
    pixels: *const u8,
    width: usize,
    height: usize,
    id1: u32,
) -> u32 {
    let Some(len) = width.checked_mul(height) else {
        return 0;
    };
    let frame = unsafe { std::slice::from_raw_parts(pixels, len) };
    let (Some(image), Ok(today)) = (Gray::new(width, height, frame), Date::new(2026, 12, 7)) else {
        return 0;
    };
    let shape = if id1 == 1 { Shape::Id1 } else { Shape::Id3 };
    let read = locate(&image).and_then(|o| read_zone(&image, &o.corners, shape, today).ok());
    u32::from(read.is_some())
}
