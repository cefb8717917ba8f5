/**
 * Types for `videoid-capture`: the `<videoid-capture>` element, `capture()`,
 * the typed failures and the `videoid-*` events.
 */

/** The element's state, reflected in its read-only `state` attribute. */
export type VideoIdCaptureState =
  | "idle"
  | "loading"
  | "capturing"
  | "completing"
  | "complete"
  | "failed"
  | "cancelled";

/**
 * `mode` attribute: the hosted page in a frame, with a fallback, the
 * component's own camera capture, or VideoID's web SDK (loaded from the
 * session's `sdkUrl`, run in a light-DOM container slotted into the element).
 */
export type CaptureMode = "embed" | "auto" | "native" | "sdk";

/**
 * `lang` attribute: the languages the element speaks (`ar` is laid out right
 * to left). Any BCP 47 tag is accepted: a region falls back to its language
 * (`pt-BR` → `pt`, `de-CH` → `de`, `no` and `nn` → `nb`), and a language the
 * element does not speak is passed over for `<html lang>`, then
 * `navigator.languages`, then English.
 */
export type VideoIdLang = "en" | "nb" | "sv" | "da" | "fi" | "de" | "nl" | "fr" | "es" | "it" | "pt" | "pl" | "ar";

/**
 * `fallback` attribute. `auto`: where to go when the capture page may not be
 * framed (`popup`, the default, or `redirect`). `native`: `embed` switches to
 * the hosted page when the device cannot capture; the default `none` reports
 * the typed failure.
 */
export type CaptureFallback = "popup" | "redirect" | "embed" | "none";

/**
 * `handoff` attribute: whether the capture may continue on a phone through a
 * QR code, which needs your backend's handoff endpoint. `auto` offers it beside
 * the start button and first after a camera failure (`Device.NotFound`, or any
 * camera failure in `native`/`sdk`); `always` goes straight to it; `off` (the
 * default) never offers it.
 */
export type CaptureHandoff = "auto" | "always" | "off";

/**
 * `credentials` attribute: whether the calls to your backend carry the page's
 * cookies to another origin. `same-origin` (the default) for a backend on the
 * page's origin; `include` for a backend on another origin, which must allow
 * the page's origin by CORS with credentials.
 */
export type CaptureCredentials = "same-origin" | "include";

/**
 * `texts` property: the host's own wording for any string the element shows
 * or announces, by text key. Every key is optional; the English of each is
 * below (and in `i18n/en.json`). Unknown keys are ignored with one console
 * warning naming them; a value that is not a non-empty string of at most 500
 * characters is ignored the same way.
 */
