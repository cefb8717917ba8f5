//! Every string a person reads, in every language the component speaks.

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Norwegian (Bokmål; Nynorsk and plain `no` fall back to it).
    Nb,
}

impl Lang {
    /// Picks the language for a BCP 47 tag; unknown tags fall back to English.
    pub fn from_tag(tag: &str) -> Lang {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "nb" | "no" | "nn" => Lang::Nb,
            _ => Lang::En,
        }
    }

    /// The BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nb => "nb",
        }
    }
}

/// The key of a string shown or announced to the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Text {
    IdleTitle,
    IdleMessage,
    Start,
    LoadingTitle,
    CapturingTitle,
    CapturingInFrame,
    CapturingInPopup,
    CapturingRedirect,
    FrameTitle,
    CompletingTitle,
    CompletingMessage,
    CompleteTitle,
    CompleteMessage,
    FailedTitle,
    CancelledTitle,
    CancelledMessage,
    Retry,
    Cancel,
    OpenPopup,
    OpenRedirect,
    PopupBlocked,
    FailConfig,
    FailSessionInvalid,
    FailSessionExpired,
    FailNetwork,
    FailBackend,
    FailLoadTimeout,
    FailCapture,
    FailInactive,
    FailCancelled,
    FailCameraDenied,
    FailMicrophoneDenied,
    FailBlockedByPolicy,
    FailDeviceNotFound,
    FailDeviceInUse,
    FailDeviceUnsupported,
    FailInsecureContext,
    FailBrowserUnsupported,
    Capture,
    Record,
    SwitchCamera,
    Retake,
    Confirm,
    ChooseFile,
    Progress,
    HintOpening,
    HintPaused,
    HintFile,
    HintReview,
    HintRecording,
    HintUploading,
    HintFinishing,
    HintFront,
    HintBack,
    HintSelfie,
    HintVideo,
    HintCapturing,
    HintDark,
    HintBright,
    HintCloser,
    HintGlare,
    HintHoldStill,
    HintBlurry,
    CaptureMissed,
    StepFront,
    StepBack,
    StepSelfie,
    StepVideo,
}

