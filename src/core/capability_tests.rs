use super::ua::{Expect, TABLE};
use super::*;

/// Facts where everything allows capture, for `user_agent`.
fn all_good(user_agent: &str) -> Facts<'_> {
    Facts {
        user_agent,
        has_media_devices: true,
        has_media_recorder: true,
        secure_context: true,
        video_step: true,
    }
}

fn verdict(facts: &Facts<'_>) -> Verdict {
    match check(facts) {
        Capability::Unsupported(v) => v,
        Capability::Capture => panic!("capture possible for {:?}", facts.user_agent),
    }
}

const SAFARI_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const CHROME_ANDROID: &str = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Mobile Safari/537.36";
const INSTAGRAM_ANDROID: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A.240905.003; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/130.0.6723.58 Mobile Safari/537.36 Instagram 355.1.0.44.103 Android (34/14; 420dpi; 1080x2205; Google/google; Pixel 8; shiba; shiba; en_US; 658190016)";
const FACEBOOK_IOS: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/22B83 [FBAN/FBIOS;FBAV/488.0.0.68.101;FBBV/658219612;FBDV/iPhone12,8;FBMD/iPhone;FBSN/iOS;FBSV/18.1;FBSS/2;FBID/phone;FBLC/en_US;FBOP/5;FBRV/0;IABMV/1]";
const FIREFOX_MAC: &str =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:141.0) Gecko/20100101 Firefox/141.0";

#[test]
fn every_user_agent_of_the_table_gets_its_verdict() {
    for row in TABLE {
        let facts = all_good(row.ua);
        assert_eq!(platform(row.ua), row.platform, "{}", row.what);
        match (check(&facts), row.expect) {
            (Capability::Capture, Expect::Browser) => {}
            (Capability::Unsupported(v), Expect::InApp(app)) => {
                assert_eq!(v.reason, Reason::InApp, "{}", row.what);
                assert_eq!(v.app, app, "{}", row.what);
                assert_eq!(v.platform, row.platform, "{}", row.what);
            }
            (got, want) => panic!("{}: got {got:?}, want {want:?}", row.what),
        }
    }
}

#[test]
fn the_table_is_real_and_large_enough() {
    // The numbers in the table's doc comment.
    assert_eq!(TABLE.len(), 55);
    let mut sources: Vec<&str> = TABLE.iter().map(|r| r.source).collect();
    sources.sort_unstable();
    sources.dedup();
    assert_eq!(sources.len(), 22);
    for row in TABLE {
        assert!(row.source.starts_with("https://"), "{}", row.what);
        assert!(
            !row.ua.is_empty() && row.ua.len() < MAX_UA_SCAN,
            "{}",
            row.what
        );
    }
    let count = |e: fn(&Expect) -> bool| TABLE.iter().filter(|r| e(&r.expect)).count();
    assert_eq!(count(|e| *e == Expect::Browser), 26);
    assert_eq!(count(|e| matches!(e, Expect::InApp(_))), 29);
    // Every named app has a row on each platform it is listed for, or a reason not to.
    for app in [
        App::Facebook,
        App::Messenger,
        App::Instagram,
        App::TikTok,
        App::Snapchat,
        App::Line,
        App::WeChat,
        App::Twitter,
        App::Google,
    ] {
        for p in [Platform::Ios, Platform::Android] {
            assert!(
                TABLE
                    .iter()
                    .any(|r| r.expect == Expect::InApp(Some(app)) && r.platform == p),
                "{app:?} on {p:?}"
            );
        }
    }
    // LinkedIn's Android app sends a bare WebView user agent (a row of its own).
    assert!(TABLE
        .iter()
        .any(|r| r.expect == Expect::InApp(Some(App::LinkedIn))));
}

#[test]
fn insecure_comes_first() {
    for ua in [SAFARI_IOS, INSTAGRAM_ANDROID, FACEBOOK_IOS, FIREFOX_MAC, ""] {
        let facts = Facts {
            user_agent: ua,
            has_media_devices: false,
            has_media_recorder: false,
            secure_context: false,
            video_step: true,
        };
        let v = verdict(&facts);
        assert_eq!(v.reason, Reason::Insecure, "{ua}");
        assert_eq!(v.app, None, "{ua}");
    }
}