export interface VideoIdTexts {
  /** "Verify your identity" */
  idleTitle?: string;
  /** "You will show an ID document and your face to the camera. It takes a few minutes." */
  idleMessage?: string;
  /** "Start verification" */
  start?: string;
  /** "Preparing the verification…" */
  loadingTitle?: string;
  /** "Verification in progress" */
  capturingTitle?: string;
  /** "Follow the steps in the verification window." */
  capturingInFrame?: string;
  /** "Follow the steps in the new window. This page updates when you are done." */
  capturingInPopup?: string;
  /** "Opening the verification page…" */
  capturingRedirect?: string;
  /** "Identity verification" */
  frameTitle?: string;
  /** "Checking the result…" */
  completingTitle?: string;
  /** "Your capture is done. We are waiting for the verification result." */
  completingMessage?: string;
  /** "Verification sent" */
  completeTitle?: string;
  /** "Thank you. Your identity verification is complete." */
  completeMessage?: string;
  /** "The verification stopped" */
  failedTitle?: string;
  /** "Verification cancelled" */
  cancelledTitle?: string;
  /** "You left the verification. You can start again when you are ready." */
  cancelledMessage?: string;
  /** "Try again" */
  retry?: string;
  /** "Cancel" */
  cancel?: string;
  /** "Continue in a new window" */
  openPopup?: string;
  /** "Continue on the verification page" */
  openRedirect?: string;
  /** "The new window was blocked. Allow pop-ups for this site and try again." */
  popupBlocked?: string;
  /** "This page is not set up correctly for identity verification. Please contact the site." */
  failConfig?: string;
  /** "The verification session is not valid. Please contact the site." */
  failSessionInvalid?: string;
  /** "The verification session has expired. Start again to get a new one." */
  failSessionExpired?: string;
  /** "We could not reach the server. Check your connection and try again." */
  failNetwork?: string;
  /** "The server could not start the verification. Please try again." */
  failBackend?: string;
  /** "The verification page could not be shown here." */
  failLoadTimeout?: string;
  /** "The verification could not be completed." */
  failCapture?: string;
  /** "The verification stopped because nothing happened for a while. Start again when you are ready." */
  failInactive?: string;
  /** "You cancelled the verification." */
  failCancelled?: string;
  /** "Camera access is blocked. Allow the camera in your browser's site settings, then try again." */
  failCameraDenied?: string;
  /** "Microphone access is blocked. Allow the microphone in your browser's site settings, then try again." */
  failMicrophoneDenied?: string;
  /** "This page is not allowed to use the camera or microphone. Please contact the site." */
  failBlockedByPolicy?: string;
  /** "No camera or microphone was found. Connect one and try again." */
  failDeviceNotFound?: string;
  /** "The camera is used by another app. Close that app and try again." */
  failDeviceInUse?: string;
  /** "Your camera cannot record what the verification needs." */
  failDeviceUnsupported?: string;
  /** "This page is not secure (no HTTPS), so the camera cannot be used." */
  failInsecureContext?: string;
  /** "This browser cannot run the verification. Please use a current browser." */
  failBrowserUnsupported?: string;
  /** "No agent is available right now. Please try again later." */
  failAgentUnavailable?: string;
  /** "The call with the agent dropped. Please try again." */
  failAgentDisconnected?: string;
  /** "Take photo" */
  capture?: string;
  /** "Start recording" */
  record?: string;
  /** "Switch camera" */
  switchCamera?: string;
  /** "Retake" */
  retake?: string;
  /** "Use this" */
  confirm?: string;
  /** "Choose a photo of the document" */
  chooseFile?: string;
  /** "Verification progress" */
  progress?: string;
  /** "Starting the camera…" */
  hintOpening?: string;
  /** "The camera is off while this page is hidden." */
  hintPaused?: string;
  /** "The camera is not available. Choose a photo of the document instead." */
  hintFile?: string;
  /** "Check that everything is sharp and readable." */
  hintReview?: string;
  /** "Recording… Look at the camera and read the numbers aloud." */
  hintRecording?: string;
  /** "Sending…" */
  hintUploading?: string;
  /** "Finishing…" */
  hintFinishing?: string;
  /** "Place the front of your ID document inside the frame." */
  hintFront?: string;
  /** "Turn the document over and place the back inside the frame." */
  hintBack?: string;
  /** "Look straight at the camera, with your face inside the frame." */
  hintSelfie?: string;
  /** "When you start recording, look at the camera and read these numbers aloud:" */
  hintVideo?: string;
  /** "Hold still…" */
  hintCapturing?: string;
  /** "Too dark. Find more light." */
  hintDark?: string;
  /** "Too bright. Move away from direct light." */
  hintBright?: string;
  /** "Move closer: fill the frame with the document." */
  hintCloser?: string;
  /** "Glare on the document. Tilt the card a little." */
  hintGlare?: string;
  /** "Hold still." */
  hintHoldStill?: string;
  /** "Not sharp yet. Hold steady so the camera can focus." */
  hintBlurry?: string;
  /** "This is the back. Turn the card over." */
  hintTurnOver?: string;
  /** "This document has expired. Use a valid one." */
  hintExpired?: string;
  /** "The text at the bottom cannot be read yet. Hold still, avoid glare." */
  hintZoneUnreadable?: string;
  /** "That didn't work — try again." */
  captureMissed?: string;
  /** "Front of your ID document" */
  stepFront?: string;
  /** "Back of your ID document" */
  stepBack?: string;
  /** "A photo of your face" */
  stepSelfie?: string;
  /** "A short video" */
  stepVideo?: string;
  /** "Continue on my phone" */
  handoffButton?: string;
  /** "Continue on your phone" */
  handoffTitle?: string;
  /** "Scan the code with your phone’s camera, or open the link on your phone. It is valid for {minutes} minutes." */
  handoffHelp?: string;
  /** "QR code with the link" */
  handoffQr?: string;
  /** "Copy link" */
  handoffCopy?: string;
  /** "Copied" */
  handoffCopied?: string;
  /** "Waiting for your phone…" */
  handoffWaiting?: string;
  /** "The link is open on your phone." */
  handoffOpened?: string;
  /** "Capture in progress on your phone…" */
  handoffCapturing?: string;
  /** "Sending from your phone…" */
  handoffUploading?: string;
  /** "A phone opened your link" */
  handoffPairingTitle?: string;
  /** "Your phone should show the code {code}. Is it yours?" */
  handoffPairing?: string;
  /** "Yes, it is my phone" */
  handoffPairConfirm?: string;
  /** "Not my phone" */
  handoffPairReject?: string;
  /** "Your phone is connected. Continue there." */
  handoffPaired?: string;
  /** "Waiting for an agent" */
  queueTitle?: string;
  /** "You are in the queue. An agent will be with you soon." */
  queueWaiting?: string;
  /** "You are number {position} in the queue." */
  queuePosition?: string;
  /** "Video call with an agent" */
  interviewTitle?: string;
  /** "Follow the agent’s instructions." */
  interviewMessage?: string;
  /** "The call dropped. Reconnecting…" */
  agentReconnecting?: string;
}

