//! `mode: "sdk"`: a VideoID process for VideoID's own web SDK in the host's page (UC2).
//!
//! The backend picks the document type from `GET /assure/signicatvideoid/document-types`
//! (cached), creates the process (`POST /assure/dossiers/{d}/processes`, provider
//! `signicatvideoid`) and hands the browser what the SDK starts with:
//! `{ flow, dossierId, processId, authorization, sdkUrl, idType, expiresAt }`: `flow` is
//! `unattended` (VideoID's `videoid.js`) or `attended` (`videoidattended.js`, a live
//! interview with an agent; the process is of `processType: "high"`).

use crate::assure::AssureError;
use crate::documents::{document_rows, pick, DocumentChoice, DocumentRow};
use crate::published::VIDEOID;
use crate::state::{Backend, Failure, SimulatorKnobs, Visitor};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;

/// Why an SDK session could not be made.
#[derive(Debug)]
pub(crate) enum SdkError {
    /// The Assure API or the database failed.
    Backend(Failure),
    /// The document type the request (`requested`) or the setting names is not offered.
    UnknownDocumentType { requested: bool },
}

impl From<AssureError> for SdkError {
    fn from(e: AssureError) -> Self {
        SdkError::Backend(Failure::Assure(e))
    }
}

impl From<Failure> for SdkError {
    fn from(e: Failure) -> Self {
        SdkError::Backend(e)
    }
}

impl Backend {
    /// VideoID's document types, read at most once per `DOCUMENT_TYPES_TTL`.
    async fn videoid_document_types(
        &self,
        by: tokio::time::Instant,
    ) -> Result<Arc<Vec<DocumentRow>>, AssureError> {
        let mut cache = tokio::time::timeout_at(by, self.document_types.lock())
            .await
            .map_err(|_| AssureError::TimedOut)?;
        if let Some(rows) = cache.get(Instant::now()) {
            return Ok(rows);
        }
        let rows = document_rows(&self.assure.document_types(VIDEOID, by).await?);
        if rows.is_empty() {
            return Err(AssureError::Malformed("document types"));
        }
        Ok(cache.put(Instant::now(), rows))
    }
}

/// Creates the VideoID process and answers what the web SDK needs.
pub(crate) async fn start(
    backend: &Backend,
    visitor: &mut Visitor,
    knobs: Option<&SimulatorKnobs>,
    requested: Option<DocumentChoice>,
    by: tokio::time::Instant,
) -> Result<Value, SdkError> {
    let rows = backend.videoid_document_types(by).await?;
    let document = match &requested {
        Some(choice) => pick(&rows, choice),
        None => pick(&rows, &backend.sdk_document_type),
    }
    .ok_or(SdkError::UnknownDocumentType {
        requested: requested.is_some(),
    })?;
    let mut request = json!({ "provider": VIDEOID, "processType": backend.process_type(knobs) });
    if let Some(scenario) = knobs.and_then(|k| k.scenario.as_deref()) {
        request["simulator"] = json!({ "scenario": scenario });
    }
    let (assure, request) = (&backend.assure, &request);
    let (dossier_id, process) = backend
        .create_process(visitor, by, move |dossier_id: String| async move {
            assure.create_process(&dossier_id, request, by).await
        })
        .await?;
    let authorization = process["authorization"]
        .as_str()
        .filter(|a| !a.is_empty() && a.len() <= 4096)
        .ok_or(AssureError::Malformed("process authorization"))?;
    let flow = backend.sdk_flow(knobs);
    let sdk_url = sdk_url(process["providerApiUrl"].as_str().unwrap_or_default(), flow)
        .ok_or(AssureError::Malformed("providerApiUrl"))?;
    let answer = json!({
        "flow": flow,
        "dossierId": dossier_id,
        "processId": process["processId"],
        "authorization": authorization,
        "sdkUrl": sdk_url,
        "idType": document.id,
        "expiresAt": crate::clock::rfc3339_in(backend.session_lifetime),
    });
    Ok(answer)
}

