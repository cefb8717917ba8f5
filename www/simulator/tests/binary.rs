//! The `assure-simulator` binary on its own: its help, its banner, a token from the printed
//! credentials, and a clean stop on SIGTERM. (The Assure API suites run it through
//! `videoid-www simulator`, the same code: `../../tests/`.)

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

const BINARY: &str = env!("CARGO_BIN_EXE_assure-simulator");

#[test]
fn help_names_the_command_and_exits_zero() {
    let out = Command::new(BINARY)
        .arg("--help")
        .env_clear()
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("assure-simulator [options]"), "{text}");
}

#[test]
fn a_bad_option_is_refused() {
    let out = Command::new(BINARY)
        .arg("--verbose")
        .env_clear()
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown option --verbose"));
}

#[tokio::test]
async fn serves_a_token_and_stops_cleanly_on_sigterm() {
    let mut child = Command::new(BINARY)
        .args(["--port", "0"])
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut url = None;
    loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "the banner ended early"
        );
        let line = line.trim();
        if let Some(u) = line.strip_prefix("base URL:") {
            url = Some(u.trim().to_string());
        }
        if line.starts_with("data:") {
            break;
        }
    }
    let url = url.expect("the banner names the base URL");
    let response = reqwest::Client::new()
        .post(format!("{url}/auth/open/connect/token"))
        .basic_auth(
            assure_simulator::env::DEFAULT_CLIENT_ID,
            Some(assure_simulator::env::DEFAULT_CLIENT_SECRET),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);

    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    for _ in 0..200 {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let _ = child.kill();
    panic!("the simulator did not stop within 10 s of SIGTERM");
}
