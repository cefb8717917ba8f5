//! Whether this browser can capture at all, decided before the camera is
//! touched: the features the flow needs, a secure context, and the in-app
//! browsers and WebViews whose user agent gives them away.
//!
//! The adapter reads a few [`Facts`] from the page; [`check`] turns them into
//! [`Capability::Capture`] or a [`Verdict`]: why not (`in-app`, `no-media`,
//! `no-recorder`, `insecure`), on which platform, in which app when it is
//! known, and the ways forward that verdict leaves ([`Verdict::ways_forward`]).
//! On Android one of them is an `intent:` link to the default browser,
//! built by [`intent_url`].
//!
//! The user agent is untrusted text: it is only searched for fixed ASCII
//! markers, within its first [`MAX_UA_SCAN`] bytes, so a huge or malformed
//! string costs bounded work and never panics. The markers are case-sensitive,
//! as the apps send them.

use super::origin::{HttpUrl, UrlError};

/// How much of the user agent is searched. Real ones stay under 600 bytes
/// (the longest in the test table is TikTok's, about 430); a marker past this
/// is not seen.
pub const MAX_UA_SCAN: usize = 2048;

/// What the adapter reads from the browser before the first step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Facts<'a> {
    /// `navigator.userAgent`.
    pub user_agent: &'a str,
    /// `navigator.mediaDevices.getUserMedia` is a function.
    pub has_media_devices: bool,
    /// `window.MediaRecorder` exists.
    pub has_media_recorder: bool,
    /// `window.isSecureContext`.
    pub secure_context: bool,
    /// The flow lists a video step (only then is `MediaRecorder` needed).
    pub video_step: bool,
}

/// Why capture cannot work here. When several hold, the first in this order
/// is reported (see [`check`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Not a secure context: the browser hides the camera whatever it is.
    Insecure,
    /// An in-app browser or WebView: the camera is missing or denied there.
    InApp,
    /// No `navigator.mediaDevices.getUserMedia`.
    NoMedia,
    /// A video step is listed and there is no `MediaRecorder`.
    NoRecorder,
}

impl Reason {
    /// The name in `detail.reason` of `Browser.Unsupported`.
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Insecure => "insecure",
            Reason::InApp => "in-app",
            Reason::NoMedia => "no-media",
            Reason::NoRecorder => "no-recorder",
        }
    }
}

/// The platform, as far as the user agent tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Platform {
    /// `Android` in the user agent.
    Android,
    /// `iPhone`, `iPad` or `iPod`; or `Macintosh` with `Mobile/`, which only
    /// an iPad's in-app browser sends (desktop Safari has no `Mobile/`).
    Ios,
    /// Anything else: desktops, and user agents that say nothing.
    Other,
}

impl Platform {
    /// `android`, `ios` or `other`.
    pub fn as_str(self) -> &'static str {
        match self {
            Platform::Android => "android",
            Platform::Ios => "ios",
            Platform::Other => "other",
        }
    }
}

/// An app whose in-app browser names itself in the user agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum App {
    /// `FBAN/`, `FBAV/`, `FB_IAB/`, `FBIOS` or `MetaIAB`.
    Facebook,
    /// `FBAN/MessengerForiOS` or `FB_IAB/MESSENGER`.
    Messenger,
    /// `Instagram`.
    Instagram,
    /// `musical_ly`, `trill_` or `BytedanceWebview`.
    TikTok,
    /// `LinkedInApp` or `LinkedIn/` (its Android app sends a bare WebView
    /// user agent, caught as such).
    LinkedIn,
    /// `Snapchat`.
    Snapchat,
    /// ` Line/`.
    Line,
    /// `MicroMessenger`.
    WeChat,
    /// `Twitter for iPhone` or `TwitterAndroid` (recent iOS versions send
    /// Safari's user agent and are not seen).
    Twitter,
    /// The Google app: `GSA/`.
    Google,
}

/// The markers of each app, checked in this order: Messenger and Instagram
/// before Facebook, whose tokens they may share.
const APP_MARKERS: [(App, &[&str]); 10] = [
    (
        App::Messenger,
        &["FBAN/MessengerForiOS", "FB_IAB/MESSENGER"],
    ),
    (App::Instagram, &["Instagram"]),
    (
        App::Facebook,
        &["FBAN/", "FBAV/", "FB_IAB/", "FBIOS", "MetaIAB"],
    ),
    (App::TikTok, &["musical_ly", "trill_", "BytedanceWebview"]),
    (App::LinkedIn, &["LinkedInApp", "LinkedIn/"]),
    (App::Snapchat, &["Snapchat"]),
    (App::Line, &[" Line/"]),
    (App::WeChat, &["MicroMessenger"]),
    (App::Twitter, &["Twitter for iPhone", "TwitterAndroid"]),
    (App::Google, &["GSA/"]),
];