#[test]
fn in_app_comes_before_missing_features_and_wins_over_present_ones() {
    for (has_media_devices, has_media_recorder) in
        [(false, false), (false, true), (true, false), (true, true)]
    {
        let facts = Facts {
            user_agent: INSTAGRAM_ANDROID,
            has_media_devices,
            has_media_recorder,
            secure_context: true,
            video_step: true,
        };
        let v = verdict(&facts);
        assert_eq!(v.reason, Reason::InApp);
        assert_eq!(v.app, Some(App::Instagram));
        assert_eq!(v.platform, Platform::Android);
    }
}

#[test]
fn no_media_comes_before_no_recorder() {
    let facts = Facts {
        has_media_devices: false,
        has_media_recorder: false,
        ..all_good(SAFARI_IOS)
    };
    assert_eq!(verdict(&facts).reason, Reason::NoMedia);
    let facts = Facts {
        has_media_devices: false,
        has_media_recorder: true,
        ..all_good(SAFARI_IOS)
    };
    assert_eq!(verdict(&facts).reason, Reason::NoMedia);
}

#[test]
fn the_recorder_matters_only_with_a_video_step() {
    let facts = Facts {
        has_media_recorder: false,
        ..all_good(CHROME_ANDROID)
    };
    let v = verdict(&facts);
    assert_eq!(v.reason, Reason::NoRecorder);
    assert_eq!(v.platform, Platform::Android);
    assert_eq!(v.app, None);
    let facts = Facts {
        video_step: false,
        ..facts
    };
    assert_eq!(check(&facts), Capability::Capture);
}

#[test]
fn every_fact_true_is_capture() {
    assert_eq!(check(&all_good(SAFARI_IOS)), Capability::Capture);
    assert_eq!(check(&all_good(FIREFOX_MAC)), Capability::Capture);
    assert_eq!(
        check(&Facts {
            video_step: false,
            has_media_recorder: false,
            ..all_good(CHROME_ANDROID)
        }),
        Capability::Capture
    );
}

#[test]
fn reasons_and_platforms_have_their_wire_names() {
    assert_eq!(Reason::InApp.as_str(), "in-app");
    assert_eq!(Reason::NoMedia.as_str(), "no-media");
    assert_eq!(Reason::NoRecorder.as_str(), "no-recorder");
    assert_eq!(Reason::Insecure.as_str(), "insecure");
    assert_eq!(Platform::Android.as_str(), "android");
    assert_eq!(Platform::Ios.as_str(), "ios");
    assert_eq!(Platform::Other.as_str(), "other");
    assert_eq!(App::Instagram.name(), "Instagram");
    assert_eq!(App::WeChat.name(), "WeChat");
}

#[test]
fn ipad_in_app_browsers_asking_for_the_desktop_site_are_ios() {
    // An iPad's WKWebView sends a Mac user agent, but keeps `Mobile/`; desktop
    // Safari never sends it. (Built from the table's LinkedIn and Safari rows.)
    let ipad_webview = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
    assert_eq!(platform(ipad_webview), Platform::Ios);
    assert_eq!(in_app(ipad_webview), Some(None));
    let desktop_safari = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
    assert_eq!(platform(desktop_safari), Platform::Other);
    assert_eq!(in_app(desktop_safari), None);
}

#[test]
fn markers_are_case_sensitive_and_whole() {
    // Lower-cased logs lose the markers: no verdict on guesses.
    assert_eq!(in_app(&INSTAGRAM_ANDROID.to_ascii_lowercase()), None);
    // `wv` alone, or `Version/4.0`, is not the WebView marker.
    assert_eq!(
        in_app("Mozilla/5.0 (Linux; Android 14; wv-phone) Version/4.0 Chrome/1 Safari/537.36"),
        None
    );
    // A desktop user agent without `Safari/` is not a WKWebView.
    assert_eq!(in_app(FIREFOX_MAC), None);
}

