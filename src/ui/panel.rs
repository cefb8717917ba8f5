//! The element's markup: a stage for the frame, a panel with the screen, and
//! a live region for announcements.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, HtmlInputElement, HtmlProgressElement};

use crate::core::flow::{NativeScreen, Screen, State};
use crate::core::native::Phase;

/// The element's DOM nodes, built once per mount.
pub struct View {
    container: Element,
    stage: Element,
    title: HtmlElement,
    message: Element,
    actions: Element,
    status: Element,
    hint: Element,
    digits: Element,
    progress: HtmlProgressElement,
    file_label: Element,
    file_text: Element,
    steps_done: std::cell::Cell<(usize, usize)>,
    review_label: std::cell::RefCell<String>,
}

fn node(document: &Document, tag: &str, part: &str, class: &str) -> Option<Element> {
    let element = document.create_element(tag).ok()?;
    element.set_attribute("part", part).ok()?;
    element.set_class_name(class);
    Some(element)
}

impl View {
    /// Builds the markup inside `mount`.
    pub fn build(mount: &Element) -> Option<View> {
        let document = mount.owner_document()?;
        let container = node(&document, "div", "container", "vc")?;
        let stage = node(&document, "div", "stage", "vc-stage")?;
        let panel = node(&document, "div", "panel", "vc-panel")?;
        let title: HtmlElement = node(&document, "h2", "title", "vc-title")?
            .dyn_into()
            .ok()?;
        title.set_tab_index(-1);
        let message = node(&document, "p", "message", "vc-message")?;
        let actions = node(&document, "div", "actions", "vc-actions")?;
        let status = node(&document, "div", "status", "vc-status")?;
        status.set_attribute("role", "status").ok()?;
        status.set_attribute("aria-live", "polite").ok()?;
        let hint = node(&document, "p", "hint", "vc-hint")?;
        // Quality hints ("Hold still", "Too dark") are announced as they change.
        hint.set_attribute("aria-live", "polite").ok()?;
        let digits = node(&document, "p", "digits", "vc-digits")?;
        let progress: HtmlProgressElement = node(&document, "progress", "progress", "vc-progress")?
            .dyn_into()
            .ok()?;
        let file_label = node(&document, "label", "file-label", "vc-file")?;
        let file: HtmlInputElement = node(&document, "input", "file-input", "vc-file-input")?
            .dyn_into()
            .ok()?;
        file.set_type("file");
        file.set_accept("image/*");
        file.set_attribute("capture", "environment").ok()?;
        let file_text = document.create_element("span").ok()?;
        file_label.append_with_node_2(&file_text, &file).ok()?;
        for native in [&hint, &digits, &file_label] {
            native.set_attribute("hidden", "").ok()?;
        }
        progress.set_hidden(true);
        panel.append_with_node_3(&title, &message, &progress).ok()?;
        panel.append_with_node_3(&hint, &digits, &file_label).ok()?;
        panel.append_with_node_1(&actions).ok()?;
        container.append_with_node_3(&stage, &panel, &status).ok()?;
        mount.replace_children_with_node_1(&container);
        Some(View {
            container,
            stage,
            title,
            message,
            actions,
            status,
            hint,
            digits,
            progress,
            file_label,
            file_text,
            steps_done: std::cell::Cell::new((0, 1)),
            review_label: std::cell::RefCell::new(String::new()),
        })
    }

    /// Shows the native capture's hint, digits, progress and file picker (or hides them).
    fn render_native(&self, native: Option<&NativeScreen>) {
        let show = |e: &Element, on: bool| {
            let _ = e.toggle_attribute_with_force("hidden", !on);
        };
        let Some(native) = native else {
            for e in [&self.hint, &self.digits, &self.file_label] {
                show(e, false);
            }
            self.progress.set_hidden(true);
            return;
        };
        if self.hint.text_content().as_deref() != Some(native.hint.as_str()) {
            self.hint.set_text_content(Some(&native.hint));
        }
        show(&self.hint, true);
        self.digits.set_text_content(native.digits.as_deref());
        show(
            &self.digits,
            native.digits.is_some() && native.phase != Phase::Review,
        );
        let picking = native.phase == Phase::FilePick;
        self.file_text.set_text_content(Some(&native.choose_file));
        show(&self.file_label, picking);
        self.steps_done.set(native.progress);
        self.review_label.replace(native.review_label.clone());
        self.progress.set_hidden(false);
        let _ = self
            .progress
            .set_attribute("aria-label", &native.progress_label);
        self.set_upload_progress(0.0);
    }