/// The string for `key` in `lang`.
pub fn text(lang: Lang, key: Text) -> &'static str {
    use Text::*;
    match lang {
        Lang::En => match key {
            IdleTitle => "Verify your identity",
            IdleMessage => "You will show an ID document and your face to the camera. It takes a few minutes.",
            Start => "Start verification",
            LoadingTitle => "Preparing the verification…",
            CapturingTitle => "Verification in progress",
            CapturingInFrame => "Follow the steps in the verification window.",
            CapturingInPopup => "Follow the steps in the new window. This page updates when you are done.",
            CapturingRedirect => "Opening the verification page…",
            FrameTitle => "Identity verification",
            CompletingTitle => "Checking the result…",
            CompletingMessage => "Your capture is done. We are waiting for the verification result.",
            CompleteTitle => "Verification sent",
            CompleteMessage => "Thank you. Your identity verification is complete.",
            FailedTitle => "The verification stopped",
            CancelledTitle => "Verification cancelled",
            CancelledMessage => "You left the verification. You can start again when you are ready.",
            Retry => "Try again",
            Cancel => "Cancel",
            OpenPopup => "Continue in a new window",
            OpenRedirect => "Continue on the verification page",
            PopupBlocked => "The new window was blocked. Allow pop-ups for this site and try again.",
            FailConfig => "This page is not set up correctly for identity verification. Please contact the site.",
            FailSessionInvalid => "The verification session is not valid. Please contact the site.",
            FailSessionExpired => "The verification session has expired. Start again to get a new one.",
            FailNetwork => "We could not reach the server. Check your connection and try again.",
            FailBackend => "The server could not start the verification. Please try again.",
            FailLoadTimeout => "The verification page could not be shown here.",
            FailCapture => "The verification could not be completed.",
            FailInactive => "The verification stopped because nothing happened for a while. Start again when you are ready.",
            FailCancelled => "You cancelled the verification.",
            FailCameraDenied => "Camera access is blocked. Allow the camera in your browser's site settings, then try again.",
            FailMicrophoneDenied => "Microphone access is blocked. Allow the microphone in your browser's site settings, then try again.",
            FailBlockedByPolicy => "This page is not allowed to use the camera or microphone. Please contact the site.",
            FailDeviceNotFound => "No camera or microphone was found. Connect one and try again.",
            FailDeviceInUse => "The camera is used by another app. Close that app and try again.",
            FailDeviceUnsupported => "Your camera cannot record what the verification needs.",
            FailInsecureContext => "This page is not secure (no HTTPS), so the camera cannot be used.",
            FailBrowserUnsupported => "This browser cannot run the verification. Please use a current browser.",
            Capture => "Take photo",
            Record => "Start recording",
            SwitchCamera => "Switch camera",
            Retake => "Retake",
            Confirm => "Use this",
            ChooseFile => "Choose a photo of the document",
            Progress => "Verification progress",
            HintOpening => "Starting the camera…",
            HintPaused => "The camera is off while this page is hidden.",
            HintFile => "The camera is not available. Choose a photo of the document instead.",
            HintReview => "Check that everything is sharp and readable.",
            HintRecording => "Recording… Look at the camera and read the numbers aloud.",
            HintUploading => "Sending…",
            HintFinishing => "Finishing…",
            HintFront => "Place the front of your ID document inside the frame.",
            HintBack => "Turn the document over and place the back inside the frame.",
            HintSelfie => "Look straight at the camera, with your face inside the frame.",
            HintVideo => "When you start recording, look at the camera and read these numbers aloud:",
            HintCapturing => "Hold still…",
            HintDark => "Too dark. Find more light.",
            HintBright => "Too bright. Move away from direct light.",
            HintCloser => "Move closer: fill the frame with the document.",
            HintGlare => "Glare on the document. Tilt the card a little.",
            HintHoldStill => "Hold still.",
            HintBlurry => "Not sharp yet. Hold steady so the camera can focus.",
            CaptureMissed => "That didn't work — try again.",
            StepFront => "Front of your ID document",
            StepBack => "Back of your ID document",
            StepSelfie => "A photo of your face",
            StepVideo => "A short video",
        },
        Lang::Nb => match key {
            IdleTitle => "Bekreft identiteten din",
            IdleMessage => "Du viser et ID-dokument og ansiktet ditt til kameraet. Det tar noen minutter.",
            Start => "Start verifiseringen",
            LoadingTitle => "Forbereder verifiseringen…",
            CapturingTitle => "Verifisering pågår",
            CapturingInFrame => "Følg stegene i verifiseringsvinduet.",
            CapturingInPopup => "Følg stegene i det nye vinduet. Denne siden oppdateres når du er ferdig.",
            CapturingRedirect => "Åpner verifiseringssiden…",
            FrameTitle => "Identitetsverifisering",
            CompletingTitle => "Sjekker resultatet…",
            CompletingMessage => "Opptaket er ferdig. Vi venter på resultatet av verifiseringen.",
            CompleteTitle => "Verifiseringen er sendt",
            CompleteMessage => "Takk. Identitetsverifiseringen er fullført.",
            FailedTitle => "Verifiseringen stoppet",
            CancelledTitle => "Verifiseringen er avbrutt",
            CancelledMessage => "Du avbrøt verifiseringen. Du kan starte på nytt når du er klar.",
            Retry => "Prøv igjen",
            Cancel => "Avbryt",
            OpenPopup => "Fortsett i et nytt vindu",
            OpenRedirect => "Fortsett på verifiseringssiden",
            PopupBlocked => "Det nye vinduet ble blokkert. Tillat popup-vinduer for dette nettstedet og prøv igjen.",
            FailConfig => "Denne siden er ikke riktig satt opp for identitetsverifisering. Kontakt nettstedet.",
            FailSessionInvalid => "Verifiseringsøkten er ikke gyldig. Kontakt nettstedet.",
            FailSessionExpired => "Verifiseringsøkten er utløpt. Start på nytt for å få en ny.",
            FailNetwork => "Vi fikk ikke kontakt med serveren. Sjekk tilkoblingen og prøv igjen.",
            FailBackend => "Serveren kunne ikke starte verifiseringen. Prøv igjen.",
            FailLoadTimeout => "Verifiseringssiden kunne ikke vises her.",
            FailCapture => "Verifiseringen kunne ikke fullføres.",
            FailInactive => "Verifiseringen stoppet fordi ingenting skjedde på en stund. Start på nytt når du er klar.",
            FailCancelled => "Du avbrøt verifiseringen.",
            FailCameraDenied => "Kameraet er blokkert. Tillat kameraet i nettleserens innstillinger for nettstedet, og prøv igjen.",
            FailMicrophoneDenied => "Mikrofonen er blokkert. Tillat mikrofonen i nettleserens innstillinger for nettstedet, og prøv igjen.",
            FailBlockedByPolicy => "Denne siden har ikke lov til å bruke kamera eller mikrofon. Kontakt nettstedet.",
            FailDeviceNotFound => "Fant ikke kamera eller mikrofon. Koble til en og prøv igjen.",
            FailDeviceInUse => "Kameraet brukes av en annen app. Lukk den og prøv igjen.",
            FailDeviceUnsupported => "Kameraet ditt kan ikke ta opp det verifiseringen trenger.",
            FailInsecureContext => "Denne siden er ikke sikker (ikke HTTPS), så kameraet kan ikke brukes.",
            FailBrowserUnsupported => "Denne nettleseren kan ikke kjøre verifiseringen. Bruk en oppdatert nettleser.",
            Capture => "Ta bilde",
            Record => "Start opptak",
            SwitchCamera => "Bytt kamera",
            Retake => "Ta på nytt",
            Confirm => "Bruk dette",
            ChooseFile => "Velg et bilde av dokumentet",
            Progress => "Fremdrift i verifiseringen",
            HintOpening => "Starter kameraet…",
            HintPaused => "Kameraet er av mens denne siden er skjult.",
            HintFile => "Kameraet er ikke tilgjengelig. Velg et bilde av dokumentet i stedet.",
            HintReview => "Sjekk at alt er skarpt og lesbart.",
            HintRecording => "Tar opp… Se på kameraet og les tallene høyt.",
            HintUploading => "Sender…",
            HintFinishing => "Fullfører…",
            HintFront => "Plasser forsiden av ID-dokumentet innenfor rammen.",
            HintBack => "Snu dokumentet og plasser baksiden innenfor rammen.",
            HintSelfie => "Se rett i kameraet, med ansiktet innenfor rammen.",
            HintVideo => "Når du starter opptaket, se på kameraet og les disse tallene høyt:",
            HintCapturing => "Hold stille…",
            HintDark => "For mørkt. Finn mer lys.",
            HintBright => "For lyst. Flytt deg bort fra direkte lys.",
            HintCloser => "Gå nærmere: fyll rammen med dokumentet.",
            HintGlare => "Gjenskinn på dokumentet. Vipp kortet litt.",
            HintHoldStill => "Hold stille.",
            HintBlurry => "Ikke skarpt ennå. Hold stødig så kameraet kan fokusere.",
            CaptureMissed => "Det fungerte ikke — prøv igjen.",
            StepFront => "Forsiden av ID-dokumentet",
            StepBack => "Baksiden av ID-dokumentet",
            StepSelfie => "Et bilde av ansiktet ditt",
            StepVideo => "En kort video",
        },
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn tags_pick_the_language() {
        assert_eq!(Lang::from_tag("nb-NO"), Lang::Nb);
        assert_eq!(Lang::from_tag("no"), Lang::Nb);
        assert_eq!(Lang::from_tag("NN"), Lang::Nb);
        assert_eq!(Lang::from_tag("en-GB"), Lang::En);
        assert_eq!(Lang::from_tag("sv"), Lang::En);
        assert_eq!(Lang::from_tag(""), Lang::En);
    }
}
