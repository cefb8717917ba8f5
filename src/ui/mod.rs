//! Draws the flow's [`Screen`] into the element's shadow root. No decisions
//! here: the screen says what to show, the flow says when.

mod panel;

pub use panel::View;

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
