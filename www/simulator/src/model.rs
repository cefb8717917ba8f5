//! The simulator's records (as stored on disk) and the Assure JSON it answers with.

use crate::published::VIDEOID;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// How a simulated verification ends (the scenario of a process).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// All checks pass; `finalResult` is present.
    Accepted,
    /// The document is expired: the `nonExpired` security check is invalid.
    Rejected,
    /// The face similarity is only `medium`.
    Inconclusive,
    /// Similarity is `high` but a document feature (the MRZ) was not found.
    InconclusiveFeature,
    /// The user stopped interacting (`InactiveUser.Aborted`).
    Failed,
    /// The user cancelled the flow.
    Canceled,
}

impl Outcome {
    /// Parses a scenario name that ends in a status (`failed-inactive` and `failed` are the same).
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "accepted" => Some(Outcome::Accepted),
            "rejected" => Some(Outcome::Rejected),
            "inconclusive" => Some(Outcome::Inconclusive),
            "inconclusive-feature" => Some(Outcome::InconclusiveFeature),
            "failed-inactive" | "failed" => Some(Outcome::Failed),
            "canceled" | "cancelled" => Some(Outcome::Canceled),
            _ => None,
        }
    }

    /// The process status this outcome ends in.
    pub fn status(self) -> Status {
        match self {
            Outcome::Accepted => Status::Accepted,
            Outcome::Rejected => Status::Rejected,
            Outcome::Inconclusive | Outcome::InconclusiveFeature => Status::Inconclusive,
            Outcome::Failed => Status::Failed,
            Outcome::Canceled => Status::Canceled,
        }
    }
}

/// True for the scenarios the simulator knows (the outcomes and `no-interaction`).
pub fn is_scenario(s: &str) -> bool {
    s == "no-interaction" || Outcome::parse(s).is_some()
}

/// The documented process statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pending,
    Processing,
    Accepted,
    Rejected,
    Canceled,
    Failed,
    Inconclusive,
}

impl Status {
    /// True once the process will not change any more.
    pub fn is_final(self) -> bool {
        !matches!(self, Status::Pending | Status::Processing)
    }

    /// True when the verification ran to its end (OCR and media exist).
    pub fn has_results(self) -> bool {
        matches!(
            self,
            Status::Accepted | Status::Rejected | Status::Inconclusive
        )
    }
}

/// An Assure dossier.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dossier {
    pub dossier_id: String,
    /// A string, or `null` when the dossier was created without one (then omitted in answers).
    pub external_reference: Value,
    pub created_at: String,
    pub updated_at: String,
    pub process_ids: Vec<String>,
}

impl Dossier {
    /// The dossier as Assure answers it (without its processes); an absent
    /// `externalReference` is omitted, never `null`.
    pub fn to_json(&self) -> Value {
        let mut answer = json!({
            "dossierId": self.dossier_id,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        });
        if self.external_reference.is_string() {
            answer["externalReference"] = self.external_reference.clone();
        }
        answer
    }
}

/// The hosted capture flow of a process ("Start capture flow").
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CaptureFlow {
    pub artifact: String,
    pub redirect_url: String,
    pub auto: bool,
    pub finished: bool,
    #[serde(default)]
    pub ui_language: Option<String>,
    #[serde(default)]
    pub ui_profile: Option<String>,
    /// The document type the page's VideoID SDK captures (`sdk: "native"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_type: Option<u32>,
    /// The upload token of the page's own native capture (one per artifact, made on first use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_token: Option<String>,
    /// When (ms since the epoch) that token stops working; each native session renews it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_expires_at_ms: Option<u64>,
}

/// One uploaded medium: its type and size; the bytes are a file next to the record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Media {
    pub content_type: String,
    pub bytes: u64,
    #[serde(default)]
    pub quality: Option<Value>,
}

/// The video session VideoID's web SDK opened with a process's `authorization`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VideoSession {
    /// The video's id (`completed` hands it to the integrator as `video.id`).
    pub id: String,
    /// The document type being captured.
    pub id_type: u32,
    /// The phases the SDK goes through, in order (`FRONT`, `BACK`, `FACE`).
    pub phases: Vec<String>,
    pub started_at: String,
    /// True once the SDK completed it (the authorization is spent).
    #[serde(default)]
    pub completed: bool,
}

fn videoid() -> String {
    VIDEOID.to_string()
}

