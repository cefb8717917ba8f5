//! `setTimeout` / `setInterval` that are cleared when dropped.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A pending `setTimeout` or `setInterval`; dropping it clears it.
pub struct Timer {
    id: i32,
    interval: bool,
    _callback: Closure<dyn FnMut()>,
}

impl Timer {
    /// Calls `f` once after `ms` milliseconds.
    pub fn once(ms: u32, f: impl FnMut() + 'static) -> Option<Timer> {
        Timer::new(ms, false, Box::new(f))
    }

    /// Calls `f` every `ms` milliseconds.
    pub fn every(ms: u32, f: impl FnMut() + 'static) -> Option<Timer> {
        Timer::new(ms, true, Box::new(f))
    }

    // One copy for every kind of callback: the boxed closure is wrapped as is.
    fn new(ms: u32, interval: bool, f: Box<dyn FnMut()>) -> Option<Timer> {
        let window = super::window()?;
        let callback = Closure::<dyn FnMut()>::wrap(f);
        let function = callback.as_ref().unchecked_ref();
        let ms = i32::try_from(ms).unwrap_or(i32::MAX);
        let id = if interval {
            window.set_interval_with_callback_and_timeout_and_arguments_0(function, ms)
        } else {
            window.set_timeout_with_callback_and_timeout_and_arguments_0(function, ms)
        }
        .ok()?;
        Some(Timer {
            id,
            interval,
            _callback: callback,
        })
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some(window) = super::window() {
            if self.interval {
                window.clear_interval_with_handle(self.id);
            } else {
                window.clear_timeout_with_handle(self.id);
            }
        }
    }
}
