//! Real user agents, copied exactly from public sources, with where each came
//! from and what [`check`](super::check) must make of it when every feature
//! fact allows capture. Test-only.
//!
//! Some sources hold fixtures of in-app detection libraries; those strings
//! were captured on devices by their contributors. Where a source quotes a
//! string from someone's logs or device, the link is to that page.

use super::{App, Platform};

/// What the check must say with every feature fact true.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// No in-app marker: capture is possible.
    Browser,
    /// An in-app browser: `Some(app)` named, `None` a bare WebView.
    InApp(Option<App>),
}

/// One user agent of the table.
pub struct Row {
    /// What it is.
    pub what: &'static str,
    /// The exact string.
    pub ua: &'static str,
    /// Where it was published.
    pub source: &'static str,
    /// The platform it must be read as.
    pub platform: Platform,
    /// The verdict it must get.
    pub expect: Expect,
}

/// shalanah/inapp-spy's phone fixtures (a maintained in-app detection library).
const INAPP_SPY: &str = "https://github.com/shalanah/inapp-spy/blob/06fe0c57e7439edd8a84e352dc027a5388f7220f/src/tests/mobile.ts";
/// shalanah/inapp-spy's desktop fixtures.
const INAPP_SPY_DESKTOP: &str = "https://github.com/shalanah/inapp-spy/blob/7f416f71a73714f0cc6cb11734b53a22f5419a00/src/tests/desktop.ts";
/// f2etw/detect-inapp's test fixtures (the library inapp-spy was forked from).
const DETECT_INAPP: &str = "https://github.com/f2etw/detect-inapp/blob/078c84fe79c90d832cbba3b6e67adfe20b6a8160/src/__test__/inapp.test.js";
/// A 2021 survey of in-app browser user agents on an iPhone 12 Pro (iOS 14.5).
const ZENN_2021: &str = "https://zenn.dev/kecy/articles/f51851e42c4243";
/// A published list of current user agents per browser and platform.
const UPDATED_UAS: &str =
    "https://raw.githubusercontent.com/tmxkn1/UpdatedUserAgents/master/useragents.json";

use Expect::{Browser, InApp};
use Platform::{Android, Ios, Other};