/// An Assure process.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Process {
    pub process_id: String,
    pub dossier_id: String,
    /// The published provider name (`eid` is stored as `signicatvideoid`).
    #[serde(default = "videoid")]
    pub provider: String,
    /// Absent when the request named none and the provider has no default (omitted in answers).
    #[serde(default)]
    pub process_type: Option<String>,
    #[serde(default)]
    pub sdk: Option<String>,
    pub status: Status,
    /// The scenario chosen when the process was created (`None`: decided by the capture page).
    #[serde(default)]
    pub scenario: Option<String>,
    /// Where `scenario` came from: the request's own block, or a control API rule
    /// (`dossier`, `externalReference`, `next`, `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_source: Option<String>,
    /// The outcome it is heading for while `processing`.
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// When (ms since the epoch) a `processing` process reaches its final status.
    #[serde(default)]
    pub final_at_ms: Option<u64>,
    #[serde(default)]
    pub fail_reason: Option<Value>,
    #[serde(default)]
    pub capture: Option<CaptureFlow>,
    /// The token VideoID's web SDK works with (`ProcessResponse.authorization`).
    #[serde(default)]
    pub authorization: Option<String>,
    /// When (ms since the epoch) `authorization` stops opening a video session.
    #[serde(default)]
    pub authorization_expires_at_ms: Option<u64>,
    /// The SDK's video session, once `authorization` opened one.
    #[serde(default)]
    pub video: Option<VideoSession>,
    #[serde(default)]
    pub media: BTreeMap<String, Media>,
    #[serde(default)]
    pub event_tags: Vec<String>,
    /// When (ms since the epoch) the process entered the agents' review queue: its capture
    /// completed and an agent must register it. `None` when no agent reviews it or once one did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_queued_at_ms: Option<u64>,
    /// The agent's registration (accept or reject), once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<AgentReview>,
    pub created_at: String,
    pub updated_at: String,
}

/// One reason an agent gives for rejecting a verification (`manualApproval.rejectionReasons[]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectionReason {
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
}

/// An agent's registration of a reviewed process.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AgentReview {
    /// The agent's user name (`auto` for the automatic agent).
    pub agent: String,
    pub registered_at: String,
    /// Empty when the agent accepted.
    pub rejection_reasons: Vec<RejectionReason>,
}

/// The rejection reason types the RA console offers (published examples; any other is refused).
pub const REJECTION_TYPES: &[&str] = &[
    "Document.Expired",
    "Document.NotLegible",
    "Photo.DoesNotMatchPerson",
    "Person.Underage",
    "Environment.CaptchaNotRead",
];

/// Whether a human agent reviews a process of this provider and type (it carries `manualApproval`).
///
/// The simulator's reading (VideoID's own documentation is not at hand): `high` needs an agent
/// (a live interview in VideoID; here a review of the recording) and `substantial` gets an
/// agent's review of the recording; `substantialFullyAuto` (and every other type) ends by itself.
pub fn is_agent_reviewed(provider: &str, process_type: Option<&str>) -> bool {
    provider == VIDEOID && matches!(process_type, Some("high" | "substantial"))
}

