//! The element's configuration, parsed from its attributes.

use super::failure::Failure;
use super::origin::{HttpUrl, Origin, OriginPattern};
use super::quality::Thresholds;

/// Every attribute the element reads, by its HTML name.
pub const ATTRIBUTES: [&str; 17] = [
    "session-endpoint",
    "result-endpoint",
    "capture-url",
    "mode",
    "lang",
    "allowed-origins",
    "inactivity-timeout",
    "load-timeout",
    "result-wait",
    "agent-timeout",
    "fallback",
    "parent-origin",
    "quality-thresholds",
    "handoff",
    "handoff-endpoint",
    "credentials",
    "expose-mrz",
];

/// Signicat's hosts, always allowed unless `allowed-origins` says otherwise.
pub const SIGNICAT_ORIGINS: &str = "https://*.signicat.com";

/// How the capture runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The hosted capture page in a frame; no fallback.
    Embed,
    /// The frame where framing works, else the `fallback`.
    Auto,
    /// Camera and microphone driven by the component itself.
    Native,
    /// VideoID's own web SDK, loaded into the host's page and shown in the element.
    Sdk,
}

impl Mode {
    /// The attribute value (sent to the backend as the session's `mode`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Embed => "embed",
            Mode::Auto => "auto",
            Mode::Native => "native",
            Mode::Sdk => "sdk",
        }
    }
}

/// Where the capture continues when the frame cannot show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fallback {
    /// A new window that reports back to this page.
    Popup,
    /// The whole page goes to the capture page and comes back.
    Redirect,
    /// Native mode only: the hosted capture page, when the device cannot do the capture.
    Embed,
    /// No fallback: the failure stands.
    None,
}

/// Whether the capture may continue on a phone. It needs the backend's
/// handoff endpoint, which the element cannot see before a session, so a page
/// opts in: off by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handoff {
    /// Offered beside the start button, and first after a camera failure.
    Auto,
    /// `start()` goes straight to the handoff.
    Always,
    /// Never offered.
    Off,
}

impl Handoff {
    /// Reads the `handoff` attribute.
    pub fn parse(value: Option<&str>) -> Result<Handoff, Failure> {
        match value.map(str::trim) {
            Some("auto") => Ok(Handoff::Auto),
            Some("always") => Ok(Handoff::Always),
            None | Some("") | Some("off") => Ok(Handoff::Off),
            Some(_) => Err(Failure::ConfigInvalid { field: "handoff" }),
        }
    }
}

/// Whether the element's calls to the backend carry the page's cookies to
/// another origin (`fetch`'s `credentials`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credentials {
    /// Cookies only to the page's own origin: a backend on that origin.
    SameOrigin,
    /// Cookies to any origin: a backend on another origin, which must allow
    /// this page's origin by CORS with credentials.
    Include,
}

impl Credentials {
    /// Reads the `credentials` attribute.
    pub fn parse(value: Option<&str>) -> Result<Credentials, Failure> {
        match value.map(str::trim) {
            None | Some("") | Some("same-origin") => Ok(Credentials::SameOrigin),
            Some("include") => Ok(Credentials::Include),
            Some(_) => Err(Failure::ConfigInvalid {
                field: "credentials",
            }),
        }
    }
}

/// The handoff endpoint derived from the session endpoint: its path's last
/// segment replaced by `handoff`, the query kept.
pub fn derive_handoff_endpoint(session: &str) -> String {
    let (path, query) = super::split_at(session, session.find(['?', '#']).unwrap_or(session.len()));
    let base = path
        .rfind('/')
        .map_or("", |i| super::split_at(path, i + 1).0);
    format!("{base}handoff{query}")
}

