//! What a run's executor is to the handle. Each run beyond the hosted one
//! (native, SDK, handoff) has one, in its own module and chunk: it carries out
//! the run's effects, owns what they create (camera, SDK, clipboard writes)
//! and releases it all at once. The handle reaches it only through
//! [`Executor`], made by the [`Entry`] its chunk hands over.

use std::rc::Rc;

use web_sys::{Element, File, HtmlElement};

use super::media::MediaAccess;
use super::sender::Sender;
use crate::core::flow::Kit;
use crate::core::i18n::Texts;
use crate::core::native::NativeEffect;
use crate::core::sdk::SdkEffect;

/// What an executor may use of its element.
#[derive(Clone)]
pub struct Ctx {
    /// Where its inputs go.
    pub sender: Sender,
    /// The element (events, light-DOM children).
    pub host: HtmlElement,
    /// The stage in the shadow root (preview, review, slots).
    pub stage: Element,
    /// Camera and microphone.
    pub media: Rc<dyn MediaAccess>,
    /// The shell's chunk loader (for a chunk a run loads itself, such as `mrz`).
    pub chunks: Option<js_sys::Function>,
    /// Shows an upload's progress (0.0–1.0) on the progress bar.
    pub progress: Rc<dyn Fn(f64)>,
}

/// An effect for a run's executor.
#[derive(Debug)]
pub enum RunEffect {
    /// For the native capture.
    Native(NativeEffect),
    /// For the web SDK.
    Sdk(SdkEffect),
    /// Put the handoff link on the clipboard.
    CopyLink(String),
}

/// Carries out one run's effects.
pub trait Executor {
    /// Carries out `effect` for `attempt`.
    fn apply(&self, attempt: u32, effect: RunEffect);
    /// Stops and drops everything it holds.
    fn release(&self);
    /// How many camera and microphone tracks it holds live.
    fn live_tracks(&self) -> u32 {
        0
    }
    /// An image the user picked instead of the camera.
    fn file_chosen(&self, _attempt: u32, _file: File) {}
    /// The strings changed (labels of what it shows).
    fn relabel(&self, _texts: &Texts) {}
}

/// What a run's chunk hands over: the flow's kit and the executor's maker.
#[derive(Clone, Copy)]
pub struct Entry {
    /// Begins the run in the flow.
    pub kit: &'static dyn Kit,
    /// Makes the run's executor for one element.
    pub executor: fn(Ctx) -> Box<dyn Executor>,
}