impl Process {
    /// The media a video session needs before it completes, by the names the SDK uses.
    pub(crate) fn missing_media(&self) -> Vec<&'static str> {
        let phases = self
            .video
            .as_ref()
            .map(|v| v.phases.clone())
            .unwrap_or_default();
        let mut missing = Vec::new();
        for (phase, medium, name) in [
            ("FRONT", "front", "front"),
            ("BACK", "back", "back"),
            ("FACE", "selfie", "face"),
        ] {
            if phases.iter().any(|p| p == phase) && !self.media.contains_key(medium) {
                missing.push(name);
            }
        }
        if !self.media.contains_key("video") {
            missing.push("recording");
        }
        missing
    }

    /// True for VideoID processes.
    pub fn is_videoid(&self) -> bool {
        self.provider == VIDEOID
    }

    /// True while the process waits in the agents' queue for a registration.
    pub fn awaits_review(&self) -> bool {
        self.status == Status::Processing && self.review_queued_at_ms.is_some()
    }

    /// Whether its completed capture goes to an agent instead of ending by itself: an
    /// agent-reviewed type whose recording exists (a failed or canceled flow has nothing to review).
    pub fn needs_review(&self, outcome: Outcome) -> bool {
        is_agent_reviewed(&self.provider, self.process_type.as_deref())
            && !matches!(outcome, Outcome::Failed | Outcome::Canceled)
    }

    /// The `manualApproval` block: the agent's registration, else the automatic review.
    pub fn manual_approval(&self, outcome: Outcome) -> Value {
        match &self.review {
            Some(review) => json!({ "rejectionReasons": review.rejection_reasons }),
            None => manual_approval(outcome),
        }
    }

    /// True when the document has a back side (an uploaded one; the simulated passport has none).
    pub fn has_back(&self) -> bool {
        self.media.contains_key("back")
    }

    /// The outcome its scenario asks for once the media are in: the scenario's own, `accepted`
    /// without one, and `failed` for `no-interaction` (nobody is inactive after uploading).
    pub fn scenario_outcome(&self) -> Outcome {
        match self.scenario.as_deref() {
            Some("no-interaction") => Outcome::Failed,
            Some(s) => Outcome::parse(s).unwrap_or(Outcome::Accepted),
            None => Outcome::Accepted,
        }
    }

    /// The "Get process" answer: fields the schema types as strings are omitted when absent.
    pub fn to_json(&self) -> Value {
        let mut answer = json!({
            "processId": self.process_id,
            "provider": self.provider,
            "status": self.status,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        });
        if let Some(process_type) = &self.process_type {
            answer["processType"] = json!(process_type);
        }
        if let Some(reason) = &self.fail_reason {
            answer["failReason"] = reason.clone();
        }
        if let (true, Some(outcome)) = (self.status.has_results(), self.outcome) {
            let mut specific = self.result_data(outcome);
            if is_agent_reviewed(&self.provider, self.process_type.as_deref()) {
                specific["manualApproval"] = self.manual_approval(outcome);
            }
            answer["providerSpecific"] = specific;
            if self.status == Status::Accepted {
                answer["finalResult"] = self.final_result();
            }
        }
        answer
    }

    /// The document's `type`: the SDK's chosen document type, else what the media show.
    fn document_kind(&self) -> &'static str {
        if let Some(row) = self
            .video
            .as_ref()
            .and_then(|v| document_type_by_id(v.id_type))
        {
            return row.kind;
        }
        if self.has_back() {
            "identityCard"
        } else {
            "passport"
        }
    }

    /// The provider's result block (`providerSpecific` without the agent's review): Signicat
    /// Paper's MRZ and feature comparison, or the OCR block of VideoID (and the others).
    pub fn result_data(&self, outcome: Outcome) -> Value {
        if self.provider == "signicatpaper" {
            self.paper_result(outcome)
        } else {
            json!({ "ocr": self.ocr(outcome) })
        }
    }

    /// The OCR block (identity fields, similarity, features, security checks).
    pub fn ocr(&self, outcome: Outcome) -> Value {
        let expired = outcome == Outcome::Rejected;
        let similarity = if outcome == Outcome::Inconclusive {
            "medium"
        } else {
            "high"
        };
        let two_sided = self.document_kind() != "passport";
        let mut features = vec![
            json!({ "name": "face", "found": true, "side": "front",
                    "bbox": { "x": 16, "y": 50, "width": 90, "height": 120 } }),
            json!({ "name": "mrz", "found": outcome != Outcome::InconclusiveFeature,
                    "side": if two_sided { "back" } else { "front" } }),
        ];
        if two_sided {
            features.push(json!({ "name": "barcode", "found": true, "side": "back" }));
        }
        json!({
            "firstName": FIRST_NAME,
            "lastName": LAST_NAME,
            "documentNumber": DOCUMENT_NUMBER,
            "documentType": self.document_kind(),
            "dateOfBirth": DATE_OF_BIRTH,
            "dateOfExpiry": if expired { EXPIRED } else { VALID_UNTIL },
            "gender": "F",
            "nationality": "NOR",
            "issuingCountry": "NOR",
            "personalIdentificationNumber": PERSONAL_NUMBER,
            "similarityScore": similarity,
            "livenessDetected": "true",
            "features": features,
            "securityChecks": {
                "nonExpired": { "valid": !expired },
                "notUnderage": { "valid": true },
                "dataIntegrity": { "valid": true },
                "livenessDetected": { "valid": true },
                "notFaceSpoofing": { "valid": true },
                "sidesMatch": { "valid": true },
                "notBWCopy": { "valid": true },
            },
        })
    }

    /// Signicat Paper's result: the printed features against the MRZ. `rejected` is an
    /// expired document; `inconclusive` is a missing or unreadable MRZ.
    fn paper_result(&self, outcome: Outcome) -> Value {
        let expiry = if outcome == Outcome::Rejected {
            EXPIRED
        } else {
            VALID_UNTIL
        };
        let mrz_read = !matches!(
            outcome,
            Outcome::Inconclusive | Outcome::InconclusiveFeature
        );
        let mut result = json!({
            "verification": {
                "type": if mrz_read { "MRZ_FEATURE_COMPARISON" } else { "FEATURES_ONLY" },
                "status": if outcome == Outcome::Accepted { "true" } else { "false" },
            },
            "features": {
                "firstName": FIRST_NAME,
                "lastName": LAST_NAME,
                "dateOfExpiry": expiry,
                "gender": "F",
                "documentNumber": DOCUMENT_NUMBER,
                "dateOfBirth": DATE_OF_BIRTH,
                "personalNumber": PERSONAL_NUMBER,
            },
        });
        if mrz_read {
            result["mrz"] = json!({
                "firstName": FIRST_NAME,
                "lastName": LAST_NAME,
                "dateOfExpiry": expiry,
                "nationality": "NOR",
                "gender": "F",
                "documentType": self.document_kind(),
                "issuingCountry": "NOR",
                "documentNumber": DOCUMENT_NUMBER,
                "dateOfBirth": DATE_OF_BIRTH,
                "personalNumber": PERSONAL_NUMBER,
            });
            let check = if outcome == Outcome::Rejected {
                "INVALID"
            } else {
                "VALID"
            };
            result["mrzChecksum"] = json!({
                "dateOfExpiry": check,
                "documentNumber": "VALID",
                "dateOfBirth": "VALID",
                "personalNumber": "VALID",
            });
        }
        result
    }

    fn final_result(&self) -> Value {
        json!({
            "firstName": FIRST_NAME,
            "lastName": LAST_NAME,
            "dateOfBirth": DATE_OF_BIRTH,
            "dateOfExpiry": VALID_UNTIL,
            "documentNumber": DOCUMENT_NUMBER,
            "documentType": self.document_kind(),
            "gender": "F",
            "nationality": "NOR",
            "issuingCountry": "NOR",
        })
    }
}