    /// Moves the progress bar within the step being uploaded (0.0–1.0).
    pub fn set_upload_progress(&self, fraction: f64) {
        let (done, total) = self.steps_done.get();
        self.progress.set_max(total.max(1) as f64);
        self.progress
            .set_value(done as f64 + fraction.clamp(0.0, 1.0));
    }

    /// The alternative text of a captured still.
    pub fn review_label(&self) -> String {
        self.review_label.borrow().clone()
    }

    /// Where the frame goes.
    pub fn stage(&self) -> &Element {
        &self.stage
    }

    /// Shows `screen` for `state`; announces `announcement` when it is new.
    pub fn render(&self, state: State, screen: &Screen, announcement: &str) {
        let _ = self.container.set_attribute("data-state", state.as_str());
        let _ = self.container.set_attribute("lang", screen.lang.tag());
        let _ = self.container.set_attribute("dir", screen.lang.dir());
        self.render_native(screen.native.as_ref());
        let _ = self
            .container
            .set_attribute("aria-busy", if screen.busy { "true" } else { "false" });
        self.title.set_text_content(Some(&screen.title));
        self.message.set_text_content(Some(&screen.message));
        let _ = self
            .message
            .toggle_attribute_with_force("hidden", screen.message.is_empty());
        self.render_actions(screen);
        if self.status.text_content().as_deref() != Some(announcement) {
            self.status.set_text_content(Some(announcement));
        }
    }

    fn render_actions(&self, screen: &Screen) {
        let Some(document) = self.actions.owner_document() else {
            return;
        };
        // Redraw only when the buttons change: a redraw would drop keyboard focus,
        // and live hints re-render the screen several times a second.
        let shown = self.actions.children();
        let same = shown.length() as usize == screen.actions.len()
            && screen
                .actions
                .iter()
                .enumerate()
                .all(|(i, (action, label))| {
                    shown.item(i as u32).is_some_and(|b| {
                        b.get_attribute("data-action").as_deref() == Some(action.name())
                            && b.text_content().as_deref() == Some(label.as_str())
                    })
                });
        if same {
            return;
        }
        self.actions.replace_children_with_node_0();
        for (action, label) in &screen.actions {
            let Ok(button) = document.create_element("button") else {
                continue;
            };
            let _ = button.set_attribute("type", "button");
            let _ = button.set_attribute("part", &format!("button {}-button", action.name()));
            let _ = button.set_attribute("data-action", action.name());
            button.set_text_content(Some(label));
            let _ = self.actions.append_child(&button);
        }
    }

    /// Moves focus to the screen's heading (or first button, when asked).
    pub fn focus_screen(&self, prefer_button: bool) {
        if prefer_button {
            if let Some(button) = self
                .actions
                .first_element_child()
                .and_then(|b| b.dyn_into::<HtmlElement>().ok())
            {
                let _ = button.focus();
                return;
            }
        }
        let _ = self.title.focus();
    }

    /// The action of the button an event hit, if any.
    pub fn action_of(&self, target: &Element) -> Option<String> {
        target
            .closest("button[data-action]")
            .ok()
            .flatten()
            .filter(|b| self.container.contains(Some(b)))
            .and_then(|b| b.get_attribute("data-action"))
    }

    /// The outermost node (for listeners).
    pub fn container(&self) -> &Element {
        &self.container
    }
}

impl Drop for View {
    fn drop(&mut self) {
        self.container.remove();
    }
}