/// `providerApiUrl + "/js/videoid.js"` (or `"/js/videoidattended.js"` for the `attended`
/// flow), for an http(s) `providerApiUrl` without query or fragment.
pub fn sdk_url(provider_api_url: &str, flow: &str) -> Option<String> {
    let url = reqwest::Url::parse(provider_api_url).ok()?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.host_str().is_some()
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    let script = if flow == "attended" {
        "videoidattended.js"
    } else {
        "videoid.js"
    };
    plain.then(|| format!("{}/js/{script}", provider_api_url.trim_end_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::documents::*;
    use std::time::Duration;

    fn rows() -> Vec<DocumentRow> {
        document_rows(&[
            json!({ "country": "NO", "type": "passport", "id": 1 }),
            json!({ "country": "NO", "type": "identityCard", "id": 2 }),
            json!({ "country": "ES", "type": "identityCard", "id": 62 }),
            json!({ "country": "SE", "type": "identityCard" }),
            json!({ "type": 3, "id": 4 }),
        ])
    }

    #[test]
    fn choices_parse() {
        assert_eq!(DocumentChoice::parse("62"), Some(DocumentChoice::Id(62)));
        assert_eq!(
            DocumentChoice::parse("es:identityCard"),
            Some(DocumentChoice::Kind {
                country: Some("ES".into()),
                kind: "identityCard".into()
            })
        );
        for bad in [
            "",
            "idCard",
            "NOR:passport",
            "1:passport",
            "-1",
            "99999999999999",
        ] {
            assert_eq!(DocumentChoice::parse(bad), None, "{bad}");
        }
        assert_eq!(
            DocumentChoice::from_json(&json!(7)),
            Some(DocumentChoice::Id(7))
        );
        assert_eq!(DocumentChoice::from_json(&json!(-7)), None);
        assert_eq!(DocumentChoice::from_json(&json!(null)), None);
    }

    #[test]
    fn rows_without_an_id_are_skipped_and_choices_pick_the_first_match() {
        let rows = rows();
        assert_eq!(rows.len(), 3);
        let kind = |c: Option<&str>, k: &str| DocumentChoice::Kind {
            country: c.map(str::to_string),
            kind: k.to_string(),
        };
        assert_eq!(pick(&rows, &kind(None, "identityCard")).unwrap().id, 2);
        assert_eq!(
            pick(&rows, &kind(Some("ES"), "identityCard")).unwrap().id,
            62
        );
        assert_eq!(
            pick(&rows, &DocumentChoice::Id(1)).unwrap().kind,
            "passport"
        );
        assert!(pick(&rows, &kind(Some("SE"), "identityCard")).is_none());
        assert!(pick(&rows, &DocumentChoice::Id(9)).is_none());
    }

    #[test]
    fn the_document_type_cache_holds_one_list_for_its_time() {
        let mut cache = DocumentTypes::default();
        let t0 = Instant::now();
        assert!(cache.get(t0).is_none());
        cache.put(t0, rows());
        assert_eq!(cache.get(t0).unwrap().len(), 3);
        let later = t0 + DOCUMENT_TYPES_TTL - Duration::from_secs(1);
        assert!(cache.get(later).is_some());
        // Past its time the list is read again, and the new one takes the only place.
        assert!(cache.get(t0 + DOCUMENT_TYPES_TTL).is_none());
        cache.put(t0 + DOCUMENT_TYPES_TTL, rows()[..1].to_vec());
        assert_eq!(cache.get(t0 + DOCUMENT_TYPES_TTL).unwrap().len(), 1);
    }

    #[test]
    fn sdk_urls() {
        assert_eq!(
            sdk_url("https://etrust-sandbox.electronicid.eu/v2", "unattended").as_deref(),
            Some("https://etrust-sandbox.electronicid.eu/v2/js/videoid.js")
        );
        assert_eq!(
            sdk_url("http://127.0.0.1:8081/provider/", "unattended").as_deref(),
            Some("http://127.0.0.1:8081/provider/js/videoid.js")
        );
        assert_eq!(
            sdk_url("https://etrust-sandbox.electronicid.eu/v2", "attended").as_deref(),
            Some("https://etrust-sandbox.electronicid.eu/v2/js/videoidattended.js")
        );
        for bad in [
            "",
            "javascript:alert(1)",
            "ftp://x/y",
            "https://x/y?a=1",
            "https://u:p@x/",
        ] {
            assert_eq!(sdk_url(bad, "attended"), None, "{bad}");
        }
    }
}
