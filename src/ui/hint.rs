//! What to do now in a native step, and the digits to read aloud.

use yew::prelude::*;

use crate::core::flow::NativeScreen;
use crate::core::native::Phase;

/// The native part of the screen.
#[derive(Properties, PartialEq)]
pub struct HintProps {
    /// The native screen; both lines hide without one.
    pub native: Option<NativeScreen>,
}

/// The hint (announced politely as it changes) and the digits of the video step.
#[function_component]
pub fn Hint(props: &HintProps) -> Html {
    let native = props.native.as_ref();
    let hint = native.map(|n| n.hint.clone()).unwrap_or_default();
    let digits = native.and_then(|n| n.digits.clone());
    let show_digits = native.is_some_and(|n| n.digits.is_some() && n.phase != Phase::Review);
    html! {
        <>
            <p part="hint" class="vc-hint" aria-live="polite" hidden={native.is_none()}>{ hint }</p>
            <p part="digits" class="vc-digits" hidden={!show_digits}>{ digits.unwrap_or_default() }</p>
        </>
    }
}
