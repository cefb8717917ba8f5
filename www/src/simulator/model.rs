//! The simulator's in-memory store and the process JSON it answers with.

use crate::clock::now_rfc3339;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::time::Instant;

/// How a simulated capture ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// All checks pass; `finalResult` is present.
    Accepted,
    /// The document is expired (one invalid security check).
    Rejected,
    /// The face similarity is only `medium`.
    Inconclusive,
    /// The user stopped interacting (`InactiveUser.Aborted`).
    Failed,
}

impl Outcome {
    /// Parses `accepted`, `rejected`, `inconclusive` or `failed-inactive` (also `failed`).
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "accepted" => Some(Outcome::Accepted),
            "rejected" => Some(Outcome::Rejected),
            "inconclusive" => Some(Outcome::Inconclusive),
            "failed-inactive" | "failed" => Some(Outcome::Failed),
            _ => None,
        }
    }

    /// The process status this outcome ends in.
    pub fn status(self) -> &'static str {
        match self {
            Outcome::Accepted => "accepted",
            Outcome::Rejected => "rejected",
            Outcome::Inconclusive => "inconclusive",
            Outcome::Failed => "failed",
        }
    }
}

/// True for the scenarios the capture page knows (the outcomes and `no-interaction`).
pub fn is_scenario(s: &str) -> bool {
    s == "no-interaction" || Outcome::parse(s).is_some()
}

/// An Assure dossier.
#[derive(Debug, Clone)]
pub struct Dossier {
    pub external_reference: Value,
    pub created_at: String,
    pub updated_at: String,
    pub process_ids: Vec<String>,
}

/// Where a process is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Pending,
    Processing,
    Final(Outcome),
}

/// An Assure process of the VideoID provider.
#[derive(Debug, Clone)]
pub struct Process {
    pub dossier_id: String,
    pub process_type: String,
    pub stage: Stage,
    pub created_at: String,
    pub updated_at: String,
}

/// What the hosted capture page knows through its artifact.
#[derive(Debug, Clone)]
pub struct Artifact {
    pub dossier_id: String,
    pub process_id: String,
    pub redirect_url: String,
    pub scenario: Option<String>,
    pub auto: bool,
    pub finished: bool,
}

/// Everything the simulator remembers (in memory for now).
#[derive(Debug, Default)]
pub struct Store {
    pub tokens: HashMap<String, Instant>,
    pub dossiers: HashMap<String, Dossier>,
    pub processes: HashMap<String, Process>,
    pub artifacts: HashMap<String, Artifact>,
}

impl Store {
    /// Sets a process's stage and its `updatedAt`.
    pub fn set_stage(&mut self, process_id: &str, stage: Stage) {
        if let Some(process) = self.processes.get_mut(process_id) {
            process.stage = stage;
            process.updated_at = now_rfc3339();
        }
    }

    /// The dossier JSON with its processes.
    pub fn dossier_json(&self, dossier_id: &str) -> Option<Value> {
        let dossier = self.dossiers.get(dossier_id)?;
        let processes: Vec<Value> = dossier
            .process_ids
            .iter()
            .filter_map(|pid| self.processes.get(pid).map(|p| process_json(pid, p)))
            .collect();
        Some(json!({
            "dossierId": dossier_id,
            "externalReference": dossier.external_reference,
            "createdAt": dossier.created_at,
            "updatedAt": dossier.updated_at,
            "processes": processes,
        }))
    }
}

/// The "Get process" answer for a process.
pub fn process_json(process_id: &str, process: &Process) -> Value {
    let status = match process.stage {
        Stage::Pending => "pending",
        Stage::Processing => "processing",
        Stage::Final(outcome) => outcome.status(),
    };
    let mut answer = json!({
        "processId": process_id,
        "provider": "signicatvideoid",
        "processType": process.process_type,
        "status": status,
        "createdAt": process.created_at,
        "updatedAt": process.updated_at,
    });
    match process.stage {
        Stage::Final(Outcome::Failed) => {
            answer["failReason"] = json!({
                "type": "InactiveUser.Aborted",
                "message": "There has been no interaction with the video",
            });
        }
        Stage::Final(outcome) => {
            answer["providerSpecific"] = provider_specific(outcome);
            if outcome == Outcome::Accepted {
                answer["finalResult"] = final_result();
            }
        }
        Stage::Pending | Stage::Processing => {}
    }
    answer
}

