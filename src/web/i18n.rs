//! The element's language and strings in the browser: reads the three
//! sources of the language, asks the shell's loader for a language file, and
//! hands what arrives (and the host's `texts`) to `core::i18n` to check.
//! Problems become one console warning each, never a page error.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, Reflect};
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::props::{from_js, Lenient};
use crate::core::i18n::{self, Catalog, Lang, LoadFailure, Strings, Value, MAX_ENTRIES};

thread_local! {
    /// Every language read on this page, checked once and shared by every element.
    static CATALOGS: RefCell<Vec<Rc<Catalog>>> = const { RefCell::new(Vec::new()) };
}

/// Writes `message` to the console as a warning.
pub fn warn(message: &str) {
    let console = Reflect::get(&js_sys::global(), &"console".into()).unwrap_or_default();
    let warn = Reflect::get(&console, &"warn".into()).map(|f| f.dyn_into::<Function>());
    if let Ok(Ok(warn)) = warn {
        let _ = warn.call1(&console, &JsValue::from_str(message));
    }
}

/// The language of an element whose `lang` attribute is `attribute`: that,
/// else the page's `<html lang>`, else `navigator.languages`, else English.
pub fn choose(attribute: Option<&str>) -> Lang {
    let window = super::window();
    let document = window
        .as_ref()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"));
    let navigator: Vec<String> = window
        .map(|w| {
            w.navigator()
                .languages()
                .iter()
                .take(32)
                .filter_map(|tag| tag.as_string())
                .collect()
        })
        .unwrap_or_default();
    i18n::choose(attribute, document.as_deref(), &navigator)
}

/// The `(key, value)` entries of a plain object (a language file, or the
/// host's `texts` as the shell copied it), in order and at most one past
/// the number core reads; `None` for anything else.
pub fn entries(value: &JsValue) -> Option<Vec<(String, Value)>> {
    // An array would read as a list of pairs: not a file of text keys.
    if Array::is_array(value) {
        return None;
    }
    from_js::<Entries>(value.clone()).map(|e| e.0)
}

/// The entries of an object, read by serde-wasm-bindgen.
struct Entries(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Entries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Entries, D::Error> {
        struct Each;
        impl<'de> Visitor<'de> for Each {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of text keys to strings")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                // One more than core reads, so that it can say some were left out.
                while entries.len() <= MAX_ENTRIES {
                    let Some((key, Lenient(value))) = map.next_entry::<String, Lenient>()? else {
                        break;
                    };
                    entries.push((key, value.map_or(Value::Other, Value::Text)));
                }
                Ok(Entries(entries))
            }
        }
        d.deserialize_map(Each)
    }
}

/// The host's `texts`, checked; what was wrong goes to the console in one warning.
pub fn overrides(value: &JsValue) -> Rc<Strings> {
    if value.is_undefined() || value.is_null() {
        return Rc::default();
    }
    let Some(entries) = entries(value) else {
        warn("videoid-capture: texts must be an object of text keys to strings; it was ignored");
        return Rc::default();
    };
    let (strings, problems) = Strings::read(entries);
    if !problems.is_empty() {
        warn(&format!("videoid-capture: texts: {problems}"));
    }
    Rc::new(strings)
}

/// The strings of `lang` if the page has them already (English always).
pub fn ready(lang: Lang) -> Option<Option<Rc<Catalog>>> {
    if lang == Lang::En {
        return Some(None);
    }
    CATALOGS
        .with(|c| c.borrow().iter().find(|c| c.lang() == lang).cloned())
        .map(Some)
}

async fn fetch(loader: Option<&Function>, lang: Lang) -> Result<JsValue, LoadFailure> {
    let loader = loader.ok_or_else(|| LoadFailure::Unavailable("no loader".into()))?;
    let promise = loader
        .call1(&JsValue::NULL, &JsValue::from_str(lang.tag()))
        .map_err(describe)?
        .dyn_into::<Promise>()
        .map_err(|_| LoadFailure::Unavailable("the loader returned no promise".into()))?;
    JsFuture::from(promise).await.map_err(describe)
}

fn describe(error: JsValue) -> LoadFailure {
    let message = Reflect::get(&error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into());
    LoadFailure::Unavailable(message.chars().take(200).collect())
}

/// Loads, checks and keeps the strings of `lang`; `None` (English is shown)
/// when the file cannot be used at all. Problems are logged once per load.
pub async fn load(loader: Option<Function>, lang: Lang) -> Option<Rc<Catalog>> {
    if let Some(ready) = ready(lang) {
        return ready;
    }
    let file = format!("i18n/{}.json", lang.tag());
    let read = fetch(loader.as_ref(), lang)
        .await
        .and_then(|value| entries(&value).ok_or(LoadFailure::NotAnObject));
    // Another element may have read it meanwhile.
    if let Some(ready) = ready(lang) {
        return ready;
    }
    match read {
        Err(failure) => {
            warn(&format!(
                "videoid-capture: {file} {failure}; English is shown instead"
            ));
            None
        }
        Ok(entries) => {
            let (catalog, problems) = Catalog::read(lang, entries);
            if !problems.is_empty() {
                warn(&format!("videoid-capture: {file}: {problems}"));
            }
            let catalog = Rc::new(catalog);
            CATALOGS.with(|c| c.borrow_mut().push(catalog.clone()));
            Some(catalog)
        }
    }
}
