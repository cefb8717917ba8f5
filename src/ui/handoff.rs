//! The handoff screen's parts: the QR code, the link and its copy button.
//! A plain function of the screen, not a component: what it shows (the
//! link, whether it was copied) is the flow's, like everything else.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::core::flow::{HandoffScreen, Input};

/// The help text, the QR code as one SVG path, the link and a copy button
/// whose success goes to `on_input` as [`Input::HandoffCopied`] for `attempt`.
/// The link copies too, instead of opening: it is for the phone, and opening
/// it here would use it up.
pub fn handoff(h: &HandoffScreen, attempt: u32, on_input: &Callback<Input>) -> Html {
    let onclick = {
        let (url, on_input) = (h.url.clone(), on_input.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            // The link sits just before the button (and a click on the link
            // has focused it already).
            let link = e
                .target_dyn_into::<Element>()
                .and_then(|b| b.previous_element_sibling())
                .and_then(|a| a.dyn_into::<HtmlElement>().ok());
            let (url, on_input) = (url.clone(), on_input.clone());
            crate::spawn(async move {
                let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
                let done = match clipboard {
                    Some(c) => JsFuture::from(c.write_text(&url)).await.is_ok(),
                    None => false,
                };
                if done {
                    on_input.emit(Input::HandoffCopied { attempt });
                } else if let Some(link) = link {
                    // No clipboard here: the link takes focus, to be copied by hand.
                    let _ = link.focus();
                }
            });
        })
    };
    html! {
        <div part="handoff" class="vc-handoff">
            <p part="handoff-help">{ h.help.clone() }</p>
            <svg part="handoff-qr" role="img" aria-label={h.qr_label.clone()}
                viewBox={format!("0 0 {0} {0}", h.qr_side)} shape-rendering="crispEdges">
                <rect width="100%" height="100%" fill="#fff" />
                <path d={h.qr_path.clone()} />
            </svg>
            <a part="handoff-link" href={h.url.clone()} target="_blank"
                rel="noopener noreferrer" onclick={onclick.clone()}>{ h.url.clone() }</a>
            <button type="button" part="button handoff-copy" {onclick}>{ h.copy.clone() }</button>
            <span part="handoff-copied" aria-live="polite">{ h.copied.clone().unwrap_or_default() }</span>
        </div>
    }
}