/** The key of a string the element shows or announces (the keys of `VideoIdTexts`). */
export type VideoIdTextKey = keyof VideoIdTexts;

/** The native capture step, reflected in the read-only `step` attribute while capturing. */
export type CaptureStep = "front" | "back" | "selfie" | "video" | "upload";

/** Every attribute of the element; all but `state` and `step` are observed, `state` and `step` are read-only. */
export type VideoIdCaptureAttribute =
  | "session-endpoint"
  | "result-endpoint"
  | "capture-url"
  | "mode"
  | "lang"
  | "allowed-origins"
  | "inactivity-timeout"
  | "load-timeout"
  | "result-wait"
  | "agent-timeout"
  | "fallback"
  | "parent-origin"
  | "quality-thresholds"
  | "handoff"
  | "handoff-endpoint"
  | "credentials"
  | "expose-mrz"
  | "state"
  | "step";

/** Every `::part()` of the element's shadow root. */
export type VideoIdCapturePart =
  | "container"
  | "stage"
  | "frame"
  | "panel"
  | "title"
  | "message"
  | "actions"
  | "button"
  | "start-button"
  | "retry-button"
  | "fallback-button"
  | "cancel-button"
  | "capture-button"
  | "retake-button"
  | "confirm-button"
  | "switch-camera-button"
  | "preview"
  | "review"
  | "outline"
  | "hint"
  | "digits"
  | "progress"
  | "file-label"
  | "file-input"
  | "handoff-button"
  | "handoff"
  | "handoff-help"
  | "handoff-qr"
  | "handoff-link"
  | "handoff-copy"
  | "handoff-copied"
  | "pair-confirm-button"
  | "pair-reject-button"
  | "status";

/** Every CSS custom property the element reads. */
export type VideoIdCaptureCssProperty =
  | "--videoid-accent"
  | "--videoid-fg"
  | "--videoid-bg"
  | "--videoid-radius"
  | "--videoid-font"
  | "--videoid-frame-height";

/** Assure process statuses. */
export type ProcessStatus =
  | "pending"
  | "processing"
  | "accepted"
  | "rejected"
  | "canceled"
  | "failed"
  | "inconclusive";

/**
 * Why the provider ended a process as failed (Assure's `failReason`); in
 * `mode="sdk"` the web SDK's `failed` error: `type` its `name`, `id` its
 * `reason`, `message` its message.
 */
export interface FailReason {
  id?: string;
  type: string;
  message: string;
}

/** The Assure process as your `result-endpoint` returns it. */
export interface AssureProcess {
  processId: string;
  provider: string;
  processType: string;
  status: ProcessStatus;
  failReason?: FailReason;
  providerSpecific?: Record<string, unknown>;
  finalResult?: unknown;
  createdAt: string;
  updatedAt: string;
}

/** The capture flow came back to `redirectUrl` (detail of `videoid-complete`). */
export interface CaptureReturn {
  dossierId: string;
  processId: string;
  /** The status in the return URL; usually `processing`, not yet final. */
  status: string;
}

/** The final Assure process (detail of `videoid-result` with `final: true`). */
export interface CaptureResult extends CaptureReturn {
  status: ProcessStatus;
  /** The status is final. */
  final: true;
  process: AssureProcess;
}

/**
 * `result-wait` ran out before a final status (detail of `videoid-result`
 * with `final: false`): the process is still `processing` (an agent may
 * review it for hours), polling has stopped and the state is `complete`.
 * Your backend gets the final status by webhook.
 */
