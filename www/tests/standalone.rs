//! `videoid-www simulator` as a user runs it: one command, the banner with the base URL and
//! credentials, only the simulator's routes, its options, a clean stop on SIGTERM. (The Assure
//! API suites run against it too: `simulator_tests!` in the other files.)

mod common;

use common::*;
use serde_json::{json, Value};
use std::process::Command;

fn arg(s: &str) -> String {
    s.to_string()
}

fn banner_value<'a>(banner: &'a [String], label: &str) -> &'a str {
    banner
        .iter()
        .find_map(|l| l.trim_start().strip_prefix(label))
        .unwrap_or_else(|| panic!("no {label} in {banner:?}"))
        .trim()
}

#[tokio::test]
async fn one_command_prints_where_and_who_and_stops_cleanly_on_sigterm() {
    let sim = StandaloneProcess::spawn(
        vec![arg("--port"), arg("0")],
        vec![
            (arg("VIDEOID_SIM_CLIENT_ID"), arg("ci-backend")),
            (arg("VIDEOID_SIM_CLIENT_SECRET"), arg("ci-secret")),
        ],
    )
    .await;
    let banner = sim.banner.clone();
    assert!(sim.url.starts_with("http://127.0.0.1:"), "{}", sim.url);
    assert_ne!(sim.url, "http://127.0.0.1:0");
    assert_eq!(banner_value(&banner, "client id:"), "ci-backend");
    assert_eq!(banner_value(&banner, "client secret:"), "ci-secret");
    assert!(banner_value(&banner, "control API:").starts_with(&format!("{}/simulator/", sim.url)));
    assert!(banner_value(&banner, "webhook:") == "off");
    let data = banner_value(&banner, "data:");
    let dir = std::path::PathBuf::from(data.split(" (temporary").next().unwrap());
    assert!(data.ends_with("(temporary, removed on stop)"), "{data}");
    assert!(dir.is_dir(), "{}", dir.display());

    // The printed credentials are the ones it takes, for Assure and for the control API.
    let response = client()
        .post(format!("{}/auth/open/connect/token", sim.url))
        .basic_auth("ci-backend", Some("ci-secret"))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_eq!(status, 200, "{body}");
    let token = body["access_token"].as_str().unwrap().to_string();
    let dossier = new_dossier(&sim.url, &token).await;
    assert!(!CLIENT_SECRET.is_empty() && CLIENT_SECRET != "ci-secret");
    let refused = client()
        .post(format!("{}/auth/open/connect/token", sim.url))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_error(refused, 401).await;
    let listed = client()
        .get(format!("{}/simulator/processes", sim.url))
        .basic_auth("ci-backend", Some("ci-secret"))
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);

    // Only the simulator's origin: no demo page, no host backend.
    for path in ["/api/videoid/session", "/demo.js", "/videoid/return"] {
        let response = client()
            .get(format!("{}{path}", sim.url))
            .send()
            .await
            .unwrap();
        assert_error(response, 404).await;
    }
    let page = client()
        .get(format!("{}/capture/", sim.url))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with("frame-ancestors 'self' http://localhost:* http://127.0.0.1:*"),
        "{csp}"
    );
    let sdk = client()
        .get(format!("{}/provider/js/videoid.js", sim.url))
        .send()
        .await
        .unwrap();
    assert_eq!(sdk.status(), 200);
    assert!(sdk.text().await.unwrap().contains("videoId"));

    let status = sim.terminate().await;
    assert!(status.success(), "exit status {status}");
    assert!(!dir.exists(), "the temporary data directory is removed");
    let gone = client()
        .get(format!(
            "{}/assure/dossiers/{dossier}",
            banner_value(&banner, "base URL:")
        ))
        .send()
        .await;
    assert!(gone.is_err(), "nothing listens after the stop");
}

