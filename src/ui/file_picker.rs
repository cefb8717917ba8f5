//! The file picker a document step offers when the camera cannot be used.

use web_sys::{File, HtmlInputElement};
use yew::prelude::*;

/// The picker's label and where the picked file goes.
#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    /// Whether it shows.
    pub shown: bool,
    /// The label.
    pub label: String,
    /// Where a picked file goes.
    pub on_file: Callback<File>,
}

/// A labelled `input type=file` for images, asking for the rear camera on phones.
#[function_component]
pub fn FilePicker(props: &FilePickerProps) -> Html {
    let onchange = {
        let on_file = props.on_file.clone();
        Callback::from(move |event: Event| {
            let Some(input) = event.target_dyn_into::<HtmlInputElement>() else {
                return;
            };
            let file = input.files().and_then(|files| files.get(0));
            // Picking the same file again must fire `change` again.
            input.set_value("");
            if let Some(file) = file {
                on_file.emit(file);
            }
        })
    };
    html! {
        <label part="file-label" class="vc-file" hidden={!props.shown}>
            <span>{ props.label.clone() }</span>
            <input part="file-input" class="vc-file-input" type="file" accept="image/*"
                capture="environment" {onchange} />
        </label>
    }
}
