//! The handoff screen's parts: the QR code, the link and its copy button.

use wasm_bindgen_futures::JsFuture;
use web_sys::HtmlElement;
use yew::prelude::*;

use crate::core::flow::HandoffScreen;

/// What the handoff screen shows (nothing without one).
#[derive(Properties, PartialEq)]
pub struct HandoffProps {
    /// The handoff's parts, while it runs.
    pub handoff: Option<HandoffScreen>,
}

/// The help text, the QR code as one SVG path, the link and a copy button.
#[function_component]
pub fn Handoff(props: &HandoffProps) -> Html {
    // The link last copied: "Copied" shows while it is the one on screen.
    let copied = use_state(String::new);
    let link = use_node_ref();
    let Some(h) = props.handoff.as_ref() else {
        return html! {};
    };
    let onclick = {
        let (url, copied, link) = (h.url.clone(), copied.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let (url, copied, link) = (url.clone(), copied.clone(), link.clone());
            crate::spawn(async move {
                let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
                let done = match clipboard {
                    Some(c) => JsFuture::from(c.write_text(&url)).await.is_ok(),
                    None => false,
                };
                if done {
                    copied.set(url);
                } else if let Some(link) = link.cast::<HtmlElement>() {
                    // No clipboard here: the link takes focus, to be copied by hand.
                    let _ = link.focus();
                }
            });
        })
    };
    let view_box = format!("0 0 {0} {0}", h.qr_side);
    html! {
        <div part="handoff" class="vc-handoff">
            <p part="handoff-help" class="vc-handoff-help">{ h.help.clone() }</p>
            <svg part="handoff-qr" role="img" aria-label={h.qr_label.clone()} viewBox={view_box}
                shape-rendering="crispEdges">
                <rect width="100%" height="100%" fill="#fff" />
                <path d={h.qr_path.clone()} fill="#000" />
            </svg>
            <a part="handoff-link" href={h.url.clone()} ref={link} target="_blank"
                rel="noopener noreferrer">{ h.url.clone() }</a>
            <div class="vc-handoff-copy">
                <button type="button" part="button handoff-copy" {onclick}>{ h.copy.clone() }</button>
                <span part="handoff-copied" aria-live="polite">
                    { if *copied == h.url { h.copied.clone() } else { String::new() } }
                </span>
            </div>
        </div>
    }
}
