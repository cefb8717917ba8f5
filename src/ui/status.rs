//! The live region that announces each new screen.

use std::rc::Rc;

use yew::prelude::*;

use super::announcement;
use crate::core::flow::Screen;

/// The screen to announce.
#[derive(Properties, PartialEq)]
pub struct StatusProps {
    /// The screen.
    pub screen: Rc<Screen>,
}

/// A visually hidden, polite `role=status` region: the same node carries
/// every announcement, since a region is only read out when it changes.
#[function_component]
pub fn Status(props: &StatusProps) -> Html {
    html! {
        <div part="status" class="vc-status" role="status" aria-live="polite">
            { announcement(&props.screen) }
        </div>
    }
}
