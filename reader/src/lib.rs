//! The document reader module's exports. The caller (the native run, in
//! `src/web/mrz.rs`) asks [`frame`] for a buffer, writes an RGBA frame into
//! it, calls [`survey`], and for a valid read takes the fields' JSON from
//! [`fields`] and [`fields_len`]. One caller at a time: a page's elements
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

/// The frame buffer, and the last valid read's fields.
#[derive(Default)]
struct State {
    frame: Vec<u8>,
    fields: String,
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

/// Surveys the `width × height` RGBA frame in the buffer as of `year-month-day`:
/// [`Zone::code`] (0 absent, 1 unreadable, 2 valid, +4 a card's back, +8
/// expired). A frame larger than the buffer, or a day that is no date, is 0.
#[no_mangle]
pub extern "C" fn survey(width: usize, height: usize, year: u32, month: u32, day: u32) -> u32 {
    let today = match (u16::try_from(year), u8::try_from(month), u8::try_from(day)) {
        (Ok(y), Ok(m), Ok(d)) => Date::new(y, m, d).ok(),
        _ => None,
    };
    STATE.with(|s| {
        let mut s = s.borrow_mut();
        let len = width.checked_mul(height).and_then(|p| p.checked_mul(4));
        let (Some(today), Some(len)) = (today, len) else {
            return 0;
        };
        let Some(rgba) = s.frame.get(..len) else {
            return 0;
        };
        let zone = survey_rgba(rgba, width, height, today);
        s.fields = match &zone {
            Zone::Valid(read) => read.fields.clone(),
            _ => String::new(),
        };
        zone.code()
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
