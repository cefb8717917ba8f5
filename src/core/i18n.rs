//! Every string a person reads, and which language an element speaks.
//!
//! `i18n/en.json` is the source of the text keys; English is compiled in
//! (`Text::english`). Each other language is a file `i18n/<tag>.json` that the
//! element loads when it needs it; what arrives is checked here
//! ([`Catalog::read`]): unknown keys are ignored, missing or unusable values
//! fall back to English, and the problems are reported, never thrown. The
//! host's `texts` property overrides single strings in the same way
//! ([`Strings::read`]).

use std::fmt;
use std::rc::Rc;

#[cfg(all(test, not(target_arch = "wasm32")))]
mod file;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;

include!(concat!(env!("OUT_DIR"), "/text.rs"));

impl Text {
    /// The key in the language files and in the `texts` property, e.g. `start`.
    pub fn key(self) -> &'static str {
        KEYS[self as usize]
    }

    /// The English string, compiled in.
    pub fn english(self) -> &'static str {
        ENGLISH[self as usize]
    }

    /// The text whose key is `key`.
    pub fn from_key(key: &str) -> Option<Text> {
        KEYS.iter().position(|k| *k == key).map(|i| Text::ALL[i])
    }
}

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English (compiled in).
    #[default]
    En,
    /// Norwegian Bokmål (`no` and Nynorsk `nn` fall back to it).
    Nb,
    /// Swedish.
    Sv,
    /// Danish.
    Da,
    /// Finnish.
    Fi,
    /// German.
    De,
    /// Dutch.
    Nl,
    /// French.
    Fr,
    /// Spanish.
    Es,
    /// Italian.
    It,
    /// Portuguese.
    Pt,
    /// Polish.
    Pl,
    /// Arabic (right to left).
    Ar,
}

impl Lang {
    /// Every language the element speaks.
    pub const ALL: [Lang; 13] = [
        Lang::En,
        Lang::Nb,
        Lang::Sv,
        Lang::Da,
        Lang::Fi,
        Lang::De,
        Lang::Nl,
        Lang::Fr,
        Lang::Es,
        Lang::It,
        Lang::Pt,
        Lang::Pl,
        Lang::Ar,
    ];

    /// The BCP 47 tag, also the name of its file: `i18n/<tag>.json`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
            Lang::Sv => "sv",
            Lang::Da => "da",
            Lang::Fi => "fi",
            Lang::De => "de",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::It => "it",
            Lang::Pt => "pt",
            Lang::Pl => "pl",
            Lang::Ar => "ar",
        }
    }

    /// The language for a BCP 47 tag, by its primary subtag (`nb-NO` → `nb`,
    /// `pt-BR` → `pt`, `no` and `nn` → `nb`); `None` for a language the
    /// element does not speak or for something that is not a tag.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        let mut subtags = tag.split(['-', '_']);
        let primary = subtags.next().unwrap_or("");
        let well_formed = tag.len() <= 35
            && (2..=3).contains(&primary.len())
            && primary.bytes().all(|b| b.is_ascii_alphabetic())
            && subtags.all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !well_formed {
            return None;
        }
        let primary = primary.to_ascii_lowercase();
        let lang = match primary.as_str() {
            "no" | "nn" => Lang::Nb,
            other => *Lang::ALL.iter().find(|l| l.tag() == other)?,
        };
        Some(lang)
    }

    /// The writing direction: `rtl` for Arabic, `ltr` for the others.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::Ar => "rtl",
            _ => "ltr",
        }
    }
}

/// The language of an element: its `lang` attribute, else the page's
/// `<html lang>`, else the first of the browser's `navigator.languages` the
/// element speaks, else English. A source naming a language the element does
/// not speak is passed over.
pub fn choose(attribute: Option<&str>, document: Option<&str>, navigator: &[String]) -> Lang {
    attribute
        .into_iter()
        .chain(document)
        .chain(navigator.iter().map(String::as_str))
        .find_map(Lang::from_tag)
        .unwrap_or_default()
}