export interface PendingResult extends CaptureReturn {
  status: "processing";
  final: false;
  /** The process as `result-endpoint` last returned it; null when no answer came. */
  process: AssureProcess | null;
}

/**
 * What `start()` and `capture()` resolve with: the result when the element
 * fetched it (a `result-endpoint` is set; final or not, see `final`), else
 * the return alone.
 */
export type Completion = CaptureResult | PendingResult | (CaptureReturn & { process?: undefined; final?: undefined });

/** One typed failure. */
interface FailureOf<Code extends string, Detail> {
  code: Code;
  /** A human message: no tokens, no URLs with secrets. */
  message: string;
  /** True when a retry (`start()` again) may succeed. */
  recoverable: boolean;
  detail: Detail;
}

/** Why a capture session was refused (`detail.reason` of `Session.Invalid`). */
export type SessionProblem = "malformed-answer" | "bad-url" | "origin-not-allowed" | "bad-id";

/**
 * What kept failing when a native capture gave up on the device
 * (`detail.reason` of `Device.Unsupported`): `recorder` (no `MediaRecorder`
 * type, a recorder error, an empty recording), `still` (no still could be taken).
 */
export type DevicePart = "recorder" | "still";

/**
 * Every failure, discriminated on `code` (detail of `videoid-failed`). `Backend.Error`'s
 * `retryAfter`: the seconds the backend asks to wait (its `Retry-After`, as on a 429 rate limit).
 */
export type Failure =
  | FailureOf<"Config.Invalid", { field: string }>
  | FailureOf<"Session.Invalid", { reason: SessionProblem }>
  | FailureOf<"Session.Expired", null>
  | FailureOf<"Network.Unreachable", null>
  | FailureOf<"Backend.Error", { status: number, retryAfter?: number }>
  | FailureOf<"Capture.LoadTimeout", { reason: "timeout" | "framing-denied" | "sdk-load" }>
  | FailureOf<"Capture.Failed", FailReason | null>
  | FailureOf<"Agent.Unavailable", { reason: "timeout" | "closed", opensAt?: string }>
  | FailureOf<"Agent.Disconnected", null>
  | FailureOf<"InactiveUser.Aborted", null>
  | FailureOf<"User.Cancelled", null>
  | FailureOf<"Permission.CameraDenied", null>
  | FailureOf<"Permission.MicrophoneDenied", null>
  | FailureOf<"Permission.BlockedByPolicy", null>
  | FailureOf<"Device.NotFound", null>
  | FailureOf<"Device.InUse", null>
  | FailureOf<"Device.Unsupported", { reason: DevicePart } | null>
  | FailureOf<"Browser.InsecureContext", null>
  | FailureOf<"Browser.Unsupported", { cause: string } | null>;

/** Every failure code. */
export type FailureCode = Failure["code"];

/** Detail of `videoid-ready`. */
export type VideoIdReadyDetail = Record<string, never>;

/** Detail of `videoid-state`. */
export interface VideoIdStateDetail {
  state: VideoIdCaptureState;
  previous: VideoIdCaptureState;
}

/** Detail of `videoid-complete`. */
export type VideoIdCompleteDetail = CaptureReturn;

/** Detail of `videoid-result`: the final process, or, once `result-wait` ran out, a pending one. */
export type VideoIdResultDetail = CaptureResult | PendingResult;

/** Detail of `videoid-failed`. */
export type VideoIdFailedDetail = Failure;

/** Detail of `videoid-cancel`. */
export type VideoIdCancelDetail = Record<string, never>;

/** The frame-quality checks of a captured still (native document and selfie steps). */
export interface QualityReport {
  /** What the checks ask to fix, or `good`. */
  verdict: "good" | "too-dark" | "too-bright" | "move-closer" | "glare" | "hold-still" | "blurry";
  /** Variance of the Laplacian inside the guide frame. */
  sharpness: number;
  /** Mean luma, 0–255. */
  brightness: number;
  /** Share of saturated pixels inside the guide frame, 0–1. */
  glare: number;
  /** Mean luma change from the previous frame, 0–255. */
  motion: number;
  /** Share of the frame the document's edges enclose, 0–1. */
  fill: number;
}

