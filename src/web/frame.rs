//! The capture page's frame and popup, and the checks on what they send.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlIFrameElement, Window};

use crate::core::protocol::ReturnParams;

/// The frame that shows the capture page, with its `load` listener and the
/// window's `blur` listener that tells when the user turned to the frame.
pub struct Frame {
    element: HtmlIFrameElement,
    origin: String,
    _on_load: Closure<dyn FnMut()>,
    on_blur: Option<(Window, Closure<dyn FnMut()>)>,
}

impl Frame {
    /// Builds the frame for `url` inside `stage`, allowed camera and microphone
    /// for `origin` only; `on_used` runs when the page's focus moves into the
    /// frame (a click or a tab into the capture page).
    pub fn show(
        stage: &Element,
        url: &str,
        origin: &str,
        title: &str,
        on_load: impl FnMut() + 'static,
        mut on_used: impl FnMut() + 'static,
    ) -> Option<Frame> {
        let document = stage.owner_document()?;
        let element: HtmlIFrameElement = document.create_element("iframe").ok()?.dyn_into().ok()?;
        let allow = format!("camera {origin}; microphone {origin}; fullscreen");
        let _ = element.set_attribute("allow", &allow);
        let _ = element.set_attribute("part", "frame");
        element.set_title(title);
        let on_load = Closure::<dyn FnMut()>::new(on_load);
        element.set_onload(Some(on_load.as_ref().unchecked_ref()));
        element.set_src(url);
        stage.append_child(&element).ok()?;
        // The window loses focus to a frame of its own when the user turns to
        // it; the frame is then the active element of its root (the element's
        // shadow root: the document's would be the element itself).
        let on_blur = document.default_view().and_then(|window| {
            let frame = element.clone();
            let listener = Closure::<dyn FnMut()>::new(move || {
                let root = frame.get_root_node();
                let active = js_sys::Reflect::get(&root, &JsValue::from_str("activeElement"))
                    .unwrap_or(JsValue::NULL);
                if js_sys::Object::is(&active, &frame) {
                    on_used();
                }
            });
            window
                .add_event_listener_with_callback("blur", listener.as_ref().unchecked_ref())
                .ok()?;
            Some((window, listener))
        });
        Some(Frame {
            element,
            origin: origin.to_string(),
            _on_load: on_load,
            on_blur,
        })
    }

    /// Whether `source` is this frame's window.
    pub fn is_source(&self, source: &JsValue) -> bool {
        self.element
            .content_window()
            .is_some_and(|w| js_sys::Object::is(source, &w))
    }

    /// The capture page's origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The return, when the frame shows a same-origin page whose query is one.
    pub fn same_origin_return(&self) -> Option<ReturnParams> {
        // Cross-origin frames throw here; that is the expected, silent case.
        let search = self.element.content_window()?.location().search().ok()?;
        ReturnParams::from_query(&search)
    }

    /// Moves focus into the frame.
    pub fn focus(&self) {
        let _ = self.element.focus();
    }
}

impl Drop for Frame {
    fn drop(&mut self) {
        if let Some((window, listener)) = self.on_blur.take() {
            let _ = window
                .remove_event_listener_with_callback("blur", listener.as_ref().unchecked_ref());
        }
        self.element.set_onload(None);
        // Navigating away first makes the capture page's own `pagehide` run now.
        self.element.set_src("about:blank");
        self.element.remove();
    }
}

/// The popup fallback: a window on the capture page.
pub struct Popup {
    window: Window,
    origin: String,
}

impl Popup {
    /// Opens `url` in a new window; `None` when the browser blocks it.
    pub fn open(url: &str, origin: &str) -> Option<Popup> {
        let window = super::window()?
            .open_with_url_and_target_and_features(
                url,
                "videoid-capture",
                "popup,width=520,height=760",
            )
            .ok()
            .flatten()?;
        Some(Popup {
            window,
            origin: origin.to_string(),
        })
    }

    /// Whether `source` is this popup.
    pub fn is_source(&self, source: &JsValue) -> bool {
        js_sys::Object::is(source, &self.window)
    }

    /// The capture page's origin.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// Whether the user closed it.
    pub fn is_closed(&self) -> bool {
        self.window.closed().unwrap_or(true)
    }
}

impl Drop for Popup {
    fn drop(&mut self) {
        let _ = self.window.close();
    }
}
