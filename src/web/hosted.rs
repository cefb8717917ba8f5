//! The hosted run's executor: the capture page in the element's frame, in a
//! popup, or by a full-page redirect; and the messages that come back from
//! them (the return helper's `return`, the capture page's `activity`).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use web_sys::{Element, MessageEvent};

use super::frame::{Frame, Popup};
use super::props::from_js;
use super::sender::Sender;
use super::storage;
use super::timers::Timer;
use crate::core::flow::Input;
use crate::core::origin::Origin;
use crate::core::protocol::{Inbound, RawMessage, ResumeRecord, VERSION};

/// What the hosted run shows, and where its inputs go.
struct Hosted {
    sender: Sender,
    stage: Element,
    /// The frame and the attempt it shows.
    frame: RefCell<Option<(u32, Frame)>>,
    /// The popup, the attempt it shows and the watch for its closing.
    popup: RefCell<Option<(u32, Popup, Timer)>>,
}

/// Carries out the hosted run's effects for one element.
pub struct HostedExecutor(Rc<Hosted>);

/// The page's own origin.
pub fn page_origin() -> Option<Origin> {
    Origin::parse(&super::window()?.location().origin().ok()?).ok()
}

impl HostedExecutor {
    /// An executor that shows frames in `stage` and reports to `sender`.
    pub fn new(sender: Sender, stage: Element) -> HostedExecutor {
        HostedExecutor(Rc::new(Hosted {
            sender,
            stage,
            frame: RefCell::new(None),
            popup: RefCell::new(None),
        }))
    }

    /// Shows `url` in the frame for `attempt`; its `load` (and a same-origin
    /// return found then) is fed back.
    pub fn show_frame(&self, attempt: u32, url: &str, origin: &str, title: &str) {
        let weak = Rc::downgrade(&self.0);
        let on_load = move || {
            let Some(this) = weak.upgrade() else { return };
            let back = this
                .frame
                .borrow()
                .as_ref()
                .and_then(|(_, f)| f.same_origin_return());
            this.sender.send(Input::FrameLoaded { attempt });
            if let Some(params) = back {
                this.sender.send(Input::Returned { attempt, params });
            }
        };
        let sender = self.0.sender.clone();
        let on_used = move || sender.send(Input::FrameUsed { attempt });
        let frame = Frame::show(&self.0.stage, url, origin, title, on_load, on_used);
        *self.0.frame.borrow_mut() = frame.map(|f| (attempt, f));
    }

    /// Removes the frame.
    pub fn remove_frame(&self) {
        self.0.frame.borrow_mut().take();
    }

    /// Opens `url` in a popup for `attempt`, watched for its closing; a
    /// refused popup is fed back.
    pub fn open_popup(&self, attempt: u32, url: &str, origin: &str) {
        let Some(popup) = Popup::open(url, origin) else {
            return self.0.sender.send(Input::PopupBlocked { attempt });
        };
        let weak = Rc::downgrade(&self.0);
        let watch = Timer::every(500, move || {
            let Some(this) = weak.upgrade() else { return };
            let closed = this
                .popup
                .borrow()
                .as_ref()
                .is_some_and(|(_, p, _)| p.is_closed());
            if closed {
                this.sender.send(Input::PopupClosed { attempt });
            }
        });
        if let Some(watch) = watch {
            *self.0.popup.borrow_mut() = Some((attempt, popup, watch));
        }
    }

    /// Closes the popup if it is open.
    pub fn close_popup(&self) {
        self.0.popup.borrow_mut().take();
    }

    /// Leaves the page for `url`, keeping what the page needs to resume on return.
    pub fn redirect(&self, url: &str, dossier_id: String) {
        if let Some(window) = super::window() {
            let return_to = window.location().href().unwrap_or_default();
            storage::save_resume(&ResumeRecord {
                v: VERSION,
                dossier_id,
                return_to,
            });
            let _ = window.location().assign(url);
        }
    }

    /// Moves focus into the frame; false when there is none.
    pub fn focus_frame(&self) -> bool {
        match self.0.frame.borrow().as_ref() {
            Some((_, frame)) => {
                frame.focus();
                true
            }
            None => false,
        }
    }

    /// Whether a frame shows.
    pub fn has_frame(&self) -> bool {
        self.0.frame.borrow().is_some()
    }

    /// Removes the frame and closes the popup.
    pub fn release(&self) {
        self.remove_frame();
        self.close_popup();
    }

    /// A `message` on the window: a return or sign of life from our own
    /// frame or popup (checked by source and origin), else nothing.
    pub fn on_message(&self, event: &MessageEvent) {
        let Some(raw) = from_js::<RawMessage>(event.data()) else {
            return;
        };
        let Some(inbound) = raw.parse() else { return };
        let Some(source) = event.source().map(JsValue::from) else {
            return;
        };
        let from_frame = self
            .0
            .frame
            .borrow()
            .as_ref()
            .map(|(a, f)| (f.is_source(&source), f.origin().to_string(), *a));
        let from_popup = self
            .0
            .popup
            .borrow()
            .as_ref()
            .map(|(a, p, _)| (p.is_source(&source), p.origin().to_string(), *a));
        let Some((capture_origin, attempt)) = [from_frame, from_popup]
            .into_iter()
            .flatten()
            .find_map(|(is_source, origin, attempt)| is_source.then_some((origin, attempt)))
        else {
            return; // not from our own frame or popup
        };
        let origin = event.origin();
        let page_origin = page_origin().map(|o| o.to_string());
        match inbound {
            // The return page lives on the host's own origin.
            Inbound::Return(params) if Some(&origin) == page_origin.as_ref() => {
                self.0.sender.send(Input::Returned { attempt, params })
            }
            // The capture page speaks: it was framed, and it is in use.
            Inbound::Activity if origin == capture_origin => {
                self.0.sender.send(Input::FrameUsed { attempt });
                self.0.sender.send(Input::Activity { attempt })
            }
            _ => {}
        }
    }
}