/// The agent's review: a reason for each invalid check.
pub fn manual_approval(outcome: Outcome) -> Value {
    let reasons = if outcome == Outcome::Rejected {
        json!([{ "type": "Document.Expired", "message": "The document has expired" }])
    } else {
        json!([])
    };
    json!({ "rejectionReasons": reasons })
}

/// The `failReason` of the inactivity scenario.
pub fn inactive_fail_reason() -> Value {
    json!({
        "type": "InactiveUser.Aborted",
        "message": "There has been no interaction with the video",
    })
}

const FIRST_NAME: &str = "Kari";
const LAST_NAME: &str = "Nordmann";
const DATE_OF_BIRTH: &str = "1990-04-17";
const DOCUMENT_NUMBER: &str = "FH0123456";
const PERSONAL_NUMBER: &str = "17049012345";
const VALID_UNTIL: &str = "2031-06-30";
const EXPIRED: &str = "2020-01-31";

/// One row of "Get document types".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocumentType {
    pub country: &'static str,
    pub country_name: &'static str,
    /// The published `type`.
    pub kind: &'static str,
    /// VideoID's `idType` (only VideoID's rows carry it).
    pub id: u32,
    pub name: &'static str,
    pub sub_type: &'static str,
    pub icao: &'static str,
}

impl DocumentType {
    /// VideoID's phases for this document: a passport has no back.
    pub fn phases(&self) -> Vec<String> {
        let phases: &[&str] = if self.kind == "passport" {
            &["FRONT", "FACE"]
        } else {
            &["FRONT", "BACK", "FACE"]
        };
        phases.iter().map(|p| p.to_string()).collect()
    }
}

const fn row(
    country: &'static str,
    country_name: &'static str,
    kind: &'static str,
    id: u32,
    name: &'static str,
    sub_type: &'static str,
    icao: &'static str,
) -> DocumentType {
    DocumentType {
        country,
        country_name,
        kind,
        id,
        name,
        sub_type,
        icao,
    }
}

/// The document types the simulated providers accept.
pub const DOCUMENT_TYPES: &[DocumentType] = &[
    row(
        "NO",
        "Norway",
        "passport",
        1,
        "Norwegian passport",
        "ordinary",
        "P",
    ),
    row(
        "NO",
        "Norway",
        "identityCard",
        2,
        "Norwegian national identity card",
        "national",
        "ID",
    ),
    row(
        "NO",
        "Norway",
        "driversLicense",
        3,
        "Norwegian driving licence",
        "ordinary",
        "DL",
    ),
    row(
        "SE",
        "Sweden",
        "passport",
        4,
        "Swedish passport",
        "ordinary",
        "P",
    ),
    row(
        "SE",
        "Sweden",
        "identityCard",
        5,
        "Swedish national identity card",
        "national",
        "ID",
    ),
    row(
        "DK",
        "Denmark",
        "passport",
        6,
        "Danish passport",
        "ordinary",
        "P",
    ),
    row(
        "FI",
        "Finland",
        "identityCard",
        7,
        "Finnish identity card",
        "national",
        "ID",
    ),
    row(
        "NO",
        "Norway",
        "residencePermit",
        9,
        "Norwegian residence card",
        "ordinary",
        "IR",
    ),
    row(
        "ES",
        "Spain",
        "identityCard",
        62,
        "Spanish DNI",
        "national",
        "ID",
    ),
];

