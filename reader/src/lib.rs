//! The document reader module's exports. The caller (the native run, in
//! `src/web/mrz.rs`) asks [`frame`] for a buffer, writes an RGBA frame into
//! it, calls [`survey`], and for a valid read takes the fields' JSON from
//! [`fields`] and [`fields_len`]; [`outline`] gives the document's corners. One caller at a time: a page's elements
//! share one instance, and wasm runs them one after the other.

// What the reader does not call of the component's modules.
#![allow(dead_code)]

#[path = "../../src/core/document.rs"]
mod document;
#[path = "../../src/core/mrz.rs"]
mod mrz;
#[path = "../../src/core/ocrb.rs"]
mod ocrb;
#[path = "../../src/core/ocrb_glyphs.rs"]
mod ocrb_glyphs;

use std::cell::RefCell;

use document::{survey_rgba, Zone};
use mrz::Date;

/// The frame buffer, the last valid read's fields and the last outline.
#[derive(Default)]
struct State {
    frame: Vec<u8>,
    fields: String,
    /// Top-left, top-right, bottom-right, bottom-left, x then y, in the frame's pixels.
    outline: Option<[f32; 8]>,
}

thread_local! {
    static STATE: RefCell<State> = RefCell::new(State::default());
}

/// A buffer of at least `len` bytes for the next frame (kept between calls:
/// a frame of the same size allocates nothing). Its address stays valid until
/// the next call of `frame`.
#[no_mangle]
pub extern "C" fn frame(len: usize) -> *mut u8 {
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        if s.frame.len() < len {
            s.frame.resize(len, 0);
        }
        s.frame.as_mut_ptr()
    })
}

/// Surveys the `width × height` RGBA frame in the buffer as of the day `day`
/// (days since 1 January 1970, in the page's time zone): [`Zone::code`] (0
/// absent, 1 unreadable, 2 valid, +4 a card's back, +8 expired). A frame
/// larger than the buffer, or a day out of range, is 0.
#[no_mangle]
pub extern "C" fn survey(width: usize, height: usize, day: i32) -> u32 {
    let today = Date::from_unix_days(i64::from(day));
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let len = width.checked_mul(height).and_then(|p| p.checked_mul(4));
        s.outline = None;
        let (Some(today), Some(len)) = (today, len) else {
            return 0;
        };
        let Some(rgba) = s.frame.get(..len) else {
            return 0;
        };
        let found = survey_rgba(rgba, width, height, today);
        s.fields = match &found.zone {
            Zone::Valid(read) => read.fields.clone(),
            _ => String::new(),
        };
        s.outline = found.outline.map(|o| {
            let [a, b, c, d] = o.corners;
            [a.0, a.1, b.0, b.1, c.0, c.1, d.0, d.1]
        });
        found.zone.code()
    })
}

/// The last valid read's fields, as JSON (UTF-8, [`fields_len`] bytes).
#[no_mangle]
pub extern "C" fn fields() -> *const u8 {
    STATE.with(|s| s.borrow().fields.as_ptr())
}

/// How many bytes [`fields`] holds.
#[no_mangle]
pub extern "C" fn fields_len() -> usize {
    STATE.with(|s| s.borrow().fields.len())
}

/// The last surveyed frame's document outline: eight `f32`s (the corners
/// top-left, top-right, bottom-right, bottom-left, each x then y, in the
/// frame's pixels), or 0 when none stood out.
#[no_mangle]
pub extern "C" fn outline() -> *const f32 {
    STATE.with(|s| {
        s.borrow()
            .outline
            .as_ref()
            .map_or(std::ptr::null(), |corners| corners.as_ptr())
    })
}
