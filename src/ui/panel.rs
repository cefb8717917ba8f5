//! The panel: the screen's title and message, the native capture's parts,
//! and the buttons.

use std::rc::Rc;

use web_sys::HtmlElement;
use yew::prelude::*;

use super::{handoff, Actions, FilePicker, Hint, Intent, Progress};
use crate::core::flow::Screen;
use crate::core::native::Phase;

/// What the panel shows and where its inputs go.
#[derive(Properties, PartialEq)]
pub struct PanelProps {
    /// The screen.
    pub screen: Rc<Screen>,
    /// The attempt the buttons send their inputs for.
    pub attempt: u32,
    /// How far the upload under way is, 0.0–1.0.
    pub upload: f64,
    /// Each new value moves focus to the title.
    pub focus: u32,
    /// Where what the user does goes.
    pub on_intent: Callback<Intent>,
}

/// Title, message, native parts and actions.
#[function_component]
pub fn Panel(props: &PanelProps) -> Html {
    let title = use_node_ref();
    {
        let title = title.clone();
        use_effect_with(props.focus, move |focus| {
            if *focus > 0 {
                if let Some(title) = title.cast::<HtmlElement>() {
                    let _ = title.focus();
                }
            }
        });
    }
    let screen = &props.screen;
    let native = screen.native.as_ref();
    let picking = native.is_some_and(|n| n.phase == Phase::FilePick);
    html! {
        <div part="panel" class="vc-panel">
            <h2 part="title" class="vc-title" tabindex="-1" ref={title}>{ screen.title.clone() }</h2>
            <p part="message" class="vc-message" hidden={screen.message.is_empty()}>
                { screen.message.clone() }
            </p>
            <Progress steps={native.map(|n| n.progress)} upload={props.upload}
                label={native.map(|n| n.progress_label.clone())} />
            <Hint native={native.cloned()} />
            { screen.handoff.as_ref().map(|h| handoff(h, props.attempt, &props.on_intent)).unwrap_or_default() }
            <FilePicker shown={picking} label={native.map(|n| n.choose_file.clone()).unwrap_or_default()}
                on_file={props.on_intent.reform(Intent::File)} />
            <Actions actions={screen.actions.clone()} attempt={props.attempt}
                on_intent={props.on_intent.clone()} />
        </div>
    }
}