#[test]
fn empty_and_malformed_user_agents_decide_on_the_facts() {
    for ua in [
        "",
        " ",
        "\0\0\0",
        "Mozilla/5.0",
        "(((((((",
        "é日本語🙂",
        "Mozilla/5.0 (iPhone",
        "; wv",
        "FBA",
    ] {
        assert_eq!(check(&all_good(ua)), Capability::Capture, "{ua:?}");
        let v = verdict(&Facts {
            has_media_devices: false,
            ..all_good(ua)
        });
        assert_eq!(v.reason, Reason::NoMedia, "{ua:?}");
    }
    // A bare WebView needs WebKit's own tokens, not just a device name.
    assert_eq!(platform("iPhone"), Platform::Ios);
    assert_eq!(in_app("iPhone"), None);
    assert_eq!(in_app("iPhone AppleWebKit/1 Mobile/1"), Some(None));
}

#[test]
fn huge_user_agents_cost_bounded_work() {
    // 8 MiB of filler: only MAX_UA_SCAN bytes are searched.
    let filler = "a".repeat(8 << 20);
    let start = std::time::Instant::now();
    assert_eq!(check(&all_good(&filler)), Capability::Capture);
    let late_marker = format!("{filler} Instagram 1.0");
    assert_eq!(in_app(&late_marker), None);
    let early_marker = format!("Instagram 1.0 {filler}");
    assert_eq!(in_app(&early_marker), Some(Some(App::Instagram)));
    // Multi-byte characters cut at the scan limit do not panic.
    let wide = "é".repeat(MAX_UA_SCAN);
    assert_eq!(check(&all_good(&wide)), Capability::Capture);
    let wide_odd = format!("x{wide}");
    assert_eq!(check(&all_good(&wide_odd)), Capability::Capture);
    assert!(start.elapsed() < std::time::Duration::from_secs(2));
}

#[test]
fn ways_forward_for_in_app_on_android_include_the_intent() {
    let v = verdict(&all_good(INSTAGRAM_ANDROID));
    let w = v.ways_forward(true, true);
    assert!(w.intent && w.copy_link && w.handoff && w.file_picker);
    assert_eq!(w.menu, Some(AppMenu::More));
    assert!(!w.is_empty());
}

#[test]
fn ways_forward_for_in_app_on_ios_are_copy_link_and_the_menu() {
    let v = verdict(&all_good(FACEBOOK_IOS));
    assert_eq!(v.platform, Platform::Ios);
    let w = v.ways_forward(false, false);
    assert!(!w.intent && w.copy_link && !w.handoff && !w.file_picker);
    assert_eq!(w.menu, Some(AppMenu::More));
    // A bare WebView: copy link, no menu to name.
    let bare = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
    let w = verdict(&all_good(bare)).ways_forward(false, false);
    assert!(w.copy_link && !w.intent);
    assert_eq!(w.menu, None);
}

#[test]
fn ways_forward_for_missing_features_and_insecure_pages() {
    let no_media = verdict(&Facts {
        has_media_devices: false,
        ..all_good(CHROME_ANDROID)
    });
    let w = no_media.ways_forward(false, false);
    assert!(!w.intent && w.copy_link && w.menu.is_none());
    let insecure = verdict(&Facts {
        secure_context: false,
        ..all_good(INSTAGRAM_ANDROID)
    });
    let w = insecure.ways_forward(false, false);
    assert!(!w.intent && !w.copy_link && w.menu.is_none());
    assert!(w.is_empty(), "nothing left: Browser.Unsupported at once");
    let w = insecure.ways_forward(true, true);
    assert!(w.handoff && w.file_picker && !w.is_empty());
}

#[test]
fn the_intent_url_has_chromes_published_form() {
    assert_eq!(
        intent_url("https://example.com/capture?session=abc&x=1").as_deref(),
        Ok("intent://example.com/capture?session=abc&x=1#Intent;scheme=https;end")
    );
    assert_eq!(
        intent_url("https://Example.COM:8443/").as_deref(),
        Ok("intent://example.com:8443/#Intent;scheme=https;end")
    );
    assert_eq!(
        intent_url("https://example.com").as_deref(),
        Ok("intent://example.com#Intent;scheme=https;end")
    );
    // The default port is folded away; loopback http keeps its scheme.
    assert_eq!(
        intent_url("https://example.com:443/a").as_deref(),
        Ok("intent://example.com/a#Intent;scheme=https;end")
    );
    assert_eq!(
        intent_url("http://localhost:8080/phone").as_deref(),
        Ok("intent://localhost:8080/phone#Intent;scheme=http;end")
    );
}