/// The validated configuration of one element.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where to `POST` for a capture session (relative URLs allowed).
    pub session_endpoint: Option<String>,
    /// Where to `GET` the process result (relative URLs allowed).
    pub result_endpoint: Option<String>,
    /// A capture URL the host already has; skips the session call.
    pub capture_url: Option<HttpUrl>,
    /// How the capture runs.
    pub mode: Mode,
    /// Which origins a capture URL may have.
    pub allowed_origins: Vec<OriginPattern>,
    /// Milliseconds without sign of life before `InactiveUser.Aborted`.
    pub inactivity_timeout_ms: u32,
    /// Milliseconds the hosted page has to load.
    pub load_timeout_ms: u32,
    /// Milliseconds the result is polled for before the element stops with a
    /// `processing` result that is not final (an agent may review for hours;
    /// the host backend learns the final status by webhook).
    pub result_wait_ms: u32,
    /// `sdk`, attended: milliseconds from the SDK's start (or its queue again
    /// after a dropped call) until an agent picks up, before `Agent.Unavailable`.
    pub agent_timeout_ms: u32,
    /// What `auto` does when framing fails.
    pub fallback: Fallback,
    /// When set, events are also posted to `window.parent` with this target origin.
    pub parent_origin: Option<Origin>,
    /// Native: the frame-quality thresholds for hints and auto-capture.
    pub quality: Thresholds,
    /// Whether the capture may continue on a phone.
    pub handoff: Handoff,
    /// Where to `POST` for a handoff link (from `handoff-endpoint` or `session-endpoint`).
    pub handoff_endpoint: Option<String>,
    /// The origin a handoff link must have: the endpoint's, or the page's.
    pub handoff_origin: Origin,
    /// Whether the backend calls carry cookies to another origin.
    pub credentials: Credentials,
    /// Native: whether `videoid-step` carries the fields of the document's
    /// machine-readable zone (by default only whether it read, was valid and
    /// had expired).
    pub expose_mrz: bool,
}

const MAX_ENDPOINT_LEN: usize = 2048;

fn endpoint(value: Option<&str>, field: &'static str) -> Result<Option<String>, Failure> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    let lower = value.to_ascii_lowercase();
    let bad_scheme = lower.contains(':')
        && !(lower.starts_with("https://") || lower.starts_with("http://"))
        && !value.starts_with('/');
    if value.len() > MAX_ENDPOINT_LEN
        || value.chars().any(|c| c.is_control() || c.is_whitespace())
        || bad_scheme
    {
        return Err(Failure::ConfigInvalid { field });
    }
    if lower.starts_with("http") && super::find(&lower, "://").is_some() {
        HttpUrl::parse(value).map_err(|_| Failure::ConfigInvalid { field })?;
    }
    Ok(Some(value.to_string()))
}

fn seconds(
    value: Option<&str>,
    field: &'static str,
    default: u32,
    max: u32,
) -> Result<u32, Failure> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default * 1000),
        Some(v) => match super::decimal(v, 6) {
            Some(s) if (1..=max).contains(&s) => Ok(s * 1000),
            _ => Err(Failure::ConfigInvalid { field }),
        },
    }
}

fn allowed_origins(value: Option<&str>, page: &Origin) -> Result<Vec<OriginPattern>, Failure> {
    let field = "allowed-origins";
    let text = value
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .unwrap_or(SIGNICAT_ORIGINS);
    let mut patterns = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|s| !s.is_empty())
        .take(64)
        .map(|s| OriginPattern::parse(s).map_err(|_| Failure::ConfigInvalid { field }))
        .collect::<Result<Vec<_>, _>>()?;
    patterns.push(OriginPattern::Exact(page.clone()));
    Ok(patterns)
}

