//! The enumerations the Assure API publishes, shared by the simulator (which
//! accepts and answers exactly these) and the reference backend.

/// Providers of "Start capture flow".
pub const CAPTURE_PROVIDERS: &[&str] = &[
    "onfido",
    "signicatpaper",
    "readid",
    "signicatpictureid",
    "signicatvideoid",
    "webid",
];

/// Providers of "Create process": the capture providers plus `facetec` and `connect:idmethod`.
pub const PROCESS_PROVIDERS: &[&str] = &[
    "onfido",
    "signicatpaper",
    "readid",
    "signicatpictureid",
    "signicatvideoid",
    "webid",
    "facetec",
    "connect:idmethod",
];

/// Providers that take images through "Set images" ("Direct upload using Assure is only
/// available for Onfido, Signicat Paper and FaceTec").
pub const DIRECT_UPLOAD_PROVIDERS: &[&str] = &["onfido", "signicatpaper", "facetec"];

/// Providers that have "Get document types".
pub const DOCUMENT_TYPE_PROVIDERS: &[&str] = &[
    "onfido",
    "signicatpaper",
    "signicatpictureid",
    "signicatvideoid",
];

/// `processType` values of "Start capture flow".
pub const CAPTURE_PROCESS_TYPES: &[&str] = &[
    "substantial",
    "substantialFullyAuto",
    "high",
    "document",
    "documentSelfie",
    "documentVideo",
    "ready",
];

/// `processType` values of "Create process": the capture ones plus `sdk`, `accountid`, `videoid`.
pub const PROCESS_TYPES: &[&str] = &[
    "substantial",
    "substantialFullyAuto",
    "high",
    "document",
    "documentSelfie",
    "documentVideo",
    "ready",
    "sdk",
    "accountid",
    "videoid",
];

/// `sdk` values of "Start capture flow" and "Create process".
pub const SDKS: &[&str] = &["native", "capture"];

/// Document-type `type` values.
pub const DOCUMENT_KINDS: &[&str] = &[
    "driversLicense",
    "passport",
    "identityCard",
    "residencePermit",
    "workPermit",
    "voterId",
    "postalIdCard",
    "professionalQualificationCard",
    "socialSecurity",
    "panCard",
    "passportCard",
    "stateId",
    "visa",
    "asylumRegistrationCard",
    "nationalHealthInsuranceCard",
    "aadharCard",
];

/// VideoID's provider name.
pub const VIDEOID: &str = "signicatvideoid";

/// The published name of a provider: `eid` (older documents) is `signicatvideoid`; names
/// outside `allowed` are `None`.
pub fn provider<'a>(name: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let name = if name == "eid" { VIDEOID } else { name };
    allowed.iter().copied().find(|p| *p == name)
}

/// True when `provider` (a published name or `eid`) takes images through "Set images".
pub fn takes_direct_upload(provider: &str) -> bool {
    self::provider(provider, DIRECT_UPLOAD_PROVIDERS).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eid_is_videoid_and_unknown_names_are_none() {
        assert_eq!(provider("eid", PROCESS_PROVIDERS), Some("signicatvideoid"));
        assert_eq!(
            provider("signicatvideoid", CAPTURE_PROVIDERS),
            Some("signicatvideoid")
        );
        assert_eq!(provider("facetec", CAPTURE_PROVIDERS), None);
        assert_eq!(provider("facetec", PROCESS_PROVIDERS), Some("facetec"));
        assert_eq!(provider("SignicatVideoID", PROCESS_PROVIDERS), None);
        assert!(takes_direct_upload("signicatpaper"));
        assert!(!takes_direct_upload("eid"));
        assert!(!takes_direct_upload("signicatvideoid"));
    }

    #[test]
    fn create_process_lists_extend_the_capture_lists() {
        assert!(CAPTURE_PROVIDERS
            .iter()
            .all(|p| PROCESS_PROVIDERS.contains(p)));
        assert!(CAPTURE_PROCESS_TYPES
            .iter()
            .all(|t| PROCESS_TYPES.contains(t)));
        assert!(DIRECT_UPLOAD_PROVIDERS
            .iter()
            .all(|p| PROCESS_PROVIDERS.contains(p)));
    }
}