/** What the document reader found on a native document step, last before the capture. */
export interface DocumentRead {
  /** A machine-readable zone (MRZ) showed, readable or not. */
  read: boolean;
  /** The zone read with every ICAO 9303 check digit passing. */
  valid: boolean;
  /** The zone's date of expiry is before today. */
  expired: boolean;
  /** The zone's fields: only with the `expose-mrz` attribute, and only for a valid read. */
  mrz?: MrzFields;
}

/** The fields of a machine-readable zone (`expose-mrz`); fillers read as spaces in names. */
export interface MrzFields {
  format: "TD1" | "TD2" | "TD3";
  documentType: string;
  issuingState: string;
  documentNumber: string;
  nationality: string;
  /** `YYYY-MM-DD`. */
  birthDate: string;
  /** `YYYY-MM-DD`. */
  expiryDate: string;
  sex: "M" | "F" | "X";
  surname: string;
  givenNames: string;
  optionalData: string;
  optionalData2: string;
}

/** Detail of `videoid-step`. */
export interface VideoIdStepDetail {
  /** The step that was captured (`mode="sdk"`: the phase the SDK starts, as the `step` attribute names it). */
  step: "front" | "back" | "selfie" | "video" | (string & {});
  /** True when auto-capture took it, false for a click or a picked file (always true for the web SDK). */
  auto: boolean;
  /** The checks of the captured frame; null for the video and picked files. */
  quality: QualityReport | null;
  /** What the document reader found; null for other steps, picked files, or before its chunk loaded. */
  document: DocumentRead | null;
}

/**
 * Detail of `videoid-handoff`: the phone's progress (`uploading` shows on screen as `capturing`).
 * `pairing`: a phone opened the link and shows `code`; the user confirms it is theirs
 * (`paired`) or not (the link is revoked: `cancelled`). `opened`: a backend without pairing.
 */
export type VideoIdHandoffDetail =
  | { status: "pairing"; code: string }
  | { status: "waiting" | "opened" | "paired" | "capturing" | "complete" | "expired" | "cancelled" };

/**
 * Detail of `videoid-agent` (attended `sdk` sessions): the wait for an agent and the call.
 * `position` (1-based) comes with `queued` when the SDK gives one.
 */
export type VideoIdAgentDetail =
  | { status: "queued"; position?: number }
  | { status: "connected" | "disconnected" };

/** Every event the element dispatches (bubbling, composed). */
export interface VideoIdCaptureEventMap {
  "videoid-ready": CustomEvent<VideoIdReadyDetail>;
  "videoid-state": CustomEvent<VideoIdStateDetail>;
  "videoid-complete": CustomEvent<VideoIdCompleteDetail>;
  "videoid-result": CustomEvent<VideoIdResultDetail>;
  "videoid-failed": CustomEvent<VideoIdFailedDetail>;
  "videoid-cancel": CustomEvent<VideoIdCancelDetail>;
  "videoid-step": CustomEvent<VideoIdStepDetail>;
  "videoid-handoff": CustomEvent<VideoIdHandoffDetail>;
  "videoid-agent": CustomEvent<VideoIdAgentDetail>;
}

/** A failure as an Error: what `start()` and `capture()` reject with. */
export declare class VideoIdCaptureError<F extends Failure = Failure> extends Error {
  constructor(failure: {
    code: F["code"];
    message?: string;
    recoverable?: boolean;
    detail?: F["detail"];
  });
  readonly name: "VideoIdCaptureError";
  readonly code: F["code"];
  readonly recoverable: boolean;
  readonly detail: F["detail"];
}

/** The `<videoid-capture>` element. */
export declare class VideoIdCaptureElement extends HTMLElement {
  static readonly observedAttributes: ReadonlyArray<Exclude<VideoIdCaptureAttribute, "state" | "step">>;

