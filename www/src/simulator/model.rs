//! The simulator's records (as stored on disk) and the Assure JSON it answers with.

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
    pub external_reference: Value,
    pub created_at: String,
    pub updated_at: String,
    pub process_ids: Vec<String>,
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
    /// The upload token of the page's own native capture (one per artifact, made on first use).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_token: Option<String>,
    /// When (ms since the epoch) that token stops working; each native session renews it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload_expires_at_ms: Option<u64>,
}

/// One uploaded artifact (native path): its type and size; the bytes are a file next to the record.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Media {
    pub content_type: String,
    pub bytes: u64,
    #[serde(default)]
    pub quality: Option<Value>,
}

/// An Assure process of the VideoID provider.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Process {
    pub process_id: String,
    pub dossier_id: String,
    pub process_type: String,
    #[serde(default)]
    pub sdk: Option<String>,
    pub status: Status,
    /// The scenario chosen when the process was created (`None`: decided by the capture page).
    #[serde(default)]
    pub scenario: Option<String>,
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
    #[serde(default)]
    pub authorization: Option<String>,
    #[serde(default)]
    pub media: BTreeMap<String, Media>,
    #[serde(default)]
    pub event_tags: Vec<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// Process types a human agent reviews (they carry `manualApproval`).
pub fn is_agent_reviewed(process_type: &str) -> bool {
    process_type != "substantialFullyAuto"
}

impl Process {
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

    /// The "Get process" answer.
    pub fn to_json(&self) -> Value {
        let mut answer = json!({
            "processId": self.process_id,
            "provider": "signicatvideoid",
            "processType": self.process_type,
            "status": self.status,
            "createdAt": self.created_at,
            "updatedAt": self.updated_at,
        });
        if let Some(reason) = &self.fail_reason {
            answer["failReason"] = reason.clone();
        }
        if let (true, Some(outcome)) = (self.status.has_results(), self.outcome) {
            let mut specific = json!({ "ocr": self.ocr(outcome) });
            if is_agent_reviewed(&self.process_type) {
                specific["manualApproval"] = manual_approval(outcome);
            }
            answer["providerSpecific"] = specific;
            if self.status == Status::Accepted {
                answer["finalResult"] = self.final_result();
            }
        }
        answer
    }

    fn document_type(&self) -> &'static str {
        if self.has_back() {
            "identityCard"
        } else {
            "passport"
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
        let mut features = vec![
            json!({ "name": "face", "found": true, "side": "front",
                    "bbox": { "x": 16, "y": 50, "width": 90, "height": 120 } }),
            json!({ "name": "mrz", "found": outcome != Outcome::InconclusiveFeature,
                    "side": if self.has_back() { "back" } else { "front" } }),
        ];
        if self.has_back() {
            features.push(json!({ "name": "barcode", "found": true, "side": "back" }));
        }
        json!({
            "firstName": FIRST_NAME,
            "lastName": LAST_NAME,
            "documentNumber": DOCUMENT_NUMBER,
            "documentType": self.document_type(),
            "dateOfBirth": DATE_OF_BIRTH,
            "dateOfExpiry": if expired { "2020-01-31" } else { "2031-06-30" },
            "gender": "F",
            "nationality": "NOR",
            "issuingCountry": "NOR",
            "personalIdentificationNumber": "17049012345",
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

    fn final_result(&self) -> Value {
        json!({
            "firstName": FIRST_NAME,
            "lastName": LAST_NAME,
            "dateOfBirth": DATE_OF_BIRTH,
            "documentNumber": DOCUMENT_NUMBER,
            "documentType": self.document_type(),
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

/// The document types the simulated VideoID provider accepts.
pub fn document_types() -> Value {
    let row = |country: &str, name: &str, kind: &str, id: u32, doc: &str, sub: &str, icao: &str| {
        json!({ "country": country, "countryName": name, "type": kind, "id": id,
                "name": doc, "subType": sub, "icao": icao })
    };
    json!([
        row(
            "NO",
            "Norway",
            "passport",
            1,
            "Norwegian passport",
            "ordinary",
            "P"
        ),
        row(
            "NO",
            "Norway",
            "idCard",
            2,
            "Norwegian national identity card",
            "national",
            "ID"
        ),
        row(
            "NO",
            "Norway",
            "drivingLicense",
            3,
            "Norwegian driving licence",
            "ordinary",
            "DL"
        ),
        row(
            "SE",
            "Sweden",
            "passport",
            4,
            "Swedish passport",
            "ordinary",
            "P"
        ),
        row(
            "SE",
            "Sweden",
            "idCard",
            5,
            "Swedish national identity card",
            "national",
            "ID"
        ),
        row(
            "DK",
            "Denmark",
            "passport",
            6,
            "Danish passport",
            "ordinary",
            "P"
        ),
        row(
            "FI",
            "Finland",
            "idCard",
            7,
            "Finnish identity card",
            "national",
            "ID"
        ),
        row("ES", "Spain", "idCard", 8, "Spanish DNI", "national", "ID"),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(status: Status, outcome: Option<Outcome>, process_type: &str) -> Value {
        Process {
            process_id: "p".into(),
            dossier_id: "d".into(),
            process_type: process_type.into(),
            sdk: None,
            status,
            scenario: None,
            outcome,
            final_at_ms: None,
            fail_reason: (status == Status::Failed).then(inactive_fail_reason),
            capture: None,
            authorization: None,
            media: BTreeMap::new(),
            event_tags: Vec::new(),
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