impl Config {
    /// Parses the attributes; `get` returns an attribute's value, `page` is
    /// the page's own origin. (`lang` is read by `i18n::choose`.)
    pub fn parse(get: impl Fn(&str) -> Option<String>, page: &Origin) -> Result<Config, Failure> {
        let attr = |name: &str| get(name);
        let mode = match attr("mode").as_deref().map(str::trim) {
            None | Some("") | Some("auto") => Mode::Auto,
            Some("embed") => Mode::Embed,
            Some("native") => Mode::Native,
            Some("sdk") => Mode::Sdk,
            Some(_) => return Err(Failure::ConfigInvalid { field: "mode" }),
        };
        // The default fallback depends on the mode: a popup for `auto`; for
        // `native` the typed failure, since the hosted page changes the look
        // the site chose native for and needs a capture flow started for it.
        let fallback = match (mode, attr("fallback").as_deref().map(str::trim)) {
            (Mode::Native | Mode::Sdk, None | Some("")) => Fallback::None,
            (_, None | Some("")) => Fallback::Popup,
            (Mode::Native, Some("embed")) => Fallback::Embed,
            (Mode::Auto | Mode::Embed, Some("popup")) => Fallback::Popup,
            (Mode::Auto | Mode::Embed, Some("redirect")) => Fallback::Redirect,
            (_, Some("none")) => Fallback::None,
            _ => return Err(Failure::ConfigInvalid { field: "fallback" }),
        };
        let session_endpoint = endpoint(attr("session-endpoint").as_deref(), "session-endpoint")?;
        let result_endpoint = endpoint(attr("result-endpoint").as_deref(), "result-endpoint")?;
        let capture_url = match attr("capture-url")
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => None,
            Some(v) => Some(HttpUrl::parse(v).map_err(|_| Failure::ConfigInvalid {
                field: "capture-url",
            })?),
        };
        if session_endpoint.is_none() && capture_url.is_none() {
            return Err(Failure::ConfigInvalid {
                field: "session-endpoint",
            });
        }
        let parent_origin = match attr("parent-origin")
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            None => None,
            Some(v) => Some(Origin::parse(v).map_err(|_| Failure::ConfigInvalid {
                field: "parent-origin",
            })?),
        };
        let handoff = Handoff::parse(attr("handoff").as_deref())?;
        let handoff_endpoint =
            match endpoint(attr("handoff-endpoint").as_deref(), "handoff-endpoint")? {
                Some(e) => Some(e),
                None => session_endpoint.as_deref().map(derive_handoff_endpoint),
            };
        let handoff_origin = handoff_endpoint
            .as_deref()
            .and_then(|e| HttpUrl::parse(e).ok())
            .map_or_else(|| page.clone(), |u| u.origin().clone());
        Ok(Config {
            credentials: Credentials::parse(attr("credentials").as_deref())?,
            // A boolean attribute: present is on (`expose-mrz`, `expose-mrz=""`), as in HTML;
            // `false` is off too, for a property set from a boolean.
            expose_mrz: attr("expose-mrz").is_some_and(|v| v.trim() != "false"),
            handoff,
            handoff_endpoint,
            handoff_origin,
            session_endpoint,
            result_endpoint,
            capture_url,
            mode,
            allowed_origins: allowed_origins(attr("allowed-origins").as_deref(), page)?,
            inactivity_timeout_ms: seconds(
                attr("inactivity-timeout").as_deref(),
                "inactivity-timeout",
                180,
                3600,
            )?,
            load_timeout_ms: seconds(attr("load-timeout").as_deref(), "load-timeout", 30, 300)?,
            result_wait_ms: seconds(attr("result-wait").as_deref(), "result-wait", 120, 86_400)?,
            agent_timeout_ms: seconds(
                attr("agent-timeout").as_deref(),
                "agent-timeout",
                300,
                86_400,
            )?,
            fallback,
            parent_origin,
            quality: Thresholds::parse(attr("quality-thresholds").as_deref().unwrap_or(""))
                .map_err(|_| Failure::ConfigInvalid {
                    field: "quality-thresholds",
                })?,
        })
    }

    /// Whether `origin` may serve the capture page.
    pub fn allows(&self, origin: &Origin) -> bool {
        self.allowed_origins.iter().any(|p| p.matches(origin))
    }

    /// The fallback that a framing failure may offer, if any.
    pub fn offered_fallback(&self) -> Option<Fallback> {
        match (self.mode, self.fallback) {
            (Mode::Auto, Fallback::Popup) => Some(Fallback::Popup),
            (Mode::Auto, Fallback::Redirect) => Some(Fallback::Redirect),
            _ => None,
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn page() -> Origin {
        Origin::parse("http://localhost:8080").unwrap()
    }

    fn parse(pairs: &[(&str, &str)]) -> Result<Config, Failure> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::parse(|name| map.get(name).cloned(), &page())
    }

    fn field(pairs: &[(&str, &str)]) -> &'static str {
        match parse(pairs) {
            Err(Failure::ConfigInvalid { field }) => field,
            other => panic!("expected Config.Invalid, got {other:?}"),
        }
    }

    #[test]
    fn defaults_are_documented_ones() {
        let c = parse(&[("session-endpoint", "/api/videoid/session")]).unwrap();
        assert_eq!(c.mode, Mode::Auto);
        assert_eq!(c.fallback, Fallback::Popup);
        assert_eq!(c.inactivity_timeout_ms, 180_000);
        assert_eq!(c.load_timeout_ms, 30_000);
        assert_eq!(c.result_wait_ms, 120_000);
        assert_eq!(c.agent_timeout_ms, 300_000);
        assert!(c.allows(&Origin::parse("https://id.signicat.com").unwrap()));
        assert!(c.allows(&page()));
        assert!(!c.allows(&Origin::parse("http://127.0.0.1:8081").unwrap()));
        assert_eq!(c.offered_fallback(), Some(Fallback::Popup));
    }

    #[test]
    fn every_attribute_is_read() {
        let c = parse(&[
            ("session-endpoint", "https://host.example/api/s"),
            ("result-endpoint", "/api/r?x=1"),
            ("mode", "embed"),
            ("lang", "nb-NO"),
            (
                "allowed-origins",
                "http://127.0.0.1:8081, https://*.example.com",
            ),
            ("inactivity-timeout", "5"),
            ("load-timeout", "2"),
            ("result-wait", " 600 "),
            ("agent-timeout", "45"),
            ("fallback", "redirect"),
            ("parent-origin", "https://parent.example"),
        ])
        .unwrap();
        assert_eq!(c.mode, Mode::Embed);
        assert_eq!(c.inactivity_timeout_ms, 5000);
        assert_eq!(c.load_timeout_ms, 2000);
        assert_eq!(c.result_wait_ms, 600_000);
        assert_eq!(c.agent_timeout_ms, 45_000);
        assert_eq!(c.fallback, Fallback::Redirect);
        assert_eq!(c.offered_fallback(), None, "embed never offers a fallback");
        assert_eq!(
            c.parent_origin.as_ref().unwrap().to_string(),
            "https://parent.example"
        );
        assert!(c.allows(&Origin::parse("http://127.0.0.1:8081").unwrap()));
        assert!(c.allows(&Origin::parse("https://a.example.com").unwrap()));
        assert!(
            !c.allows(&Origin::parse("https://id.signicat.com").unwrap()),
            "an explicit list replaces the default"
        );
    }

    #[test]
    fn invalid_values_name_their_attribute() {
        let s = ("session-endpoint", "/s");
        assert_eq!(field(&[]), "session-endpoint");
        assert_eq!(
            field(&[s, ("mode", "native"), ("fallback", "popup")]),
            "fallback"
        );
        assert_eq!(
            field(&[s, ("mode", "auto"), ("fallback", "embed")]),
            "fallback"
        );
        assert_eq!(field(&[s, ("mode", "bogus")]), "mode");
        assert_eq!(
            field(&[s, ("inactivity-timeout", "abc")]),
            "inactivity-timeout"
        );
        assert_eq!(
            field(&[s, ("inactivity-timeout", "0")]),
            "inactivity-timeout"
        );
        assert_eq!(
            field(&[s, ("inactivity-timeout", "-5")]),
            "inactivity-timeout"
        );
        assert_eq!(
            field(&[s, ("inactivity-timeout", "99999999")]),
            "inactivity-timeout"
        );
        assert_eq!(field(&[s, ("load-timeout", "1.5")]), "load-timeout");
        for bad in ["0", "-1", "1.5", "2m", "abc", "86401", "9999999"] {
            assert_eq!(field(&[s, ("result-wait", bad)]), "result-wait", "{bad}");
        }
        for bad in ["0", "-1", "1.5", "5s", "86401"] {
            assert_eq!(
                field(&[s, ("agent-timeout", bad)]),
                "agent-timeout",
                "{bad}"
            );
        }
        let at_most = parse(&[s, ("agent-timeout", "86400")]).map(|c| c.agent_timeout_ms);
        assert_eq!(at_most, Ok(86_400_000), "a day at most");
        let at_most = parse(&[s, ("result-wait", "86400")]).map(|c| c.result_wait_ms);
        assert_eq!(at_most, Ok(86_400_000), "a day at most");
        let empty = parse(&[s, ("result-wait", " ")]).map(|c| c.result_wait_ms);
        assert_eq!(empty, Ok(120_000), "empty is the default");
        assert_eq!(
            field(&[s, ("allowed-origins", "not a url")]),
            "allowed-origins"
        );
        assert_eq!(
            field(&[s, ("allowed-origins", "https://*.com")]),
            "allowed-origins"
        );
        assert_eq!(field(&[s, ("fallback", "iframe")]), "fallback");
        assert_eq!(
            field(&[s, ("quality-thresholds", "sharpness=fast")]),
            "quality-thresholds"
        );
        assert_eq!(field(&[s, ("parent-origin", "*")]), "parent-origin");
        assert_eq!(
            field(&[s, ("parent-origin", "https://a.com/path")]),
            "parent-origin"
        );
        assert_eq!(
            field(&[("session-endpoint", "javascript:alert(1)")]),
            "session-endpoint"
        );
        assert_eq!(
            field(&[("session-endpoint", "http://example.com/s")]),
            "session-endpoint"
        );
        assert_eq!(
            field(&[("capture-url", "http://evil.example/c")]),
            "capture-url"
        );
    }

    #[test]
    fn native_mode_defaults_to_no_fallback_and_may_allow_embed() {
        let c = parse(&[("session-endpoint", "/s"), ("mode", "native")]).unwrap();
        assert_eq!((c.mode, c.fallback), (Mode::Native, Fallback::None));
        assert_eq!(c.offered_fallback(), None);
        let c = parse(&[
            ("session-endpoint", "/s"),
            ("mode", "native"),
            ("fallback", "embed"),
        ])
        .unwrap();
        assert_eq!(c.fallback, Fallback::Embed);
    }

    #[test]
    fn sdk_mode_has_no_fallback() {
        let c = parse(&[("session-endpoint", "/s"), ("mode", "sdk")]).unwrap();
        assert_eq!((c.mode, c.fallback), (Mode::Sdk, Fallback::None));
        assert_eq!(c.offered_fallback(), None);
        let c = parse(&[
            ("session-endpoint", "/s"),
            ("mode", " sdk "),
            ("fallback", "none"),
        ]);
        assert_eq!(c.map(|c| c.mode), Ok(Mode::Sdk));
        for fallback in ["popup", "redirect", "embed"] {
            assert_eq!(
                field(&[
                    ("session-endpoint", "/s"),
                    ("mode", "sdk"),
                    ("fallback", fallback)
                ]),
                "fallback"
            );
        }
        assert_eq!(
            field(&[("session-endpoint", "/s"), ("mode", "SDK")]),
            "mode"
        );
    }

    #[test]
    fn expose_mrz_is_on_when_present_unless_false() {
        let s = ("session-endpoint", "/s");
        assert!(!parse(&[s]).unwrap().expose_mrz);
        assert!(!parse(&[s, ("expose-mrz", " false ")]).unwrap().expose_mrz);
        for on in ["", "true", "expose-mrz", "yes"] {
            assert!(
                parse(&[s, ("expose-mrz", on)]).unwrap().expose_mrz,
                "{on:?}"
            );
        }
    }

    #[test]
    fn credentials_are_same_origin_unless_include_is_asked_for() {
        let s = ("session-endpoint", "/s");
        assert_eq!(parse(&[s]).unwrap().credentials, Credentials::SameOrigin);
        assert_eq!(
            parse(&[s, ("credentials", " include ")])
                .unwrap()
                .credentials,
            Credentials::Include
        );
        assert_eq!(
            parse(&[s, ("credentials", "same-origin")])
                .unwrap()
                .credentials,
            Credentials::SameOrigin
        );
        for bad in ["omit", "INCLUDE", "true"] {
            assert_eq!(field(&[s, ("credentials", bad)]), "credentials", "{bad}");
        }
    }

    #[test]
    fn handoff_is_off_by_default_and_its_endpoint_follows_the_session_endpoint() {
        let c = parse(&[("session-endpoint", "/api/videoid/session?scenario=accepted")]).unwrap();
        assert_eq!(c.handoff, Handoff::Off);
        assert_eq!(
            c.handoff_endpoint.as_deref(),
            Some("/api/videoid/handoff?scenario=accepted")
        );
        assert_eq!(c.handoff_origin, page());
        let c = parse(&[
            ("session-endpoint", "https://api.example.com/v1/session"),
            ("handoff", " always "),
        ])
        .unwrap();
        assert_eq!(c.handoff, Handoff::Always);
        assert_eq!(
            c.handoff_endpoint.as_deref(),
            Some("https://api.example.com/v1/handoff")
        );
        assert_eq!(
            c.handoff_origin,
            Origin::parse("https://api.example.com").unwrap(),
            "links come from the endpoint's origin"
        );
        let c = parse(&[
            ("session-endpoint", "/s"),
            ("handoff", "off"),
            ("handoff-endpoint", "/phone/link"),
        ])
        .unwrap();
        assert_eq!(c.handoff, Handoff::Off);
        assert_eq!(c.handoff_endpoint.as_deref(), Some("/phone/link"));
        assert_eq!(derive_handoff_endpoint("session"), "handoff");
        let c = parse(&[("capture-url", "https://id.signicat.com/capture/")]).unwrap();
        assert_eq!(c.handoff_endpoint, None, "no endpoint to derive it from");
    }

    #[test]
    fn bad_handoff_values_name_their_attribute() {
        let s = ("session-endpoint", "/s");
        assert_eq!(field(&[s, ("handoff", "sometimes")]), "handoff");
        assert_eq!(field(&[s, ("handoff", "ALWAYS")]), "handoff");
        assert_eq!(
            field(&[s, ("handoff-endpoint", "javascript:alert(1)")]),
            "handoff-endpoint"
        );
        assert_eq!(
            field(&[s, ("handoff-endpoint", "http://example.com/h")]),
            "handoff-endpoint"
        );
        assert_eq!(
            field(&[s, ("handoff-endpoint", "/h a")]),
            "handoff-endpoint"
        );
    }

    #[test]
    fn capture_url_alone_is_enough() {
        let c = parse(&[(
            "capture-url",
            "https://id.signicat.com/capture/#/artifact=x",
        )])
        .unwrap();
        assert!(c.session_endpoint.is_none());
        assert!(c.capture_url.is_some());
    }

    /// The element's API as api/videoid-capture.json defines it (scripts/api.mjs
    /// writes the typings, the shell's attribute list and the npm README's tables from it).
    fn api() -> serde_json::Value {
        serde_json::from_str(include_str!("../../api/videoid-capture.json"))
            .expect("api/videoid-capture.json is JSON")
    }

    fn names<'a>(items: impl IntoIterator<Item = &'a serde_json::Value>, key: &str) -> Vec<String> {
        items
            .into_iter()
            .map(|item| {
                item[key]
                    .as_str()
                    .unwrap_or_else(|| panic!("an item without its {key}: {item}"))
                    .to_string()
            })
            .collect()
    }

    #[test]
    fn the_api_source_names_exactly_the_attributes_the_parser_reads() {
        let api = api();
        let all = api["attributes"].as_array().expect("attributes");
        let (read_only, observed): (Vec<_>, Vec<_>) = all
            .iter()
            .partition(|a| a["readonly"].as_bool().unwrap_or(false));
        // Same names, same order: the shell's observedAttributes and the wasm's
        // props (src/web/props.rs) line up through ATTRIBUTES.
        assert_eq!(
            names(observed, "name"),
            ATTRIBUTES,
            "the source's observed attributes"
        );
        assert_eq!(
            names(read_only, "name"),
            ["state", "step"],
            "only the reflected ones are read-only"
        );
        // Config::parse asks for each of them but `lang`, which i18n::choose reads.
        let asked = std::cell::RefCell::new(Vec::new());
        let parsed = Config::parse(
            |name| {
                asked.borrow_mut().push(name.to_string());
                (name == "session-endpoint").then(|| "/s".to_string())
            },
            &page(),
        );
        assert!(parsed.is_ok(), "{parsed:?}");
        let mut asked = asked.into_inner();
        asked.sort();
        asked.dedup();
        let mut expected: Vec<&str> = ATTRIBUTES
            .iter()
            .copied()
            .filter(|a| *a != "lang")
            .collect();
        expected.sort();
        assert_eq!(asked, expected);
    }

    #[test]
    fn the_api_sources_values_and_defaults_are_the_parsers() {
        let api = api();
        let attribute = |name: &str| {
            api["attributes"]
                .as_array()
                .and_then(|all| all.iter().find(|a| a["name"] == name))
                .unwrap_or_else(|| panic!("the source has no attribute {name}"))
                .clone()
        };
        let values = |name: &str| -> Vec<String> {
            let a = attribute(name);
            a["values"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} lists its values"))
                .iter()
                .map(|v| v.as_str().expect("a value is a string").to_string())
                .collect()
        };
        let s = ("session-endpoint", "/s");
        for mode in values("mode") {
            assert!(parse(&[s, ("mode", &mode)]).is_ok(), "mode={mode}");
        }
        assert_eq!(field(&[s, ("mode", "bogus")]), "mode");
        for handoff in values("handoff") {
            assert!(
                parse(&[s, ("handoff", &handoff)]).is_ok(),
                "handoff={handoff}"
            );
        }
        // Every listed fallback is accepted in some mode.
        let modes = values("mode");
        for fallback in values("fallback") {
            assert!(
                modes
                    .iter()
                    .any(|m| parse(&[s, ("mode", m), ("fallback", &fallback)]).is_ok()),
                "fallback={fallback}"
            );
        }
        let langs = values("lang");
        let known: Vec<_> = super::super::i18n::Lang::ALL
            .iter()
            .map(|l| l.tag())
            .collect();
        assert_eq!(langs, known, "the source's languages are the core's");
        let c = parse(&[s]).expect("the defaults parse");
        let default = |name: &str| -> u32 {
            attribute(name)["defaultValue"]
                .as_str()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} has a numeric defaultValue"))
        };
        assert_eq!(
            c.inactivity_timeout_ms,
            default("inactivity-timeout") * 1000
        );
        assert_eq!(c.load_timeout_ms, default("load-timeout") * 1000);
        assert_eq!(c.result_wait_ms, default("result-wait") * 1000);
        assert_eq!(c.agent_timeout_ms, default("agent-timeout") * 1000);
        assert_eq!(attribute("mode")["defaultValue"], c.mode.as_str());
        assert_eq!(attribute("handoff")["defaultValue"], "off");
        assert_eq!(c.handoff, Handoff::Off);
    }
}
