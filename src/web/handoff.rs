//! The handoff run's executor: puts the link on the clipboard, and where the
//! clipboard refuses, moves focus to the link so it can be copied by hand.
//! It arrives with the handoff chunk ([`entry`]), beside the QR encoder.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;

use super::run::{Ctx, Entry, Executor, RunEffect};
use crate::core::flow::{handoff::KIT, Input};

/// The handoff chunk's entry: the flow's kit and this executor.
pub fn entry() -> Entry {
    Entry {
        kit: &KIT,
        executor: |ctx| Box::new(HandoffExecutor(Rc::new(ctx))),
    }
}

/// Carries out the handoff's effects for one element.
struct HandoffExecutor(Rc<Ctx>);

impl Executor for HandoffExecutor {
    fn apply(&self, attempt: u32, effect: RunEffect) {
        let RunEffect::CopyLink(url) = effect else {
            return;
        };
        let ctx = Rc::downgrade(&self.0);
        crate::spawn(async move {
            let clipboard = super::window().map(|w| w.navigator().clipboard());
            let done = match clipboard {
                Some(c) => JsFuture::from(c.write_text(&url)).await.is_ok(),
                None => false,
            };
            let Some(ctx) = ctx.upgrade() else { return };
            if done {
                ctx.sender.send(Input::HandoffCopied { attempt });
            } else if let Some(link) = link(&ctx) {
                // No clipboard here: the link takes focus, to be copied by hand.
                let _ = link.focus();
            }
        });
    }

    fn release(&self) {}
}

/// The link the element shows.
fn link(ctx: &Ctx) -> Option<HtmlElement> {
    ctx.host
        .shadow_root()?
        .query_selector("[part~=\"handoff-link\"]")
        .ok()??
        .dyn_into()
        .ok()
}
