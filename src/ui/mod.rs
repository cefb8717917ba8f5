//! The element's UI: Yew function components, one per file, that render the
//! flow's [`Screen`] and send what the user did as an [`Intent`]. No
//! decisions and no effects here: the screen says what to show, the flow says
//! when, and the `web` adapters carry out what follows (the handle reads the
//! configuration a start needs, the handoff's executor writes the clipboard).

mod actions;
mod capture;
mod file_picker;
mod handoff;
mod hint;
mod panel;
mod progress;
mod stage;
mod status;

pub use actions::{Actions, ActionsProps};
pub use capture::{Capture, CaptureProps};
pub use file_picker::{FilePicker, FilePickerProps};
pub use handoff::handoff;
pub use hint::{Hint, HintProps};
pub use panel::{Panel, PanelProps};
pub use progress::{Progress, ProgressProps};
pub use stage::{Stage, StageProps};
pub use status::{Status, StatusProps};

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use web_sys::Element;
use yew::AppHandle;

use crate::core::config::Config;
use crate::core::failure::Failure;
use crate::core::flow::{Action, Input, Screen};

/// What the user did in the UI.
#[derive(Debug, Clone)]
pub enum Intent {
    /// Pressed a button during `attempt`.
    Press {
        /// The button's action.
        action: Action,
        /// The attempt its screen belongs to.
        attempt: u32,
    },
    /// A pointer or key inside the element: someone is there.
    Activity {
        /// The attempt its screen belongs to.
        attempt: u32,
    },
    /// Picked an image instead of the camera.
    File(web_sys::File),
    /// Pressed the handoff link or its copy button.
    CopyLink {
        /// The attempt whose link it is.
        attempt: u32,
    },
}

impl Intent {
    /// The flow input it stands for; `config` reads the configuration, which
    /// only start, retry and the handoff need. A picked file is no flow input
    /// (it goes to the native capture's executor).
    pub fn input(self, config: impl FnOnce() -> Result<Config, Failure>) -> Option<Input> {
        Some(match self {
            Intent::Press { action, attempt } => action.input(attempt, config),
            Intent::Activity { attempt } => Input::Activity { attempt },
            Intent::CopyLink { attempt } => Input::CopyLink { attempt },
            Intent::File(_) => return None,
        })
    }
}

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

/// A Yew app and the div it renders into.
struct App {
    handle: AppHandle<Capture>,
    root: Element,
    /// The last focus request it saw: requests go on counting from there.
    focus: u32,
    /// Counts the app's moves between elements.
    moves: Rc<Cell<u32>>,
}

thread_local! {
    /// Apps whose element went away, kept for the next element. Yew keeps the
    /// event listeners of every app root, and all they hold, for the life of
    /// the page: an app per element would leak them with each element.
    static SPARE: RefCell<Vec<App>> = const { RefCell::new(Vec::new()) };
}

/// The UI of one element: a Yew app and the props it shows.
pub struct View {
    app: RefCell<Option<App>>,
    props: RefCell<CaptureProps>,
}

impl View {
    /// A view of `props` that shows nowhere yet.
    pub fn new(props: CaptureProps) -> View {
        View {
            app: RefCell::new(None),
            props: RefCell::new(props),
        }
    }

    /// Shows the view in `mount`, in a spare app or a new one (Yew draws on its next turn).
    pub fn attach(&self, mount: &Element) -> Option<()> {
        let mut props = self.props.borrow_mut();
        let app = match SPARE.with(|spare| spare.borrow_mut().pop()) {
            Some(mut app) => {
                props.focus = app.focus;
                app.handle.update(props.clone());
                // Into the element once Yew has drawn these props (its turn is
                // queued first): until then it shows the last element's screen.
                let (root, mount, moves) = (app.root.clone(), mount.clone(), app.moves.clone());
                let this_move = moves.get();
                crate::spawn(async move {
                    if moves.get() == this_move {
                        let _ = mount.append_child(&root);
                    }
                });
                app
            }
            None => {
                let root = mount.owner_document()?.create_element("div").ok()?;
                mount.append_child(&root).ok()?;
                let renderer =
                    yew::Renderer::<Capture>::with_root_and_props(root.clone(), props.clone());
                App {
                    handle: renderer.render(),
                    root,
                    focus: props.focus,
                    moves: Rc::new(Cell::new(0)),
                }
            }
        };
        *self.app.borrow_mut() = Some(app);
        Some(())
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
            app.handle.update(props);
        }
    }

    /// Takes the UI out of the element now, and keeps its app for the next one.
    pub fn unmount(&self) {
        let Some(mut app) = self.app.borrow_mut().take() else {
            return;
        };
        app.root.remove();
        app.moves.set(app.moves.get().wrapping_add(1));
        app.focus = self.props.borrow().focus;
        SPARE.with(|spare| spare.borrow_mut().push(app));
    }
}

impl Drop for View {
    fn drop(&mut self) {
        self.unmount();
    }
}
