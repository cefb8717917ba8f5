//! How an executor reports back: a weak handle on the element's input queue.

use std::rc::{Rc, Weak};

use crate::core::flow::Input;

/// Feeds inputs to the flow of one element, while the element exists.
#[derive(Clone)]
pub struct Sender(Weak<dyn Fn(Input)>);

impl Sender {
    /// A sender into `feed` (held strongly by the element only).
    pub fn new(feed: &Rc<dyn Fn(Input)>) -> Sender {
        Sender(Rc::downgrade(feed))
    }

    /// Feeds `input`; nothing when the element is gone.
    pub fn send(&self, input: Input) {
        if let Some(feed) = self.0.upgrade() {
            feed(input);
        }
    }
}