/// The longest string a language file or `texts` may give, in characters.
pub const MAX_TEXT_CHARS: usize = 500;
/// At most this many entries of one object are read.
pub const MAX_ENTRIES: usize = 500;

/// One value of a language file or of `texts`, as the adapter found it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A string.
    Text(String),
    /// Anything else (a number, an object, `null`…).
    Other,
}

/// Why a value was passed over (English, or the language's own string, shows instead).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    /// Not a string.
    NotText,
    /// Empty, or only white space.
    Empty,
    /// Longer than [`MAX_TEXT_CHARS`].
    TooLong,
    /// Its `{placeholders}` differ from the English string's.
    Placeholders,
}

impl Invalid {
    fn as_str(self) -> &'static str {
        match self {
            Invalid::NotText => "not a string",
            Invalid::Empty => "empty",
            Invalid::TooLong => "too long",
            Invalid::Placeholders => "placeholders differ from English",
        }
    }
}

/// What was wrong with a language file or a `texts` object. None of it stops
/// the element: the adapter logs it once, as a console warning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    /// Keys that are not text keys (ignored).
    pub unknown: Vec<String>,
    /// Values that were passed over, and why.
    pub invalid: Vec<(Text, Invalid)>,
    /// Language files only: keys without a usable string (English is shown).
    pub missing: Vec<Text>,
    /// Entries past the first 500 (ignored).
    pub truncated: bool,
}

impl Problems {
    /// Whether everything was in order.
    pub fn is_empty(&self) -> bool {
        self.unknown.is_empty()
            && self.invalid.is_empty()
            && self.missing.is_empty()
            && !self.truncated
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Written piece by piece: joins and `{:?}` would cost kilobytes of wasm.
        let mut sep = "";
        let mut part = |f: &mut fmt::Formatter<'_>, title: &str| -> fmt::Result {
            let s = sep;
            sep = "; ";
            write!(f, "{s}{title}")
        };
        if !self.unknown.is_empty() {
            part(f, "unknown keys ignored: ")?;
            for (i, key) in self.unknown.iter().enumerate() {
                write!(f, "{}\"{key}\"", if i > 0 { ", " } else { "" })?;
            }
        }
        if !self.invalid.is_empty() {
            part(f, "values ignored: ")?;
            for (i, (key, why)) in self.invalid.iter().enumerate() {
                write!(
                    f,
                    "{}{} ({})",
                    if i > 0 { ", " } else { "" },
                    key.key(),
                    why.as_str()
                )?;
            }
        }
        if !self.missing.is_empty() {
            part(f, "missing, shown in English: ")?;
            for (i, key) in self.missing.iter().enumerate() {
                write!(f, "{}{}", if i > 0 { ", " } else { "" }, key.key())?;
            }
        }
        if self.truncated {
            part(f, "only the first ")?;
            write!(f, "{MAX_ENTRIES} entries were read")?;
        }
        Ok(())
    }
}

/// The `{name}` placeholders of a string, in order.
pub fn placeholders(text: &str) -> Vec<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .filter(|name| {
            !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
        .collect()
}

/// Whether two strings have the same placeholders, in any order (no sort:
/// a sort costs kilobytes of wasm, and strings have a handful at most).
fn same_placeholders(a: &str, b: &str) -> bool {
    let (a, b) = (placeholders(a), placeholders(b));
    let count = |list: &[&str], name: &str| list.iter().filter(|n| **n == name).count();
    a.len() == b.len() && a.iter().all(|name| count(&a, name) == count(&b, name))
}

/// Validated strings for some of the text keys.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Strings {
    values: Vec<Option<Box<str>>>,
}