/// iOS browsers whose user agent may lack `Safari/`; without one of these
/// and without `Safari/`, an iOS WebKit user agent is an app's bare WKWebView.
const IOS_BROWSERS: [&str; 8] = [
    "CriOS/",
    "FxiOS/",
    "EdgiOS/",
    "OPiOS/",
    "OPT/",
    "DuckDuckGo/",
    "Ddg/",
    "YaBrowser/",
];

impl App {
    /// The app's name as people know it.
    pub fn name(self) -> &'static str {
        match self {
            App::Facebook => "Facebook",
            App::Messenger => "Messenger",
            App::Instagram => "Instagram",
            App::TikTok => "TikTok",
            App::LinkedIn => "LinkedIn",
            App::Snapchat => "Snapchat",
            App::Line => "LINE",
            App::WeChat => "WeChat",
            App::Twitter => "X",
            App::Google => "Google",
        }
    }

    /// Where the app's own "open in browser" is, when it is known to be in
    /// the app's "…" menu.
    pub fn menu(self) -> Option<AppMenu> {
        match self {
            App::Facebook
            | App::Messenger
            | App::Instagram
            | App::TikTok
            | App::LinkedIn
            | App::WeChat => Some(AppMenu::More),
            App::Snapchat | App::Line | App::Twitter | App::Google => None,
        }
    }
}

/// The menu to tap for the app's own "open in browser".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppMenu {
    /// The "…" (or "⋮") button at the top of the app's browser, which holds
    /// "Open in browser" (or "Open in Safari", "Open in external browser").
    More,
}

/// Whether capture can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Every fact allows it, and no in-app marker was found.
    Capture,
    /// It cannot work here.
    Unsupported(Verdict),
}

/// Why capture cannot work here, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// The first reason that holds.
    pub reason: Reason,
    /// The platform the user agent names.
    pub platform: Platform,
    /// The app, for `in-app` with a marker that names it; `None` for a bare
    /// Android WebView (`; wv)`) or iOS WKWebView (no `Safari/`), and for
    /// every other reason.
    pub app: Option<App>,
}

/// The ways forward a verdict leaves, in the order to offer them. When
/// [`is_empty`](WaysForward::is_empty), `Browser.Unsupported` comes at once;
/// otherwise only after the person declines each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaysForward {
    /// "Open in your browser": an `intent:` link from [`intent_url`] (Android,
    /// in-app only).
    pub intent: bool,
    /// "Copy link", to paste in the browser; with the menu where the app opens
    /// the page in the browser itself, when known.
    pub copy_link: bool,
    /// The app's menu for "open in browser", when known.
    pub menu: Option<AppMenu>,
    /// Continue on another device: another browser, another camera.
    pub handoff: bool,
    /// Pick or take a photo of the document with the file input, which needs
    /// neither `getUserMedia` nor a secure context.
    pub file_picker: bool,
}

impl WaysForward {
    /// Nothing to offer.
    pub fn is_empty(&self) -> bool {
        !self.intent && !self.copy_link && !self.handoff && !self.file_picker
    }
}

impl Verdict {
    /// The ways forward, given whether the handoff is on and whether the
    /// current step is a document step.
    ///
    /// - `in-app`: on Android the `intent:` link, everywhere "copy link" with
    ///   the app's menu when known;
    /// - `no-media`, `no-recorder`: "copy link", to open the page in another,
    ///   current browser;
    /// - `insecure`: no other browser helps (the page itself must be served
    ///   over https), so neither is offered;
    /// - always the handoff when it is on, and the file picker on a document step.
    pub fn ways_forward(&self, handoff_on: bool, document_step: bool) -> WaysForward {
        let in_app = self.reason == Reason::InApp;
        WaysForward {
            intent: in_app && self.platform == Platform::Android,
            copy_link: self.reason != Reason::Insecure,
            menu: self.app.filter(|_| in_app).and_then(App::menu),
            handoff: handoff_on,
            file_picker: document_step,
        }
    }
}

/// The searched part of the user agent: at most [`MAX_UA_SCAN`] bytes.
fn scanned(user_agent: &str) -> &[u8] {
    let bytes = user_agent.as_bytes();
    bytes.get(..MAX_UA_SCAN).unwrap_or(bytes)
}

