//! Native uploads to the host backend: one artifact at a time, with progress.
//! On `XmlHttpRequest`, not gloo-net: `fetch` (and so gloo-net) reports no
//! upload progress.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Blob, ProgressEvent, XmlHttpRequest};

use crate::core::failure::Failure;

/// An upload under way; dropping it aborts it.
pub struct Upload {
    xhr: XmlHttpRequest,
    _on_progress: Closure<dyn FnMut(ProgressEvent)>,
    _on_end: Closure<dyn FnMut()>,
}

impl Upload {
    /// `PUT {url}` with the bearer `token`; `progress` gets 0.0–1.0, `done` the outcome once.
    pub fn start(
        url: &str,
        token: &str,
        blob: &Blob,
        quality: Option<&str>,
        progress: impl Fn(f64) + 'static,
        done: impl FnOnce(Result<(), Failure>) + 'static,
    ) -> Option<Upload> {
        let xhr = XmlHttpRequest::new().ok()?;
        xhr.open_with_async("PUT", url, true).ok()?;
        xhr.set_request_header("Authorization", &format!("Bearer {token}"))
            .ok()?;
        let kind = blob.type_();
        let kind = if kind.is_empty() {
            "application/octet-stream".to_string()
        } else {
            kind
        };
        xhr.set_request_header("Content-Type", &kind).ok()?;
        if let Some(quality) = quality {
            xhr.set_request_header("X-Videoid-Quality", quality).ok()?;
        }
        let on_progress = Closure::<dyn FnMut(ProgressEvent)>::new(move |e: ProgressEvent| {
            if e.length_computable() && e.total() > 0.0 {
                progress(e.loaded() / e.total());
            }
        });
        xhr.upload()
            .ok()?
            .set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        let done = Rc::new(std::cell::Cell::new(Some(done)));
        let reader = xhr.clone();
        let on_end = Closure::<dyn FnMut()>::new(move || {
            let Some(done) = done.take() else { return };
            let status = reader.status().unwrap_or(0);
            done(match status {
                0 => Err(Failure::NetworkUnreachable),
                200..=299 => Ok(()),
                // Uploads retry by themselves, with their own backoff (`core::native`).
                status => Err(Failure::BackendError {
                    status,
                    retry_after: None,
                }),
            });
        });
        // `loadend` fires once after success, error, abort or timeout alike.
        xhr.add_event_listener_with_callback("loadend", on_end.as_ref().unchecked_ref())
            .ok()?;
        xhr.send_with_opt_blob(Some(blob)).ok()?;
        Some(Upload {
            xhr,
            _on_progress: on_progress,
            _on_end: on_end,
        })
    }
}

impl Drop for Upload {
    fn drop(&mut self) {
        // Silent: whoever drops the upload no longer wants its outcome.
        let _ = self
            .xhr
            .remove_event_listener_with_callback("loadend", self._on_end.as_ref().unchecked_ref());
        if self.xhr.ready_state() != XmlHttpRequest::DONE {
            let _ = self.xhr.abort();
        }
    }
}