/// The document type the hosted page's VideoID SDK captures when the capture configuration
/// names none (the Norwegian identity card: it has two sides).
pub const DEFAULT_ID_TYPE: u32 = 2;

/// A VideoID document type by its `id`.
pub fn document_type_by_id(id: u32) -> Option<&'static DocumentType> {
    DOCUMENT_TYPES.iter().find(|d| d.id == id)
}

/// "Get document types" of `provider`: `id` (an integer) only for VideoID.
pub fn document_types(provider: &str) -> Value {
    let rows: Vec<Value> = DOCUMENT_TYPES
        .iter()
        .map(|d| {
            let mut row = json!({
                "country": d.country, "countryName": d.country_name, "type": d.kind,
                "name": d.name, "subType": d.sub_type, "icao": d.icao,
            });
            if provider == VIDEOID {
                row["id"] = json!(d.id);
            }
            row
        })
        .collect();
    Value::Array(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(status: Status, outcome: Option<Outcome>, process_type: &str) -> Value {
        Process {
            process_id: "p".into(),
            dossier_id: "d".into(),
            provider: VIDEOID.into(),
            process_type: Some(process_type.into()),
            sdk: None,
            status,
            scenario: None,
            scenario_source: None,
            outcome,
            final_at_ms: None,
            fail_reason: (status == Status::Failed).then(inactive_fail_reason),
            capture: None,
            authorization: None,
            authorization_expires_at_ms: None,
            video: None,
            media: BTreeMap::new(),
            event_tags: Vec::new(),
            review_queued_at_ms: None,
            review: None,
            created_at: "t".into(),
            updated_at: "t".into(),
        }
        .to_json()
    }

    #[test]
    fn pending_has_no_result_fields() {
        let p = process(Status::Pending, Some(Outcome::Accepted), "substantial");
        assert_eq!(p["status"], "pending");
        assert!(p.get("providerSpecific").is_none());
        assert!(p.get("failReason").is_none());
        assert!(p.get("finalResult").is_none());
    }

    #[test]
    fn outcomes_follow_the_product_rules() {
        let accepted = process(Status::Accepted, Some(Outcome::Accepted), "substantial");
        assert_eq!(accepted["finalResult"]["lastName"], LAST_NAME);
        let rejected = process(Status::Rejected, Some(Outcome::Rejected), "substantial");
        assert!(rejected.get("finalResult").is_none());
        let ocr = &rejected["providerSpecific"]["ocr"];
        assert_eq!(ocr["securityChecks"]["nonExpired"]["valid"], false);
        assert_eq!(
            rejected["providerSpecific"]["manualApproval"]["rejectionReasons"][0]["type"],
            "Document.Expired"
        );
        let inconclusive = process(Status::Inconclusive, Some(Outcome::Inconclusive), "high");
        assert_eq!(
            inconclusive["providerSpecific"]["ocr"]["similarityScore"],
            "medium"
        );
        let feature = process(
            Status::Inconclusive,
            Some(Outcome::InconclusiveFeature),
            "high",
        );
        let ocr = &feature["providerSpecific"]["ocr"];
        assert_eq!(ocr["similarityScore"], "high");
        assert_eq!(ocr["features"][1]["found"], false);
        let failed = process(Status::Failed, Some(Outcome::Failed), "substantial");
        assert_eq!(failed["failReason"]["type"], "InactiveUser.Aborted");
        assert!(failed.get("providerSpecific").is_none());
        let auto = process(
            Status::Accepted,
            Some(Outcome::Accepted),
            "substantialFullyAuto",
        );
        assert!(auto["providerSpecific"].get("manualApproval").is_none());
    }

    #[test]
    fn scenarios() {
        assert!(is_scenario("no-interaction"));
        assert!(is_scenario("failed"));
        assert!(is_scenario("canceled"));
        assert_eq!(Outcome::parse("failed-inactive"), Some(Outcome::Failed));
        assert!(!is_scenario("backend-error"));
    }
}
