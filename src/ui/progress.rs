//! The progress bar over all native steps.

use yew::prelude::*;

/// Where the native capture is.
#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    /// Steps uploaded and in all; hidden when `None`.
    pub steps: Option<(usize, usize)>,
    /// How far the upload under way is, 0.0–1.0.
    pub upload: f64,
    /// The bar's accessible name.
    pub label: Option<String>,
}

/// Steps are counted in thousandths: whole numbers move the bar as smoothly,
/// and need no float formatting.
const SCALE: usize = 1000;

/// A `progress` bar that moves within a step while it uploads.
#[function_component]
pub fn Progress(props: &ProgressProps) -> Html {
    let (done, total) = props.steps.unwrap_or((0, 1));
    let within = (props.upload.clamp(0.0, 1.0) * SCALE as f64) as usize;
    html! {
        <progress part="progress" class="vc-progress" hidden={props.steps.is_none()}
            aria-label={props.label.clone()} max={(total.max(1) * SCALE).to_string()}
            value={(done * SCALE + within).to_string()} />
    }
}
