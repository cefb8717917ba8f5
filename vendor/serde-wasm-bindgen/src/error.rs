use wasm_bindgen::prelude::*;

/// A newtype that represents Serde errors as JavaScript exceptions.
#[derive(Debug)]
pub struct Error(JsValue);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        #[wasm_bindgen]
        extern "C" {
            #[wasm_bindgen(js_name = String)]
            pub fn to_string(value: &JsValue) -> String;
        }

        to_string(&self.0).fmt(f)
    }
}

impl std::error::Error for Error {}

impl Error {
    /// Creates a JavaScript `Error` with a given message.
    ///
    /// Patched for videoid-capture (see PATCH.md): release builds leave the
    /// message out, so that no formatting code (floats, escaped strings)
    /// is linked for messages that are never read.
    #[cfg(debug_assertions)]
    pub fn new<T: std::fmt::Display>(msg: T) -> Self {
        Error(JsError::new(&msg.to_string()).into())
    }

    /// Creates a JavaScript `Error`; release builds leave `msg` out (see PATCH.md).
    /// Always inlined: the caller's unused `format_args!` then goes away with
    /// the formatting code it points to.
    #[cfg(not(debug_assertions))]
    #[inline(always)]
    pub fn new<T: std::fmt::Display>(msg: T) -> Self {
        let _ = msg;
        Error(JsError::new("serde-wasm-bindgen: the value does not have the expected shape").into())
    }
}

impl serde::ser::Error for Error {
    // Patched (see PATCH.md): inlined in release builds, like `Error::new`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::new(msg)
    }
}

impl serde::de::Error for Error {
    // Patched (see PATCH.md): inlined in release builds, like `Error::new`.
    #[cfg_attr(not(debug_assertions), inline(always))]
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error::new(msg)
    }
}

/// This conversion is needed for `?` to just work when using wasm-bindgen
/// imports that return JavaScript exceptions as `Result<T, JsValue>`.
impl From<JsValue> for Error {
    fn from(error: JsValue) -> Error {
        Error(error)
    }
}

// This conversion is needed for `?` to just work in wasm-bindgen exports
// that return `Result<T, JsValue>` to throw JavaScript exceptions.
impl From<Error> for JsValue {
    fn from(error: Error) -> JsValue {
        error.0
    }
}
