//! Values from JavaScript, read by serde-wasm-bindgen: the props the element
//! class passes, and the two shapes the other readers share (a string that
//! may be anything else, and a value kept as it is). What the values mean is
//! checked in core.

use js_sys::Function;
use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};
use wasm_bindgen::{JsCast, JsValue};

use crate::core::config::ATTRIBUTES;

/// `value` as a `T`, if it has `T`'s shape.
pub fn from_js<T: de::DeserializeOwned>(value: JsValue) -> Option<T> {
    serde_wasm_bindgen::from_value(value).ok()
}

/// A string, or `None` for a value of any other type (never a failure).
pub struct Lenient(pub Option<String>);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Lenient, D::Error> {
        // serde-wasm-bindgen reads each JS value on its own: a value that is
        // not a string leaves nothing half-read behind.
        Ok(Lenient(String::deserialize(d).ok()))
    }
}

/// A JS value as it is (a function, an object to read later).
struct Kept(JsValue);

impl<'de> Deserialize<'de> for Kept {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Kept, D::Error> {
        serde_wasm_bindgen::preserve::deserialize(d).map(Kept)
    }
}

/// Every prop the element class passes: the attributes, then the two loaders and `texts`.
const FIELDS: [&str; ATTRIBUTES.len() + 3] = {
    let mut fields = ["loadStrings"; ATTRIBUTES.len() + 3];
    let mut i = 0;
    while i < ATTRIBUTES.len() {
        fields[i] = ATTRIBUTES[i];
        i += 1;
    }
    fields[ATTRIBUTES.len() + 1] = "loadChunk";
    fields[ATTRIBUTES.len() + 2] = "texts";
    fields
};

/// What the element class passes to the handle:
/// `{ "session-endpoint": "…" | null, …, loadStrings, loadChunk, texts }`.
#[derive(Default)]
pub struct Props {
    /// Each of core's [`ATTRIBUTES`] whose value is a string.
    pub attributes: Vec<(&'static str, String)>,
    /// The shell's language-file loader (`loadStrings`).
    pub load_strings: Option<Function>,
    /// The shell's wasm chunk loader (`loadChunk`, see `web::chunk::load`).
    pub load_chunk: Option<Function>,
    /// The host's `texts`, as the shell copied it (checked by `i18n::overrides`).
    pub texts: JsValue,
}

impl Props {
    /// Reads `value`; anything but an object gives no attributes at all.
    pub fn read(value: JsValue) -> Props {
        from_js(value).unwrap_or_default()
    }
}

/// The position of a prop's name in [`FIELDS`] (past the end: not a prop).
struct Field(usize);

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = Field;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a prop name")
            }
            fn visit_str<E: de::Error>(self, name: &str) -> Result<Field, E> {
                Ok(Field(
                    FIELDS
                        .iter()
                        .position(|f| *f == name)
                        .unwrap_or(FIELDS.len()),
                ))
            }
            // How the (patched) serde-wasm-bindgen names a struct's field: by
            // its position in FIELDS.
            fn visit_u64<E: de::Error>(self, i: u64) -> Result<Field, E> {
                Ok(Field(usize::try_from(i).unwrap_or(usize::MAX)))
            }
        }
        d.deserialize_identifier(Name)
    }
}

impl<'de> Deserialize<'de> for Props {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Props, D::Error> {
        struct Each;
        impl<'de> Visitor<'de> for Each {
            type Value = Props;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the element's props")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Props, A::Error> {
                let mut props = Props::default();
                while let Some(Field(i)) = map.next_key()? {
                    if let Some(name) = ATTRIBUTES.get(i) {
                        if let Lenient(Some(value)) = map.next_value()? {
                            props.attributes.push((name, value));
                        }
                    } else if i == ATTRIBUTES.len() {
                        let Kept(loader) = map.next_value()?;
                        props.load_strings = loader.dyn_into().ok();
                    } else if i == ATTRIBUTES.len() + 1 {
                        let Kept(loader) = map.next_value()?;
                        props.load_chunk = loader.dyn_into().ok();
                    } else if i == ATTRIBUTES.len() + 2 {
                        props.texts = map.next_value::<Kept>()?.0;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(props)
            }
        }
        d.deserialize_struct("Props", &FIELDS, Each)
    }
}
