//! The language files as a translator leaves them, and the rules that read them.

use super::*;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Strings that are rightly the same as English in a language (a loanword,
/// a brand): `(tag, key)`. Anything else equal to English is untranslated.
const SAME_AS_ENGLISH: &[(&str, &str)] = &[];

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("i18n")
}

fn file(lang: Lang) -> Vec<(String, String)> {
    let path = dir().join(format!("{}.json", lang.tag()));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    file::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn entries(pairs: &[(&str, &str)]) -> Vec<(String, Value)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), Value::Text(v.to_string())))
        .collect()
}

#[test]
fn every_language_has_a_file_and_every_file_a_language() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir())
        .expect("i18n/ exists")
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let expected: BTreeSet<String> = Lang::ALL
        .iter()
        .map(|l| format!("{}.json", l.tag()))
        .collect();
    assert_eq!(on_disk, expected);
}

#[test]
fn english_is_the_compiled_in_source() {
    let en = file(Lang::En);
    let keys: Vec<&str> = en.iter().map(|(k, _)| k.as_str()).collect();
    let compiled: Vec<&str> = Text::ALL.iter().map(|t| t.key()).collect();
    assert_eq!(keys, compiled);
    for (key, value) in &en {
        let text = Text::from_key(key).expect("a compiled-in key");
        assert_eq!(text.english(), value);
        assert!(value.chars().count() <= MAX_TEXT_CHARS, "{key} is too long");
    }
    assert_eq!(Text::Start.key(), "start");
}

#[test]
fn every_language_file_has_exactly_the_english_keys_in_their_order() {
    let english: Vec<&str> = Text::ALL.iter().map(|t| t.key()).collect();
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let pairs = file(lang);
        let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
        let missing: Vec<&str> = english
            .iter()
            .filter(|k| !keys.contains(k))
            .copied()
            .collect();
        let extra: Vec<&str> = keys
            .iter()
            .filter(|k| !english.contains(k))
            .copied()
            .collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "i18n/{}.json: missing {missing:?}, not in en.json {extra:?}",
            lang.tag()
        );
        assert_eq!(
            keys,
            english,
            "i18n/{}.json: keys in the order of en.json",
            lang.tag()
        );
    }
}

#[test]
fn every_language_file_reads_without_a_problem() {
    for lang in Lang::ALL {
        let pairs = file(lang);
        let (catalog, problems) =
            Catalog::read(lang, pairs.into_iter().map(|(k, v)| (k, Value::Text(v))));
        assert!(problems.is_empty(), "i18n/{}.json: {problems}", lang.tag());
        assert_eq!(catalog.lang(), lang);
    }
}

#[test]
fn every_string_is_translated() {
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        let same: Vec<String> = file(lang)
            .into_iter()
            .filter(|(key, value)| {
                Text::from_key(key).is_some_and(|t| t.english() == value)
                    && !SAME_AS_ENGLISH.contains(&(lang.tag(), key.as_str()))
            })
            .map(|(key, _)| key)
            .collect();
        assert!(
            same.is_empty(),
            "i18n/{}.json: still English: {same:?}",
            lang.tag()
        );
    }
}

#[test]
fn strings_keep_their_shape_across_languages() {
    for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
        for (key, value) in file(lang) {
            let english = Text::from_key(&key).map(Text::english).unwrap_or("");
            let at = format!("i18n/{}.json {key}", lang.tag());
            assert_eq!(value.trim(), value, "{at}: white space at an end");
            assert!(!value.contains("  "), "{at}: a double space");
            assert!(!value.contains("..."), "{at}: three dots (use …)");
            assert_eq!(
                english.ends_with('…'),
                value.ends_with('…'),
                "{at}: the ellipsis of English"
            );
            assert_eq!(
                english.ends_with(':'),
                value.ends_with(':'),
                "{at}: the colon of English"
            );
            // Buttons and headings stay short enough for a phone.
            if !english.contains(' ') || english.len() < 30 {
                assert!(
                    value.chars().count() <= 48,
                    "{at}: too long for a label: {value}"
                );
            }
        }
    }
}

#[test]
fn arabic_is_written_in_arabic_script_and_right_to_left() {
    let arabic = |c: char| ('\u{0600}'..='\u{06FF}').contains(&c);
    for (key, value) in file(Lang::Ar) {
        assert!(value.chars().any(arabic), "ar {key}: {value}");
    }
    assert_eq!(Lang::Ar.dir(), "rtl");
    assert!(Lang::ALL
        .iter()
        .filter(|l| **l != Lang::Ar)
        .all(|l| l.dir() == "ltr"));
}

#[test]
fn tags_pick_the_language_with_region_fallback() {
    for (tag, lang) in [
        ("en", Some(Lang::En)),
        ("en-GB", Some(Lang::En)),
        ("nb-NO", Some(Lang::Nb)),
        ("no", Some(Lang::Nb)),
        ("NN", Some(Lang::Nb)),
        ("nn-NO", Some(Lang::Nb)),
        ("sv-FI", Some(Lang::Sv)),
        ("da_DK", Some(Lang::Da)),
        ("fi", Some(Lang::Fi)),
        ("de-CH", Some(Lang::De)),
        ("nl-BE", Some(Lang::Nl)),
        ("fr-CA", Some(Lang::Fr)),
        ("es-419", Some(Lang::Es)),
        ("it", Some(Lang::It)),
        ("pt-BR", Some(Lang::Pt)),
        ("pl-PL", Some(Lang::Pl)),
        ("ar-EG", Some(Lang::Ar)),
        (" de ", Some(Lang::De)),
        ("ja", None),
        ("zh-Hant-TW", None),
        ("", None),
        ("e", None),
        ("de-", None),
        ("<script>", None),
        ("german", None),
    ] {
        assert_eq!(Lang::from_tag(tag), lang, "{tag:?}");
    }
    for lang in Lang::ALL {
        assert_eq!(Lang::from_tag(lang.tag()), Some(lang));
    }
}

