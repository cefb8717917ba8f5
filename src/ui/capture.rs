//! The root component: the container with the stage, the panel and the
//! status region.

use std::rc::Rc;

use web_sys::Element;
use yew::prelude::*;

use super::{Intent, Panel, Stage, Status};
use crate::core::flow::{Screen, State};

/// Everything the element shows, and where what the user does goes.
#[derive(Properties, PartialEq, Clone)]
pub struct CaptureProps {
    /// The flow's state (`data-state`).
    pub state: State,
    /// What the panel shows.
    pub screen: Rc<Screen>,
    /// The attempt the screen belongs to; buttons send their inputs for it.
    pub attempt: u32,
    /// How far the upload under way is, 0.0–1.0.
    #[prop_or_default]
    pub upload: f64,
    /// Each new value moves focus to the screen's title.
    #[prop_or_default]
    pub focus: u32,
    /// The node the frame, preview and review adapters fill.
    #[prop_or_default]
    pub stage: Option<Element>,
    /// Where what the user does goes.
    pub on_intent: Callback<Intent>,
}

/// The element's whole UI.
#[function_component]
pub fn Capture(props: &CaptureProps) -> Html {
    // Any pointer or key inside shows someone is there.
    let activity = {
        let (on_intent, attempt) = (props.on_intent.clone(), props.attempt);
        move || on_intent.emit(Intent::Activity { attempt })
    };
    let onpointerdown = {
        let activity = activity.clone();
        Callback::from(move |_: PointerEvent| activity())
    };
    let onkeydown = Callback::from(move |_: KeyboardEvent| activity());
    html! {
        <div part="container" class="vc" data-state={props.state.as_str()}
            lang={props.screen.lang.tag()} dir={props.screen.lang.dir()} aria-busy={if props.screen.busy { "true" } else { "false" }}
            {onpointerdown} {onkeydown}>
            <Stage node={props.stage.clone()} />
            <Panel screen={props.screen.clone()} attempt={props.attempt} upload={props.upload}
                focus={props.focus} on_intent={props.on_intent.clone()} />
            <Status screen={props.screen.clone()} />
        </div>
    }
}
