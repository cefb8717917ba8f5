//! The stage: the node that holds the capture frame, the camera preview and
//! the review. It belongs to those adapters, which may fill it before the UI
//! has rendered once; the UI places it in the container and never looks inside.

use web_sys::{Document, Element};

/// A new, empty stage.
pub fn new(document: &Document) -> Option<Element> {
    let stage = document.create_element("div").ok()?;
    stage.set_attribute("part", "stage").ok()?;
    stage.set_class_name("vc-stage");
    Some(stage)
}