#[tokio::test]
async fn options_set_the_package_framing_public_url_data_and_control() {
    let pkg = temp_dir();
    std::fs::write(pkg.join("videoid-capture.js"), "export {};\n").unwrap();
    let data = temp_dir();
    let sim = StandaloneProcess::spawn(
        vec![
            arg("--port=0"),
            arg("--pkg-dir"),
            pkg.display().to_string(),
            arg("--data-dir"),
            data.display().to_string(),
            arg("--frame-ancestors"),
            arg("https://shop.example"),
            arg("--public-url"),
            arg("http://sim.test:9/"),
            arg("--no-control"),
        ],
        vec![],
    )
    .await;
    // The public URL is what it tells clients; it still listens on a free local port.
    assert_eq!(sim.url, "http://sim.test:9");
    assert_eq!(banner_value(&sim.banner, "control API:"), "off");
    assert_eq!(
        banner_value(&sim.banner, "package:"),
        pkg.display().to_string()
    );
    assert_eq!(
        banner_value(&sim.banner, "data:"),
        data.display().to_string()
    );
    sim.terminate().await;

    let sim = StandaloneProcess::spawn(
        vec![
            arg("--port=0"),
            arg("--pkg-dir"),
            pkg.display().to_string(),
            arg("--data-dir"),
            data.display().to_string(),
            arg("--frame-ancestors"),
            arg("https://shop.example"),
            arg("--no-control"),
        ],
        vec![],
    )
    .await;
    let js = client()
        .get(format!("{}/pkg/videoid-capture.js", sim.url))
        .send()
        .await
        .unwrap();
    assert_eq!(js.status(), 200);
    assert_eq!(js.text().await.unwrap(), "export {};\n");
    let page = client()
        .get(format!("{}/capture/", sim.url))
        .send()
        .await
        .unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.ends_with("frame-ancestors https://shop.example"),
        "{csp}"
    );
    let control = client()
        .get(format!("{}/simulator/outcomes", sim.url))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .send()
        .await
        .unwrap();
    assert_error(control, 404).await;
    // The state is kept in the data directory, and survives the stop.
    let token = token(&sim.url).await;
    let dossier = new_dossier(&sim.url, &token).await;
    assert!(sim.terminate().await.success());
    assert!(data
        .join("simulator/dossiers")
        .join(&dossier)
        .join("dossier.json")
        .is_file());
    let sim = StandaloneProcess::spawn(
        vec![
            arg("--port=0"),
            arg("--data-dir"),
            data.display().to_string(),
        ],
        vec![],
    )
    .await;
    let token = common::token(&sim.url).await;
    let response = sim_get(&sim.url, &token, &format!("/assure/dossiers/{dossier}")).await;
    assert_eq!(response.0, 200, "{}", response.1);
    assert!(sim.terminate().await.success());
}

async fn sim_get(sim_url: &str, token: &str, path: &str) -> (u16, Value) {
    json(
        sim(
            reqwest::Method::GET,
            format!("{sim_url}{path}"),
            token,
            None,
        )
        .await,
    )
    .await
}

#[test]
fn bad_options_exit_with_a_message_and_help_prints_the_options() {
    let run = |args: &[&str]| {
        Command::new(BINARY)
            .arg("simulator")
            .args(args)
            .env_clear()
            .output()
            .unwrap()
    };
    for (args, needle) in [
        (&["--port", "http"][..], "--port is not a port number"),
        (
            &["--webhook", "nowhere"],
            "--webhook is not an http(s) URL or off",
        ),
        (&["--final-delay", "800"], "not a duration"),
        (&["--verbose"], "unknown option --verbose"),
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing on stdout");
    }
    let out = run(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for option in [
        "--port",
        "--data-dir",
        "--frame-ancestors",
        "--webhook",
        "--no-control",
        "VIDEOID_SIM_CLIENT_ID",
    ] {
        assert!(help.contains(option), "{option} in the help");
    }
    // Another process on the port: a clear error, not a panic.
    let taken = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let out = run(&["--port", &port]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("could not start"));
}

#[tokio::test]
async fn the_standalone_harness_really_runs_the_binary() {
    let s = Harness::Standalone.servers().await;
    assert!(s.is_standalone());
    let mut user = EndUser::new(&s.host_url);
    let (status, session) = user.session("?scenario=rejected", json!({})).await;
    assert_eq!(status, 200, "{session}");
    assert!(session["url"]
        .as_str()
        .unwrap()
        .starts_with(&format!("{}/capture/", s.sim_url)));
    // The backend's calls reached the spawned simulator: its record has them.
    let record: Value = client()
        .get(format!("{}/simulator/requests?path=/assure/", s.sim_url))
        .basic_auth(CLIENT_ID, Some(CLIENT_SECRET))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(record
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["body"]["simulator"]["scenario"] == "rejected"));
    s.shutdown().await;
}
