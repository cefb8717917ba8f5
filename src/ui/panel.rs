//! The element's markup: a stage for the frame, a panel with the screen, and
//! a live region for announcements.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement};

use crate::core::flow::{Screen, State};

/// The element's DOM nodes, built once per mount.
pub struct View {
    container: Element,
    stage: Element,
    title: HtmlElement,
    message: Element,
    actions: Element,
    status: Element,
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
        panel.append_with_node_3(&title, &message, &actions).ok()?;
        container.append_with_node_3(&stage, &panel, &status).ok()?;
        mount.replace_children_with_node_1(&container);
        Some(View {
            container,
            stage,
            title,
            message,
            actions,
            status,
        })
    }

    /// Where the frame goes.
    pub fn stage(&self) -> &Element {
        &self.stage
    }

    /// Shows `screen` for `state`; announces `announcement` when it is new.
    pub fn render(&self, state: State, lang: &str, screen: &Screen, announcement: &str) {
        let _ = self.container.set_attribute("data-state", state.as_str());
        let _ = self.container.set_attribute("lang", lang);
        let _ = self
            .container
            .set_attribute("aria-busy", if screen.busy { "true" } else { "false" });
        self.title.set_text_content(Some(screen.title));
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