#[test]
fn the_intent_url_keeps_the_fragment_before_the_last_hash() {
    let url = intent_url("https://example.com/p#token=a;b").unwrap_or_default();
    assert_eq!(
        url,
        "intent://example.com/p#token=a;b#Intent;scheme=https;end"
    );
    // Android's Intent.parseUri splits at the last '#': that must be ours.
    assert_eq!(
        url.rfind('#').map(|i| &url[i..]),
        Some("#Intent;scheme=https;end")
    );
}

#[test]
fn the_intent_url_escapes_what_a_url_never_holds_raw() {
    assert_eq!(
        intent_url("https://example.com/caf\u{e9}?q=\"<x>\"&v=`{|}^`").as_deref(),
        Ok("intent://example.com/caf%C3%A9?q=%22%3Cx%3E%22&v=%60%7B%7C%7D%5E%60#Intent;scheme=https;end")
    );
    // Percent-encoded input is kept as it is, not encoded twice.
    assert_eq!(
        intent_url("https://example.com/a%20b").as_deref(),
        Ok("intent://example.com/a%20b#Intent;scheme=https;end")
    );
}

#[test]
fn the_intent_url_refuses_other_schemes_and_odd_urls() {
    for bad in [
        "",
        "javascript:alert(1)",
        "javascript://example.com/%0aalert(1)",
        "data:text/html,hi",
        "intent://example.com#Intent;scheme=https;end",
        "file:///etc/passwd",
        "ftp://example.com/",
        "//example.com/path",
        "/relative/path",
        "https://user:pass@example.com/",
        "https://exa mple.com/",
        "https://example.com/a b",
        "https://example.com/\n",
        "https://example.com\\@evil.com/",
        "http://example.com/",
    ] {
        assert!(intent_url(bad).is_err(), "{bad:?}");
    }
    assert_eq!(
        intent_url("http://example.com/"),
        Err(IntentError::Url(UrlError::Insecure))
    );
    assert_eq!(
        intent_url("ftp://example.com/"),
        Err(IntentError::Url(UrlError::Scheme))
    );
    let long = format!("https://example.com/{}", "a".repeat(5000));
    assert!(intent_url(&long).is_err());
}

mod props {
    use super::super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_user_agent_gets_a_verdict_without_panicking(ua in "\\PC{0,300}", media: bool, recorder: bool, secure: bool, video: bool) {
            let facts = Facts {
                user_agent: &ua,
                has_media_devices: media,
                has_media_recorder: recorder,
                secure_context: secure,
                video_step: video,
            };
            let first = check(&facts);
            prop_assert_eq!(check(&facts), first);
            if let Capability::Unsupported(v) = first {
                prop_assert_eq!(v.reason == Reason::Insecure, !secure);
                prop_assert!(v.app.is_none() || v.reason == Reason::InApp);
            } else {
                prop_assert!(secure && media && (recorder || !video));
            }
        }

        #[test]
        fn markers_inside_any_text_are_found(before in "[ -~]{0,100}", after in "[ -~]{0,100}") {
            let ua = format!("{before}Instagram{after}");
            prop_assert!(matches!(in_app(&ua), Some(Some(_))));
        }

        #[test]
        fn intent_urls_end_with_the_intent_section(path in "(/[!-~]{0,40}){0,3}", host in "[a-z]{1,10}\\.[a-z]{2,5}") {
            let page = format!("https://{host}{path}");
            if let Ok(url) = intent_url(&page) {
                prop_assert!(url.starts_with("intent://"));
                prop_assert!(url.ends_with("#Intent;scheme=https;end"));
                prop_assert!(url.bytes().all(|b| b.is_ascii_graphic()));
                let last = url.rfind('#').unwrap_or(0);
                prop_assert_eq!(url.get(last..), Some("#Intent;scheme=https;end"));
            }
        }
    }
}
