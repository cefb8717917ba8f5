//! The handoff screen's parts: the QR code, the link and its copy button.
//! A plain function of the screen, not a component: what it shows (the
//! link, whether it was copied) is the flow's, like everything else.

use yew::prelude::*;

use super::Intent;
use crate::core::flow::HandoffScreen;

/// The help text, the QR code as one SVG path, the link and a copy button,
/// both of which send [`Intent::CopyLink`] for `attempt` (the handoff's
/// executor writes the clipboard). The link copies instead of opening: it is
/// for the phone, and opening it here would use it up.
pub fn handoff(h: &HandoffScreen, attempt: u32, on_intent: &Callback<Intent>) -> Html {
    let onclick = {
        let on_intent = on_intent.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            on_intent.emit(Intent::CopyLink { attempt });
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
