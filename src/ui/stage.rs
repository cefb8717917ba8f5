//! The stage: where the capture frame, the camera preview and the review show.

use web_sys::Element;
use yew::prelude::*;

/// The stage node the adapters own.
#[derive(Properties, PartialEq)]
pub struct StageProps {
    /// The node; nothing shows without one.
    pub node: Option<Element>,
}

/// Places the adapters' stage node; Yew never touches what is inside it.
#[function_component]
pub fn Stage(props: &StageProps) -> Html {
    match &props.node {
        Some(node) => Html::VRef(node.clone().into()),
        None => Html::default(),
    }
}
