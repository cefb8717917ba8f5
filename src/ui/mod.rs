//! The element's UI: Yew function components, one per file, that render the
//! flow's [`Screen`] and send core [`Input`](crate::core::flow::Input)s through
//! callbacks. No decisions and no effects here: the screen says what to show,
//! the flow says when, and the `web` adapters carry out what follows.

mod actions;
mod capture;
mod file_picker;
mod hint;
mod panel;
mod progress;
mod stage;
mod status;

pub use actions::{Actions, ActionsProps};
pub use capture::{Capture, CaptureProps};
pub use file_picker::{FilePicker, FilePickerProps};
pub use hint::{Hint, HintProps};
pub use panel::{Panel, PanelProps};
pub use progress::{Progress, ProgressProps};
pub use stage::{Stage, StageProps};
pub use status::{Status, StatusProps};

use std::cell::RefCell;

use web_sys::Element;
use yew::AppHandle;

use crate::core::flow::Screen;

/// What the status region announces for a screen.
pub fn announcement(screen: &Screen) -> String {
    if screen.message.is_empty() {
        screen.title.to_string()
    } else {
        format!(
            "{}. {}",
            screen.title.trim_end_matches(['.', '…']),
            screen.message
        )
    }
}

/// The UI mounted in the element: the Yew app and the props it shows.
pub struct View {
    app: RefCell<Option<AppHandle<Capture>>>,
    props: RefCell<CaptureProps>,
}

impl View {
    /// Renders [`Capture`] with `props` into `mount` (Yew renders on its next turn).
    pub fn mount(mount: &Element, props: CaptureProps) -> View {
        let app = yew::Renderer::<Capture>::with_root_and_props(mount.clone(), props.clone());
        View {
            app: RefCell::new(Some(app.render())),
            props: RefCell::new(props),
        }
    }

    /// Changes the props with `change` and hands them to the app, if they changed.
    pub fn show(&self, change: impl FnOnce(&mut CaptureProps)) {
        let mut props = self.props.borrow().clone();
        change(&mut props);
        if props == *self.props.borrow() {
            return;
        }
        *self.props.borrow_mut() = props.clone();
        if let Some(app) = self.app.borrow_mut().as_mut() {
            app.update(props);
        }
    }

    /// The props shown last.
    pub fn props(&self) -> CaptureProps {
        self.props.borrow().clone()
    }

    /// Takes the UI out of the element now; Yew's own clean-up follows.
    pub fn unmount(&self) {
        let Some(app) = self.app.borrow_mut().take() else {
            return;
        };
        // After Yew's pending turn: a destroy that overtook the app's creation
        // would be dropped, and the app created and drawn afterwards.
        wasm_bindgen_futures::spawn_local(async move { app.destroy() });
        // The container, once drawn, is the stage's parent.
        let container = self
            .props
            .borrow()
            .stage
            .as_ref()
            .and_then(|s| s.parent_element());
        if let Some(container) = container {
            container.remove();
        }
    }
}

impl Drop for View {
    fn drop(&mut self) {
        self.unmount();
    }
}