  /** `session-endpoint`: URL the element POSTs to for a capture session. */
  sessionEndpoint: string | null;
  /** `result-endpoint`: URL the element GETs with `?dossierId=&processId=`. */
  resultEndpoint: string | null;
  /** `capture-url`: a capture URL to use instead of asking `session-endpoint`. */
  captureUrl: string | null;
  /** `mode`: `embed` | `auto` | `native` | `sdk` (default `auto`). */
  mode: CaptureMode | null;
  /** `lang`: a `VideoIdLang` or any BCP 47 tag (HTMLElement's own property; the element observes its attribute). */
  lang: string;
  /** `allowed-origins`: space-separated origins; an array is joined with spaces. */
  get allowedOrigins(): string | null;
  set allowedOrigins(value: string | readonly string[] | null);
  /** `inactivity-timeout`: seconds (default 180). */
  get inactivityTimeout(): string | null;
  set inactivityTimeout(value: string | number | null);
  /** `load-timeout`: seconds (default 30). */
  get loadTimeout(): string | null;
  set loadTimeout(value: string | number | null);
  /** `result-wait`: seconds `result-endpoint` is polled for a final status (default 120). */
  get resultWait(): string | null;
  set resultWait(value: string | number | null);
  /** `agent-timeout`: seconds to wait for an agent in an attended session (default 300). */
  get agentTimeout(): string | null;
  set agentTimeout(value: string | number | null);
  /** `fallback`: `popup` | `redirect` | `none` for `auto` (default `popup`); `embed` | `none` for `native` (default `none`); `none` for `sdk`. */
  fallback: CaptureFallback | null;
  /** `parent-origin`: events are also posted to `window.parent` with exactly this origin. */
  parentOrigin: string | null;
  /** `quality-thresholds`: native frame-quality thresholds, `name=value …`. */
  qualityThresholds: string | null;
  /** `handoff`: `auto` | `always` | `off` (default `off`). */
  handoff: CaptureHandoff | null;
  /** `handoff-endpoint`: the handoff endpoint (default: `session-endpoint` with its last path segment `handoff`). */
  handoffEndpoint: string | null;
  /** `credentials`: `same-origin` | `include` (default `same-origin`). */
  credentials: CaptureCredentials | null;
  /** `expose-mrz`: any value but `"false"` to receive the zone's fields in `videoid-step`; absent or `"false"`: not. */
  exposeMrz: string | null;
  /** `state` (read-only, reflected). */
  readonly state: VideoIdCaptureState;
  /**
   * `step` (read-only, reflected): the native capture step, or the web SDK's
   * phase (`front`, `back`, `selfie`; a phase VideoID may add is its name
   * lower-cased; attended: `queue`, then `interview`), `handoff` while the
   * capture runs on a phone, `null` outside them.
   */
  readonly step: CaptureStep | "queue" | "interview" | "handoff" | null;
  /** The host's wording for single strings, by text key; setting it redraws the screen at once. */
  texts: VideoIdTexts | null;

  /** Starts the capture, or retries it after a terminal state. */
  start(): Promise<Completion>;
  /** Cancels the running capture; a pending `start()` rejects with `User.Cancelled`. */
  cancel(): void;
}

/**
 * The element's attributes as a framework template writes them (what the
 * React, Vue and Svelte typings build on). Numbers become strings.
 */