const FIRST_NAME: &str = "Kari";
const LAST_NAME: &str = "Nordmann";
const DATE_OF_BIRTH: &str = "1990-04-17";
const DOCUMENT_NUMBER: &str = "FH0123456";

fn provider_specific(outcome: Outcome) -> Value {
    let expired = outcome == Outcome::Rejected;
    let similarity = if outcome == Outcome::Inconclusive {
        "medium"
    } else {
        "high"
    };
    let rejection_reasons = if expired {
        json!([{ "type": "Document.Expired", "message": "The document has expired" }])
    } else {
        json!([])
    };
    json!({
        "ocr": {
            "firstName": FIRST_NAME,
            "lastName": LAST_NAME,
            "documentNumber": DOCUMENT_NUMBER,
            "documentType": "passport",
            "dateOfBirth": DATE_OF_BIRTH,
            "dateOfExpiry": if expired { "2020-01-31" } else { "2031-06-30" },
            "gender": "F",
            "nationality": "NOR",
            "issuingCountry": "NOR",
            "similarityScore": similarity,
            "livenessDetected": "true",
            "securityChecks": {
                "nonExpired": { "valid": !expired },
                "notUnderage": { "valid": true },
                "dataIntegrity": { "valid": true },
                "livenessDetected": { "valid": true },
                "notFaceSpoofing": { "valid": true },
                "sidesMatch": { "valid": true },
                "notBWCopy": { "valid": true },
            },
        },
        "manualApproval": { "rejectionReasons": rejection_reasons },
    })
}

fn final_result() -> Value {
    json!({
        "firstName": FIRST_NAME,
        "lastName": LAST_NAME,
        "dateOfBirth": DATE_OF_BIRTH,
        "documentNumber": DOCUMENT_NUMBER,
        "documentType": "passport",
        "nationality": "NOR",
        "issuingCountry": "NOR",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(stage: Stage) -> Value {
        let p = Process {
            dossier_id: "d".into(),
            process_type: "substantial".into(),
            stage,
            created_at: now_rfc3339(),
            updated_at: now_rfc3339(),
        };
        process_json("p", &p)
    }

    #[test]
    fn pending_has_no_result_fields() {
        let p = process(Stage::Pending);
        assert_eq!(p["status"], "pending");
        assert!(p.get("providerSpecific").is_none());
        assert!(p.get("failReason").is_none());
        assert!(p.get("finalResult").is_none());
    }

    #[test]
    fn outcomes_follow_the_product_rules() {
        let accepted = process(Stage::Final(Outcome::Accepted));
        assert_eq!(accepted["finalResult"]["lastName"], LAST_NAME);
        let rejected = process(Stage::Final(Outcome::Rejected));
        assert!(rejected.get("finalResult").is_none());
        assert_eq!(
            rejected["providerSpecific"]["ocr"]["securityChecks"]["nonExpired"]["valid"],
            false
        );
        assert_eq!(
            rejected["providerSpecific"]["manualApproval"]["rejectionReasons"][0]["type"],
            "Document.Expired"
        );
        let inconclusive = process(Stage::Final(Outcome::Inconclusive));
        assert_eq!(
            inconclusive["providerSpecific"]["ocr"]["similarityScore"],
            "medium"
        );
        let failed = process(Stage::Final(Outcome::Failed));
        assert_eq!(failed["failReason"]["type"], "InactiveUser.Aborted");
        assert!(failed.get("providerSpecific").is_none());
    }

    #[test]
    fn scenarios() {
        assert!(is_scenario("no-interaction"));
        assert!(is_scenario("failed"));
        assert_eq!(Outcome::parse("failed-inactive"), Some(Outcome::Failed));
        assert!(!is_scenario("backend-error"));
    }
}
