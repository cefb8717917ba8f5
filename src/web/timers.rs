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

/// The flow's timers of one element: at most one of each kind, each feeding
/// [`Input::TimerFired`](crate::core::flow::Input::TimerFired) when it runs out.
pub struct FlowTimers {
    sender: super::sender::Sender,
    running: std::cell::RefCell<Vec<(crate::core::flow::Timer, Timer)>>,
}

impl FlowTimers {
    /// No timers yet; they report to `sender`.
    pub fn new(sender: super::sender::Sender) -> FlowTimers {
        FlowTimers {
            sender,
            running: Default::default(),
        }
    }

    /// (Re)starts `timer` for `attempt`: the one of its kind before is cleared.
    pub fn start(&self, attempt: u32, timer: crate::core::flow::Timer, ms: u32) {
        let sender = self.sender.clone();
        let fire = move || {
            sender.send(crate::core::flow::Input::TimerFired { attempt, timer });
        };
        let mut running = self.running.borrow_mut();
        running.retain(|(kind, _)| *kind != timer);
        if let Some(t) = Timer::once(ms, fire) {
            running.push((timer, t));
        }
    }

    /// Clears `timer`.
    pub fn clear(&self, timer: crate::core::flow::Timer) {
        self.running.borrow_mut().retain(|(kind, _)| *kind != timer);
    }

    /// Clears every timer.
    pub fn clear_all(&self) {
        self.running.borrow_mut().clear();
    }
}