export interface VideoIdCaptureAttributes {
  /** URL of your session endpoint */
  "session-endpoint"?: string;
  /** URL of your result endpoint */
  "result-endpoint"?: string;
  /** a capture URL to use instead of asking `session-endpoint` */
  "capture-url"?: string;
  /** `embed` (the hosted page in a frame) | `auto` (the frame, with a fallback) | `native` (the component's own camera capture of the document and a selfie, uploaded through Set images to the `signicatpaper` provider: a document-and-selfie check, not VideoID, with no video and no liveness check) | `sdk` (VideoID's own web SDK, loaded from the session's `sdkUrl` and run in a light-DOM container the element slots into itself, `<div slot="videoid-sdk">`) (default: `auto`) */
  mode?: CaptureMode;
  /** `en` | `nb` | `sv` | `da` | `fi` | `de` | `nl` | `fr` | `es` | `it` | `pt` | `pl` | `ar` (right to left), or any tag whose language is one of them (`pt-BR` → `pt`, `no` → `nb`) (default: `<html lang>`, else `navigator.languages`, else `en`) */
  lang?: VideoIdLang | (string & {});
  /** space-separated origins the capture URL may have; `https://*.example.com` allowed (default: `https://*.signicat.com` and the page's own origin) */
  "allowed-origins"?: string;
  /** seconds without interaction before `InactiveUser.Aborted` (default: `180`) */
  "inactivity-timeout"?: number | string;
  /** seconds for the capture page (`sdk`: the SDK's script) to load before `Capture.LoadTimeout` (default: `30`) */
  "load-timeout"?: number | string;
  /** seconds (1–86400) the element polls `result-endpoint` for a final status, from the capture's completion; then it stops polling, fires `videoid-result` with `status: "processing"` and `final: false`, and goes to `complete` (a process an agent reviews may stay `processing` for hours: your backend gets its final status by webhook) (default: `120`) */
  "result-wait"?: number | string;
  /** `sdk` with an attended session (a live interview): seconds (1–86400) to wait for an agent to pick up, from the SDK's start, and again from a new place in the queue after a dropped call; then the element stops the SDK (which leaves the queue) and fails with `Agent.Unavailable` `timeout` (default: `300`) */
  "agent-timeout"?: number | string;
  /** `auto`: `popup` | `redirect` | `none`, where it goes when framing is refused. `native`: `embed` (the hosted page, when the device cannot capture; needs a `url` in the session answer) | `none` (the typed failure: the default, since the hosted page changes the look the site chose native for). `sdk`: `none` only (default: `popup` (`auto`), `none` (`native`, `sdk`)) */
  fallback?: CaptureFallback;
  /** an origin: every event is also posted to `window.parent` with exactly this target origin, as `{ source: "videoid-capture", v: 1, type: "event", name, detail }` */
  "parent-origin"?: string;
  /** native: `name=value` pairs over the frame-quality defaults: `sharpness=120` (variance of the Laplacian), `dark=55` and `bright=215` (mean luma), `glare=0.015` (share of saturated pixels), `motion=6` (luma change between frames), `fill=0.30` (share of the frame the document covers), `frames=5` (good frames in a row before auto-capture) (default: the defaults) */
  "quality-thresholds"?: string;
  /** `auto` (a secondary "Continue on my phone" button on the start screen, and the first action after `Device.NotFound` or, in `native`/`sdk`, any camera failure) | `always` (`start()` goes straight to the handoff screen: a QR code and link the user opens on a phone, where the capture runs; the result comes back here as `videoid-complete` and `videoid-result`) | `off`. Both need your backend to serve `handoff-endpoint` (the reference backend does), so a page opts in (default: `off`) */
  handoff?: CaptureHandoff;
  /** URL the element POSTs to for a handoff link, `{id}/events` of which it polls and `{id}` of which it DELETEs to revoke (default: `session-endpoint` with its last path segment `handoff`, query kept) */
  "handoff-endpoint"?: string;
  /** `same-origin` (a backend on the page's origin) | `include` (a backend on another origin: the element's calls carry its cookies there, and the backend must answer CORS for the page's origin with `Access-Control-Allow-Credentials: true`; the reference backend does for the origins in `VIDEOID_CORS_ORIGINS`) (default: `same-origin`) */
  credentials?: CaptureCredentials;
  /** native: a boolean attribute; when present (any value but `false`), `videoid-step` carries the fields of the document's machine-readable zone in `detail.document.mrz` (names, number, dates). Without it the element tells only `read`, `valid` and `expired`; it never sends the fields anywhere itself (default: absent (off)) */
  "expose-mrz"?: string;
}

/** Options of `capture()`: the attributes in camelCase, plus where to mount. */
export interface CaptureOptions {
  sessionEndpoint?: string;
  resultEndpoint?: string;
  captureUrl?: string;
  mode?: CaptureMode;
  lang?: string;
  allowedOrigins?: string | readonly string[];
  inactivityTimeout?: number | string;
  loadTimeout?: number | string;
  resultWait?: number | string;
  agentTimeout?: number | string;
  fallback?: CaptureFallback;
  parentOrigin?: string;
  qualityThresholds?: string;
  handoff?: CaptureHandoff;
  handoffEndpoint?: string;
  credentials?: CaptureCredentials;
  exposeMrz?: string;
  /** The element's `texts`. */
  texts?: VideoIdTexts;
  /** Where the element is appended (default `document.body`). */
  container?: ParentNode;
  /** Keep the element in the page once settled (default false: removed). */
  keep?: boolean;
}

/**
 * Mounts a `<videoid-capture>` into `options.container`, starts it, and
 * removes it when settled unless `options.keep`.
 */
export declare function capture(options?: CaptureOptions): Promise<Completion>;

/**
 * Registers the element under `tagName` (default `videoid-capture`) unless the
 * name is taken; returns the class registered under that name. Importing the
 * package in a browser already registers `videoid-capture`.
 */
export declare function defineVideoIdCapture(tagName?: string): CustomElementConstructor;

declare global {
  interface HTMLElementTagNameMap {
    "videoid-capture": VideoIdCaptureElement;
  }
  interface HTMLElementEventMap extends VideoIdCaptureEventMap {}
}
