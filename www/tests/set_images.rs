//! Assure's "Set images" as published: `201` for the providers that take direct uploads,
//! `400` for VideoID and for anything that is not a JPEG/PNG dataURL, refused after
//! verification started, the last upload of a depiction wins, Get images serves the bytes.

mod common;

use common::*;
use reqwest::Method;
use serde_json::{json, Value};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR png bytes";

struct Process {
    dossier_id: String,
    process_id: String,
    url: String,
    token: String,
}

impl Process {
    async fn new(sim_url: &str, body: Value) -> Process {
        let token = token(sim_url).await;
        let d = new_dossier(sim_url, &token).await;
        let url = format!("{sim_url}/assure/dossiers/{d}/processes");
        let (status, process) =
            json(sim(Method::POST, url.clone(), &token, Some(body)).await).await;
        assert_eq!(status, 201, "{process}");
        let process_id = process["processId"].as_str().unwrap().to_string();
        Process {
            url: format!("{url}/{process_id}"),
            dossier_id: d,
            process_id,
            token,
        }
    }

    async fn set(&self, images: Value) -> reqwest::Response {
        sim(
            Method::POST,
            format!("{}/images", self.url),
            &self.token,
            Some(images),
        )
        .await
    }

    async fn image(&self, depiction: &str) -> reqwest::Response {
        sim(
            Method::GET,
            format!("{}/images?depiction={depiction}", self.url),
            &self.token,
            None,
        )
        .await
    }
}

async fn direct_upload_providers_take_images_and_serve_them_back(h: Harness) {
    let s = h.servers().await;
    let p = Process::new(&s.sim_url, json!({ "provider": "signicatpaper" })).await;
    let set = p
        .set(json!({
            "front": data_url("image/jpeg", &jpeg("front")),
            "back": data_url("image/png", PNG),
        }))
        .await;
    assert_eq!(set.status(), 201);
    assert!(set.bytes().await.unwrap().is_empty(), "201 without a body");

    // Served back before verification, with their own types.
    let front = p.image("front").await;
    assert_eq!(front.status(), 200);
    assert_eq!(front.headers()["content-type"], "image/jpeg");
    assert_eq!(front.bytes().await.unwrap().to_vec(), jpeg("front"));
    let back = p.image("back").await;
    assert_eq!(back.headers()["content-type"], "image/png");
    assert_eq!(back.bytes().await.unwrap().to_vec(), PNG);
    assert_error(p.image("selfie").await, 404).await;

    // The same depiction again: the last one wins; the others stay.
    let again = p
        .set(json!({ "front": data_url("image/jpeg", &jpeg("newer")) }))
        .await;
    assert_eq!(again.status(), 201);
    assert_eq!(
        p.image("front").await.bytes().await.unwrap().to_vec(),
        jpeg("newer")
    );
    assert_eq!(p.image("back").await.bytes().await.unwrap().to_vec(), PNG);

    // Verification starts; then the images can no longer change.
    let started = sim(Method::POST, p.url.clone(), &p.token, None).await;
    assert_eq!(started.status(), 202);
    let late = p
        .set(json!({ "selfie": data_url("image/jpeg", &jpeg("selfie")) }))
        .await;
    assert_error(late, 409).await;
    assert_error(p.image("selfie").await, 404).await;
    let done = sim_final(&s.sim_url, &p.token, &p.dossier_id, &p.process_id).await;
    assert_eq!(done["status"], "accepted");
    assert_eq!(done["provider"], "signicatpaper");
    assert_eq!(
        p.image("front").await.bytes().await.unwrap().to_vec(),
        jpeg("newer")
    );
    s.shutdown().await;
}

async fn onfido_and_facetec_take_direct_uploads_too_and_front_is_needed_to_start(h: Harness) {
    let s = h.servers().await;
    for provider in ["onfido", "facetec"] {
        let p = Process::new(
            &s.sim_url,
            json!({ "provider": provider, "processType": "documentSelfie" }),
        )
        .await;
        let (status, body) = json(sim(Method::POST, p.url.clone(), &p.token, None).await).await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["missing"], json!(["front"]));
        let set = p
            .set(json!({ "selfie": data_url("image/jpeg", &jpeg("s")) }))
            .await;
        assert_eq!(set.status(), 201, "{provider}");
        let set = p
            .set(json!({ "front": data_url("image/jpeg", &jpeg("f")) }))
            .await;
        assert_eq!(set.status(), 201, "{provider}");
        assert_eq!(
            sim(Method::POST, p.url.clone(), &p.token, None)
                .await
                .status(),
            202
        );
    }
    s.shutdown().await;
}

async fn videoid_and_other_providers_take_no_direct_upload(h: Harness) {
    let s = h.servers().await;
    let image = json!({ "front": data_url("image/jpeg", &jpeg("front")) });
    for provider in [
        "signicatvideoid",
        "eid",
        "readid",
        "signicatpictureid",
        "webid",
    ] {
        let p = Process::new(&s.sim_url, json!({ "provider": provider })).await;
        let message = assert_error(p.set(image.clone()).await, 400).await;
        assert!(message.contains("direct upload"), "{provider}: {message}");
        assert_error(p.image("front").await, 404).await;
    }
    // Unknown processes are a 404, whatever the body.
    let token = token(&s.sim_url).await;
    let d = new_dossier(&s.sim_url, &token).await;
    let url = format!("{}/assure/dossiers/{d}/processes/nope/images", s.sim_url);
    assert_error(sim(Method::POST, url, &token, Some(image)).await, 404).await;
    s.shutdown().await;
}

crate::simulator_tests!(
    direct_upload_providers_take_images_and_serve_them_back,
    onfido_and_facetec_take_direct_uploads_too_and_front_is_needed_to_start,
    videoid_and_other_providers_take_no_direct_upload,
);