#[test]
fn the_attribute_then_the_page_then_the_browser_then_english() {
    let nav = |tags: &[&str]| tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
    assert_eq!(choose(Some("de"), Some("fr"), &nav(&["es"])), Lang::De);
    assert_eq!(choose(None, Some("fr-FR"), &nav(&["es"])), Lang::Fr);
    assert_eq!(
        choose(Some(""), Some("fr"), &[]),
        Lang::Fr,
        "an empty attribute is no choice"
    );
    assert_eq!(choose(None, None, &nav(&["ja", "pt-BR", "es"])), Lang::Pt);
    assert_eq!(
        choose(Some("ja"), Some("ko"), &nav(&["zh", "sv-SE"])),
        Lang::Sv,
        "unspoken languages are passed over"
    );
    assert_eq!(choose(None, None, &nav(&["ja"])), Lang::En);
    assert_eq!(choose(None, None, &[]), Lang::En);
}

#[test]
fn unknown_keys_and_unusable_values_are_reported_and_ignored() {
    let mut given = entries(&[("start", "Begin"), ("strat", "typo"), ("retry", "  ")]);
    given.push(("cancel".into(), Value::Other));
    given.push((
        "confirm".into(),
        Value::Text("x".repeat(MAX_TEXT_CHARS + 1)),
    ));
    given.push(("retake".into(), Value::Text("Again, {name}".into())));
    let (strings, problems) = Strings::read(given);
    assert_eq!(strings.get(Text::Start), Some("Begin"));
    for key in [Text::Retry, Text::Cancel, Text::Confirm, Text::Retake] {
        assert_eq!(strings.get(key), None, "{key:?}");
    }
    assert_eq!(problems.unknown, vec!["strat".to_string()]);
    assert_eq!(
        problems.invalid,
        vec![
            (Text::Retry, Invalid::Empty),
            (Text::Cancel, Invalid::NotText),
            (Text::Confirm, Invalid::TooLong),
            (Text::Retake, Invalid::Placeholders),
        ]
    );
    assert!(
        problems.missing.is_empty(),
        "overrides need not be complete"
    );
    let said = problems.to_string();
    assert!(
        said.contains("\"strat\"") && said.contains("cancel (not a string)"),
        "{said}"
    );
}

#[test]
fn a_language_file_with_gaps_falls_back_to_english_key_by_key() {
    let (catalog, problems) = Catalog::read(
        Lang::De,
        entries(&[("start", "Verifizierung starten"), ("extra", "x")]),
    );
    assert_eq!(problems.unknown, vec!["extra".to_string()]);
    assert_eq!(problems.missing.len(), Text::ALL.len() - 1);
    assert!(!problems.missing.contains(&Text::Start));
    let texts = Texts::new(Some(Rc::new(catalog)), Rc::default());
    assert_eq!(texts.lang(), Lang::De);
    assert_eq!(texts.get(Text::Start), "Verifizierung starten");
    assert_eq!(texts.get(Text::Retry), Text::Retry.english());
}

#[test]
fn overrides_win_over_the_language_which_wins_over_english() {
    let (catalog, _) = Catalog::read(
        Lang::Nb,
        file(Lang::Nb).into_iter().map(|(k, v)| (k, Value::Text(v))),
    );
    let (overrides, problems) = Strings::read(entries(&[("start", "Kom i gang")]));
    assert!(problems.is_empty());
    let texts = Texts::new(Some(Rc::new(catalog)), Rc::new(overrides));
    assert_eq!(texts.get(Text::Start), "Kom i gang");
    assert_eq!(texts.get(Text::Retry), "Prøv igjen");
    assert_eq!(Texts::default().get(Text::Retry), "Try again");
    let english = texts.with_catalog(None);
    assert_eq!(
        (
            english.lang(),
            english.get(Text::Start),
            english.get(Text::Retry)
        ),
        (Lang::En, "Kom i gang", "Try again")
    );
    let plain = texts.with_overrides(Rc::default());
    assert_eq!(
        (plain.lang(), plain.get(Text::Start)),
        (Lang::Nb, "Start verifiseringen")
    );
    assert_eq!(Texts::default().lang(), Lang::En);
}

#[test]
fn placeholders_are_names_in_braces() {
    assert_eq!(
        placeholders("Wait {seconds} s for {name}"),
        vec!["seconds", "name"]
    );
    assert!(same_placeholders("{a} {b} {a}", "{b}{a}{a}"));
    assert!(!same_placeholders("{a} {b} {b}", "{b}{a}{a}"));
    assert!(!same_placeholders("{a}", "a"));
    assert!(placeholders("no {} { x} {").is_empty());
}

#[test]
fn reading_stops_after_the_entry_limit() {
    let many = (0..MAX_ENTRIES + 10).map(|i| (format!("k{i}"), Value::Other));
    let (strings, problems) = Strings::read(many);
    assert!(strings.is_empty());
    assert!(problems.truncated);
    assert!(problems.unknown.len() <= 20, "the report stays short");
}