/// The table: 55 user agents from 22 sources (26 browsers, 29 in-app).
pub const TABLE: &[Row] = &[
    // iOS browsers.
    Row {
        what: "Safari, iOS 18.1",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
        source: INAPP_SPY,
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "Safari, iOS 14.5",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 14_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1 Mobile/15E148 Safari/604.1",
        source: ZENN_2021,
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "Chrome, iOS 14.5",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 14_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/91.0.4472.80 Mobile/15E148 Safari/604.1",
        source: ZENN_2021,
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "Chrome, iOS 17.6",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/127.0.6533.107 Mobile/15E148 Safari/604.1",
        source: UPDATED_UAS,
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "Firefox, iOS 18.1",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/130.1  Mobile/15E148 Safari/605.1.15",
        source: INAPP_SPY,
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "Firefox, iOS 10.3",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_1 like Mac OS X) AppleWebKit/603.1.30 (KHTML, like Gecko) FxiOS/7.3b2772 Mobile/14E304 Safari/603.1.30",
        source: "https://github.com/hotoo/detector/issues/114",
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "Edge, iOS 17.6",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 EdgiOS/127.2651.102 Mobile/15E148 Safari/605.1.15",
        source: UPDATED_UAS,
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "Opera, iOS 18.1",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1 OPT/5.0.7",
        source: INAPP_SPY,
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "DuckDuckGo, iOS 12.4 (no Safari/ token)",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 12_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 DuckDuckGo/7",
        source: "https://github.com/alaz/legitbot/pull/16",
        platform: Ios,
        expect: Browser,
    },
    Row {
        what: "Gmail's in-app browser, iOS 12 (the same string as Safari: not detectable)",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 12_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/12.0 Mobile/15E148 Safari/604.1",
        source: "https://github.com/atomantic/is-ua-webview/issues/2",
        platform: Ios,
        expect: Browser,
    },
    // Android browsers.
    Row {
        what: "Chrome, Android 10 (reduced user agent)",
        ua: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Mobile Safari/537.36",
        source: INAPP_SPY,
        platform: Android,
        expect: Browser,
    },
    Row {
        what: "Chrome, Android 6 (Sony)",
        ua: "Mozilla/5.0 (Linux; Android 6.0.1; D6653 Build/23.5.A.0.575) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/58.0.3029.83 Mobile Safari/537.36",
        source: DETECT_INAPP,
        platform: Android,
        expect: Browser,
    },
    Row {
        what: "Samsung Internet 24",
        ua: "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36",
        source: "https://github.com/nielsbasjes/yauaa/issues/1386",
        platform: Android,
        expect: Browser,
    },
    Row {
        what: "Firefox, Android 14",
        ua: "Mozilla/5.0 (Android 14; Mobile; rv:129.0) Gecko/129.0 Firefox/129.0",
        source: UPDATED_UAS,
        platform: Android,
        expect: Browser,
    },
    Row {
        what: "Firefox, Android 4.4 (MDN's example)",
        ua: "Mozilla/5.0 (Android 4.4; Mobile; rv:41.0) Gecko/41.0 Firefox/41.0",
        source: "https://github.com/naver/egjs-agent/issues/16",
        platform: Android,
        expect: Browser,
    },
    Row {
        what: "Edge, Android 10",
        ua: "Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.6533.103 Mobile Safari/537.36 EdgA/127.0.2651.90",
        source: UPDATED_UAS,
        platform: Android,
        expect: Browser,
    },
    Row {
        what: "Opera, Android 4.2",
        ua: "Mozilla/5.0 (Linux; Android 4.2.2; SO-01F Build/14.1.H.1.281) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/33.0.1750.166 Mobile Safari/537.36 OPR/20.0.1396.73172",
        source: "https://app.unpkg.com/woothee@1.11.1/files/woothee/testsets/smartphone_android.yaml",
        platform: Android,
        expect: Browser,
    },
    Row {
        what: "DuckDuckGo, Android 14 (Version/4.0 but no wv)",
        ua: "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.106 Mobile DuckDuckGo/5 Safari/537.36",
        source: "https://github.com/ray-lothian/UserAgent-Switcher/issues/232",
        platform: Android,
        expect: Browser,
    },
    Row {
        what: "MIUI Browser, Android 6 (Version/4.0 but no wv)",
        ua: "Mozilla/5.0 (Linux; U; Android 6.0.1; zh-tw; Redmi Note 3 Build/MMB29M) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/53.0.2785.146 Mobile Safari/537.36 XiaoMi/MiuiBrowser/8.5.8",
        source: DETECT_INAPP,
        platform: Android,
        expect: Browser,
    },
    // Desktop browsers.
    Row {
        what: "Chrome, macOS",
        ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/141.0.0.0 Safari/537.36",
        source: INAPP_SPY_DESKTOP,
        platform: Other,
        expect: Browser,
    },
    Row {
        what: "Firefox, macOS",
        ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:141.0) Gecko/20100101 Firefox/141.0",
        source: INAPP_SPY_DESKTOP,
        platform: Other,
        expect: Browser,
    },
    Row {
        what: "Safari, macOS",
        ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        source: INAPP_SPY_DESKTOP,
        platform: Other,
        expect: Browser,
    },
    Row {
        what: "Edge, Windows",
        ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/127.0.0.0 Safari/537.36 Edg/127.0.2651.98",
        source: UPDATED_UAS,
        platform: Other,
        expect: Browser,
    },
    Row {
        what: "Firefox, Windows",
        ua: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:129.0) Gecko/20100101 Firefox/129.0",
        source: UPDATED_UAS,
        platform: Other,
        expect: Browser,
    },
    Row {
        what: "Chrome, Linux",
        ua: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3100.0 Safari/537.36",
        source: INAPP_SPY_DESKTOP,
        platform: Other,
        expect: Browser,
    },
    Row {
        what: "DuckDuckGo, macOS",
        ua: "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15 Ddg/17.5",
        source: "https://github.com/matomo-org/device-detector/issues/7736",
        platform: Other,
        expect: Browser,
    },
    // Bare WebViews.
    Row {
        what: "iOS WKWebView (Flutter InAppWebView), iOS 17.4",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
        source: "https://github.com/pichillilorenzo/flutter_inappwebview/issues/2272",
        platform: Ios,
        expect: InApp(None),
    },
    Row {
        what: "iOS WebView, iOS 8.1",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 8_1 like Mac OS X) AppleWebKit/600.1.4 (KHTML, like Gecko) Mobile/12B411",
        source: "https://github.com/woothee/woothee/issues/11",
        platform: Ios,
        expect: InApp(None),
    },
    Row {
        what: "LinkedIn, Android 7.1 (a bare WebView user agent)",
        ua: "Mozilla/5.0 (Linux; Android 7.1.2; VirtualBox Build/NZH54D; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/52.0.2743.100 Safari/537.36",
        source: "https://github.com/browscap/browscap/issues/1707",
        platform: Android,
        expect: InApp(None),
    },
    Row {
        what: "Reddit, Android 14 (WebView)",
        ua: "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.58 Mobile Safari/537.36 Reddit/Version 2024.41.0/Build 2102450/Android 14",
        source: INAPP_SPY,
        platform: Android,
        expect: InApp(None),
    },
    Row {
        what: "Threads, Android 14 (WebView)",
        ua: "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.58 Mobile Safari/537.36 Barcelona 355.0.0.39.109 Android (34/14; 420dpi; 1080x2205; Google/google; Pixel 8; shiba; shiba; en_US; 657318936)",
        source: INAPP_SPY,
        platform: Android,
        expect: InApp(None),
    },
    // Facebook and Messenger.
    Row {
        what: "Facebook, iOS 14.5",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 14_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBDV/iPhone13,3;FBMD/iPhone;FBSN/iOS;FBSV/14.5;FBSS/3;FBID/phone;FBLC/ja_JP;FBOP/5]",
        source: ZENN_2021,
        platform: Ios,
        expect: InApp(Some(App::Facebook)),
    },
    Row {
        what: "Facebook, iOS 18.1",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22B83 [FBAN/FBIOS;FBAV/488.0.0.68.101;FBBV/658219612;FBDV/iPhone12,8;FBMD/iPhone;FBSN/iOS;FBSV/18.1;FBSS/2;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0;IABMV/1]",
        source: INAPP_SPY,
        platform: Ios,
        expect: InApp(Some(App::Facebook)),
    },
    Row {
        what: "Facebook, iOS 18.6 (MetaIAB, with Safari/)",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22G100 Safari/604.1 MetaIAB Facebook",
        source: INAPP_SPY,
        platform: Ios,
        expect: InApp(Some(App::Facebook)),
    },
    Row {
        what: "Facebook, Android 14",
        ua: "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.83 Mobile Safari/537.36 [FB_IAB/FB4A;FBAV/488.0.0.62.79;IABMV/1;]",
        source: INAPP_SPY,
        platform: Android,
        expect: InApp(Some(App::Facebook)),
    },
    Row {
        what: "Facebook, Android 4.4 (FBAN/EMA, no wv)",
        ua: "Mozilla/5.0 (Linux; Android 4.4.2; ASUS_T00F Build/KVT49L) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/30.0.0.0 Mobile Safari/537.36[FBAN/EMA;FBLC/zh_TW;FBAV/42.0.0.3.64;]",
        source: DETECT_INAPP,
        platform: Android,
        expect: InApp(Some(App::Facebook)),
    },
    Row {
        what: "Messenger, iOS 10.2",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 10_2_1 like Mac OS X) AppleWebKit/602.4.6 (KHTML, like Gecko) Mobile/14D27 [FBAN/MessengerForiOS;FBAV/117.0.0.36.70;FBBV/57539258;FBDV/iPhone7,2;FBMD/iPhone;FBSN/iOS;FBSV/10.2.1;FBSS/2;FBCR/&#20013-&#33775-&#38651-&#20449-;FBID/phone;FBLC/zh_TW;FBOP/5;FBRV/0]",
        source: DETECT_INAPP,
        platform: Ios,
        expect: InApp(Some(App::Messenger)),
    },
    Row {
        what: "Messenger, Android 6",
        ua: "Mozilla/5.0 (Linux; Android 6.0.1; SM-N9208 Build/MMB29K; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/58.0.3029.83 Mobile Safari/537.36 [FB_IAB/MESSENGER;FBAV/118.0.0.19.82;]",
        source: DETECT_INAPP,
        platform: Android,
        expect: InApp(Some(App::Messenger)),
    },
    // Instagram.
    Row {
        what: "Instagram, iOS 18.5 (with Safari/)",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22F76 Instagram 393.1.0.36.70 (iPhone15,3; iOS 18_5; en_US; en; scale=3.00; 1290x2796; IABMV/1; 776538208) Safari/604.1)",
        source: INAPP_SPY,
        platform: Ios,
        expect: InApp(Some(App::Instagram)),
    },
    Row {
        what: "Instagram, Android 14",
        ua: "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.58 Mobile Safari/537.36 Instagram 355.1.0.44.103 Android (34/14; 420dpi; 1080x2205; Google/google; Pixel 8; shiba; shiba; en_US; 658190016)",
        source: INAPP_SPY,
        platform: Android,
        expect: InApp(Some(App::Instagram)),
    },
    // TikTok.
    Row {
        what: "TikTok, iOS 17.3 (BytedanceWebview, musical_ly)",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 BytedanceWebview/d8a21c6 musical_ly_33.2.1 JsSdk/2.0 NetType/WIFI Channel/App Store ByteLocale/en Region/US FalconTag/BDB55B46-0286-4504-847E-C8300CB9F79D",
        source: INAPP_SPY,
        platform: Ios,
        expect: InApp(Some(App::TikTok)),
    },
    Row {
        what: "TikTok, iOS 18.6 (musical_ly after Safari/)",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari/604.1 musical_ly_41.9.0",
        source: "https://github.com/shalanah/inapp-spy/issues/55",
        platform: Ios,
        expect: InApp(Some(App::TikTok)),
    },
    Row {
        what: "TikTok, Android 14 (trill)",
        ua: "Mozilla/5.0 (Linux; Android 14; Infinix X6853 Build/UP1A.231005.007; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36 trill_350603 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/trill app_version/35.6.3 ByteLocale/ms-MY ByteFullLocale/ms-MY Region/MY AppId/1180 Spark/1.5.9.5-bugfix AppVersion/35.6.3 BytedanceWebview/d8a21c6",
        source: "https://github.com/nielsbasjes/yauaa/issues/1603",
        platform: Android,
        expect: InApp(Some(App::TikTok)),
    },
    Row {
        what: "TikTok, Android 14 (musical_ly, no wv)",
        ua: "Mozilla/5.0 (Linux; Android 14; SM-S901U Build/UP1A.231005.007; ) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.134 Mobile Safari/537.36 musical_ly_2023507030 JsSdk/1.0 NetType/WIFI Channel/googleplay AppName/musical_ly app_version/35.7.3 ByteLocale/en ByteFullLocale/en Region/US AppId/1233 Spark/1.5.9.5-bugfix AppVersion/35.7.3 BytedanceWebview/d8a21c6",
        source: "https://github.com/nielsbasjes/yauaa/issues/1603",
        platform: Android,
        expect: InApp(Some(App::TikTok)),
    },
    // LinkedIn, Snapchat, LINE, WeChat, X, Google.
    Row {
        what: "LinkedIn, iOS 11.2 (with Safari/)",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 11_2_1 like Mac OS X) AppleWebKit/602.1.50 (KHTML, like Gecko) LinkedIn/9.11.908.1 Version/10.0 Mobile/15C153 Safari/602.1",
        source: "https://github.com/browscap/browscap/issues/1707",
        platform: Ios,
        expect: InApp(Some(App::LinkedIn)),
    },
    Row {
        what: "Snapchat, iOS 17.3 (\"like Safari/\")",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3.1 Mobile/15E148 Snapchat/12.72.0.39 (like Safari/8617.2.4.10.8, panda)",
        source: INAPP_SPY,
        platform: Ios,
        expect: InApp(Some(App::Snapchat)),
    },
    Row {
        what: "Snapchat, Android 11",
        ua: "Mozilla/5.0 (Linux; Android 11; RMX2001 Build/RP1A.200720.011; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.179 Mobile Safari/537.36 Snapchat/12.87.0.44 (RMX2001; Android 11#1647528410731#30; gzip; )",
        source: "https://github.com/omrilotan/isbot/issues/274",
        platform: Android,
        expect: InApp(Some(App::Snapchat)),
    },
    Row {
        what: "LINE, iOS 18.6",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Safari Line/15.12.1",
        source: "https://dev.classmethod.jp/articles/liff-vs-line-inappbrowser-user-agent",
        platform: Ios,
        expect: InApp(Some(App::Line)),
    },
    Row {
        what: "LINE, Android 6",
        ua: "Mozilla/5.0 (Linux; Android 6.0.1; D6653 Build/23.5.A.0.575; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/58.0.3029.83 Mobile Safari/537.36 Line/7.4.0/IAB",
        source: DETECT_INAPP,
        platform: Android,
        expect: InApp(Some(App::Line)),
    },
    Row {
        what: "WeChat, iOS 10.2",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 10_2_1 like Mac OS X) AppleWebKit/602.4.6 (KHTML, like Gecko) Mobile/14D27 MicroMessenger/6.5.8 NetType/WIFI Language/zh_CN",
        source: DETECT_INAPP,
        platform: Ios,
        expect: InApp(Some(App::WeChat)),
    },
    Row {
        what: "WeChat, Android 6",
        ua: "Mozilla/5.0 (Linux; Android 6.0.1; SM-N9208 Build/MMB29K; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/58.0.3029.83 Mobile Safari/537.36 MicroMessenger/6.5.7.1041 NetType/WIFI Language/zh_TW",
        source: DETECT_INAPP,
        platform: Android,
        expect: InApp(Some(App::WeChat)),
    },
    Row {
        what: "Twitter, iOS 10.2",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 10_2_1 like Mac OS X) AppleWebKit/602.3.12 (KHTML, like Gecko) Mobile/14D27 Twitter for iPhone",
        source: DETECT_INAPP,
        platform: Ios,
        expect: InApp(Some(App::Twitter)),
    },
    Row {
        what: "Twitter, Android 7.1",
        ua: "Mozilla/5.0 (Linux; Android 7.1.2; Pixel XL Build/NJH47F; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/60.0.3112.107 Mobile Safari/537.36 TwitterAndroid",
        source: "https://github.com/ua-parser/uap-core/issues/267",
        platform: Android,
        expect: InApp(Some(App::Twitter)),
    },
    Row {
        what: "Google app (GSA), iOS 18.1 (with Safari/)",
        ua: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/334.0.674067880 Mobile/15E148 Safari/604.1",
        source: INAPP_SPY,
        platform: Ios,
        expect: InApp(Some(App::Google)),
    },
    Row {
        what: "Google app (GSA), Android 9",
        ua: "Mozilla/5.0 (Linux; Android 9; Pixel 3 Build/PQ1A.181205.006; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/71.0.3578.99 Mobile Safari/537.36 GSA/8.65.5.21.arm64",
        source: "https://github.com/ua-parser/uap-core/pull/372",
        platform: Android,
        expect: InApp(Some(App::Google)),
    },
];
