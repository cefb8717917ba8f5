//! The row of buttons.

use yew::prelude::*;

use super::Intent;
use crate::core::flow::Action;

/// The buttons and where their inputs go.
#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    /// The buttons, in order, with their labels.
    pub actions: Vec<(Action, String)>,
    /// The attempt the inputs are for.
    pub attempt: u32,
    /// Where the presses go.
    pub on_intent: Callback<Intent>,
}

/// The `part` of an action's button: `button`, and its name with `-button`.
fn part(action: Action) -> String {
    let mut part = String::from("button ");
    part.push_str(action.name());
    part.push_str("-button");
    part
}

/// One button per action, keyed by it: a button that stays keeps its node,
/// so keyboard focus survives the frequent redraws of the native screens.
#[function_component]
pub fn Actions(props: &ActionsProps) -> Html {
    let buttons = props.actions.iter().map(|(action, label)| {
        let (action, label) = (*action, label.clone());
        let (on_intent, attempt) = (props.on_intent.clone(), props.attempt);
        let onclick = Callback::from(move |_: MouseEvent| {
            on_intent.emit(Intent::Press { action, attempt });
        });
        html! {
            <button key={action.name()} type="button" part={part(action)}
                data-action={action.name()} {onclick}>{ label }</button>
        }
    });
    html! {
        <div part="actions" class="vc-actions">{ for buttons }</div>
    }
}