/// Whether `needle` (ASCII) occurs in `hay`.
fn has(hay: &[u8], needle: &str) -> bool {
    let needle = needle.as_bytes();
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The platform the user agent names.
pub fn platform(user_agent: &str) -> Platform {
    let ua = scanned(user_agent);
    if has(ua, "Android") {
        Platform::Android
    } else if has(ua, "iPhone")
        || has(ua, "iPad")
        || has(ua, "iPod")
        || (has(ua, "Macintosh") && has(ua, "Mobile/"))
    {
        Platform::Ios
    } else {
        Platform::Other
    }
}

/// What the user agent says about an in-app browser: `None` when it shows no
/// marker, `Some(None)` for a bare WebView, `Some(Some(app))` for a named app.
///
/// - a named app's marker, anywhere ([`App`]);
/// - Android WebView: `; wv)` (the Android CDD's WebView format; Chrome,
///   Samsung Internet, Firefox, Edge, Opera and DuckDuckGo never send it);
/// - iOS WKWebView: an iOS user agent with WebKit's `AppleWebKit/` and
///   `Mobile/` tokens, but without `Safari/` and without a known browser's
///   token (`CriOS/`, `FxiOS/`, `EdgiOS/`, `DuckDuckGo/`, …). A web app added
///   to the home screen sends the same, and is taken for one.
pub fn in_app(user_agent: &str) -> Option<Option<App>> {
    let ua = scanned(user_agent);
    if let Some((app, _)) = APP_MARKERS
        .iter()
        .find(|(_, markers)| markers.iter().any(|m| has(ua, m)))
    {
        return Some(Some(*app));
    }
    let bare_webview = match platform(user_agent) {
        Platform::Android => has(ua, "; wv)"),
        Platform::Ios => {
            has(ua, "AppleWebKit/")
                && has(ua, "Mobile/")
                && !has(ua, "Safari/")
                && !IOS_BROWSERS.iter().any(|b| has(ua, b))
        }
        Platform::Other => false,
    };
    bare_webview.then_some(None)
}

/// Whether capture can start, from what the page shows.
///
/// Reasons, first that holds wins:
/// 1. `insecure`: outside a secure context the browser hides `mediaDevices`,
///    so the other reasons would mislead, and no other browser helps;
/// 2. `in-app`: an in-app browser or WebView (see [`in_app`]), even when it
///    shows the features: its app usually denies the camera without asking,
///    and opening the page in the browser is the fix to offer;
/// 3. `no-media`: no `getUserMedia`;
/// 4. `no-recorder`: no `MediaRecorder`, only when a video step is listed.
pub fn check(facts: &Facts<'_>) -> Capability {
    let platform = platform(facts.user_agent);
    let in_app = in_app(facts.user_agent);
    let (reason, app) = if !facts.secure_context {
        (Reason::Insecure, None)
    } else if let Some(app) = in_app {
        (Reason::InApp, app)
    } else if !facts.has_media_devices {
        (Reason::NoMedia, None)
    } else if facts.video_step && !facts.has_media_recorder {
        (Reason::NoRecorder, None)
    } else {
        return Capability::Capture;
    };
    Capability::Unsupported(Verdict {
        reason,
        platform,
        app,
    })
}

/// Why [`intent_url`] refused a page URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntentError {
    /// Not an absolute `http(s)` URL, or one the origin parser refuses
    /// (credentials, odd hosts, whitespace, over 4096 bytes).
    Url(UrlError),
}

/// An `intent:` URL that opens `page_url` in Android's default browser:
/// `intent://host[:port]/path?query#fragment#Intent;scheme=https;end`.
///
/// This is the syntax of Chrome's "Android Intents with Chrome"
/// (`intent:HOST/URI-path#Intent;…;scheme=…;end`) with no `package=`, so no
/// particular browser is named and Android picks the default one. Android's
/// `Intent.parseUri` splits at the *last* `#`, so the page's own fragment
/// stays in the data part and comes back with the page.
///
/// Only `https:` URLs (and `http:` on loopback) are accepted, through the
/// strict [`HttpUrl`] parser; `javascript:`, `data:`, `intent:` and the rest
/// are refused. Bytes outside printable ASCII and the characters a URL never
/// holds raw (`"`, `<`, `>`, `^`, `` ` ``, `{`, `|`, `}`) are percent-encoded.
pub fn intent_url(page_url: &str) -> Result<String, IntentError> {
    let url = HttpUrl::parse(page_url).map_err(IntentError::Url)?;
    let full = url.to_string();
    let (scheme, rest) = match full.split_once("://") {
        Some(parts) => parts,
        None => return Err(IntentError::Url(UrlError::Scheme)),
    };
    let mut out = String::with_capacity(rest.len() + 40);
    out.push_str("intent://");
    for b in rest.bytes() {
        if b.is_ascii_graphic() && !b"\"<>^`{|}".contains(&b) {
            out.push(char::from(b));
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xf)]));
        }
    }
    out.push_str("#Intent;scheme=");
    out.push_str(scheme);
    out.push_str(";end");
    Ok(out)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "capability_ua.rs"]
mod ua;

#[cfg(all(test, not(target_arch = "wasm32")))]
#[path = "capability_tests.rs"]
mod tests;