impl Strings {
    /// Reads `(key, value)` pairs: unknown keys and unusable values are
    /// passed over and reported; a later entry for the same key wins.
    pub fn read(entries: impl IntoIterator<Item = (String, Value)>) -> (Strings, Problems) {
        let mut values: Vec<Option<Box<str>>> = vec![None; Text::ALL.len()];
        let mut problems = Problems::default();
        for (i, (key, value)) in entries.into_iter().enumerate() {
            if i == MAX_ENTRIES {
                problems.truncated = true;
                break;
            }
            let Some(text) = Text::from_key(&key) else {
                if problems.unknown.len() < 20 {
                    problems.unknown.push(key.chars().take(64).collect());
                }
                continue;
            };
            let checked = match value {
                Value::Other => Err(Invalid::NotText),
                Value::Text(s) if s.trim().is_empty() => Err(Invalid::Empty),
                Value::Text(s) if s.chars().nth(MAX_TEXT_CHARS).is_some() => Err(Invalid::TooLong),
                Value::Text(s) if !same_placeholders(&s, text.english()) => {
                    Err(Invalid::Placeholders)
                }
                Value::Text(s) => Ok(s),
            };
            match checked {
                Ok(s) => values[text as usize] = Some(s.into_boxed_str()),
                Err(why) => problems.invalid.push((text, why)),
            }
        }
        (Strings { values }, problems)
    }

    /// The string for `key`, if one was given.
    pub fn get(&self, key: Text) -> Option<&str> {
        self.values.get(key as usize)?.as_deref()
    }

    /// Whether no string was given.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }
}

/// Why a language file could not be used at all (the element shows English).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadFailure {
    /// The file could not be fetched, or did not parse as JSON (the reason, as the browser gave it).
    Unavailable(String),
    /// It parsed, but is not one object of keys to strings.
    NotAnObject,
}

impl fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadFailure::Unavailable(why) => write!(f, "could not be loaded ({why})"),
            LoadFailure::NotAnObject => f.write_str("is not a JSON object of text keys to strings"),
        }
    }
}

/// The strings of one language, read from its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    lang: Lang,
    strings: Strings,
}

impl Catalog {
    /// Reads the entries of `i18n/<tag>.json` for `lang`; keys it lacks are
    /// reported as missing and shown in English.
    pub fn read(
        lang: Lang,
        entries: impl IntoIterator<Item = (String, Value)>,
    ) -> (Catalog, Problems) {
        let (strings, mut problems) = Strings::read(entries);
        if lang != Lang::En {
            problems.missing = Text::ALL
                .into_iter()
                .filter(|t| strings.get(*t).is_none())
                .collect();
        }
        (Catalog { lang, strings }, problems)
    }

    /// The language.
    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// The language's string for `key`, if the file had a usable one.
    pub fn get(&self, key: Text) -> Option<&str> {
        self.strings.get(key)
    }
}

/// What the element shows: the host's overrides, else the language's
/// strings, else English.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    catalog: Option<Rc<Catalog>>,
    overrides: Rc<Strings>,
}

impl Texts {
    /// Texts from a language's catalog (`None`: English) and the host's overrides.
    pub fn new(catalog: Option<Rc<Catalog>>, overrides: Rc<Strings>) -> Texts {
        Texts { catalog, overrides }
    }

    /// The same overrides over another language's catalog (`None`: English).
    pub fn with_catalog(&self, catalog: Option<Rc<Catalog>>) -> Texts {
        Texts::new(catalog, self.overrides.clone())
    }

    /// The same language under other overrides (the host set `texts`).
    pub fn with_overrides(&self, overrides: Rc<Strings>) -> Texts {
        Texts::new(self.catalog.clone(), overrides)
    }

    /// The language the strings are in (the `lang` and `dir` of the markup).
    pub fn lang(&self) -> Lang {
        self.catalog.as_ref().map_or(Lang::En, |c| c.lang)
    }

    /// The string for `key`.
    pub fn get(&self, key: Text) -> &str {
        self.overrides
            .get(key)
            .or_else(|| self.catalog.as_ref()?.get(key))
            .unwrap_or_else(|| key.english())
    }
}
