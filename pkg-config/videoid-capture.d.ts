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

/** `mode` attribute: the hosted page in a frame, with a fallback, or the component's own camera capture. */
export type CaptureMode = "embed" | "auto" | "native";

/**
 * `fallback` attribute. `auto`: where to go when the capture page may not be
 * framed (`popup`, the default, or `redirect`). `native`: `embed` switches to
 * the hosted page when the device cannot capture; the default `none` reports
 * the typed failure.
 */
export type CaptureFallback = "popup" | "redirect" | "embed" | "none";

/** The native capture step, reflected in the read-only `step` attribute while capturing. */
export type CaptureStep = "front" | "back" | "selfie" | "video" | "upload";

/** Every attribute of the element; all but `state` are observed, `state` is read-only. */
export type VideoIdCaptureAttribute =
  | "session-endpoint"
  | "result-endpoint"
  | "capture-url"
  | "mode"
  | "lang"
  | "allowed-origins"
  | "inactivity-timeout"
  | "load-timeout"
  | "fallback"
  | "parent-origin"
  | "quality-thresholds"
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
  | "hint"
  | "digits"
  | "progress"
  | "file-label"
  | "file-input"
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

/** Why the provider ended a process as failed (Assure's `failReason`). */
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

/** The final Assure process (detail of `videoid-result`). */
export interface CaptureResult extends CaptureReturn {
  status: ProcessStatus;
  process: AssureProcess;
}

/**
 * What `start()` and `capture()` resolve with: the final result when the
 * element fetched it (a `result-endpoint` is set), else the return alone.
 */
export type Completion = CaptureResult | (CaptureReturn & { process?: undefined });

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

/** Every failure, discriminated on `code` (detail of `videoid-failed`). */
export type Failure =
  | FailureOf<"Config.Invalid", { field: string }>
  | FailureOf<"Session.Invalid", { reason: SessionProblem }>
  | FailureOf<"Session.Expired", null>
  | FailureOf<"Network.Unreachable", null>
  | FailureOf<"Backend.Error", { status: number }>
  | FailureOf<"Capture.LoadTimeout", { reason: "timeout" | "framing-denied" }>
  | FailureOf<"Capture.Failed", FailReason | null>
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

/** Detail of `videoid-result`. */
export type VideoIdResultDetail = CaptureResult;

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

/** Detail of `videoid-step`. */
export interface VideoIdStepDetail {
  /** The step that was captured. */
  step: "front" | "back" | "selfie" | "video";
  /** True when auto-capture took it, false for a click or a picked file. */
  auto: boolean;
  /** The checks of the captured frame; null for the video and picked files. */
  quality: QualityReport | null;
}

/** Every event the element dispatches (bubbling, composed). */
export interface VideoIdCaptureEventMap {
  "videoid-ready": CustomEvent<VideoIdReadyDetail>;
  "videoid-state": CustomEvent<VideoIdStateDetail>;
  "videoid-complete": CustomEvent<VideoIdCompleteDetail>;
  "videoid-result": CustomEvent<VideoIdResultDetail>;
  "videoid-failed": CustomEvent<VideoIdFailedDetail>;
  "videoid-cancel": CustomEvent<VideoIdCancelDetail>;
  "videoid-step": CustomEvent<VideoIdStepDetail>;
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
  static readonly observedAttributes: ReadonlyArray<Exclude<VideoIdCaptureAttribute, "state">>;

  /** `session-endpoint`: URL the element POSTs to for a capture session. */
  sessionEndpoint: string | null;
  /** `result-endpoint`: URL the element GETs with `?dossierId=&processId=`. */
  resultEndpoint: string | null;
  /** `capture-url`: a capture URL to use instead of asking `session-endpoint`. */
  captureUrl: string | null;
  /** `mode`: `embed` | `auto` | `native` (default `auto`). */
  mode: CaptureMode | null;
  /** `lang`: `en` | `nb` (HTMLElement's own property; the element observes its attribute). */
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
  /** `fallback`: `popup` | `redirect` | `none` for `auto` (default `popup`); `embed` | `none` for `native` (default `none`). */
  fallback: CaptureFallback | null;
  /** `parent-origin`: events are also posted to `window.parent` with exactly this origin. */
  parentOrigin: string | null;
  /** `quality-thresholds`: native frame-quality thresholds, `name=value …`. */
  qualityThresholds: string | null;
  /** `state` (read-only, reflected). */
  readonly state: VideoIdCaptureState;
  /** `step` (read-only, reflected): the native capture step, `null` outside it. */
  readonly step: CaptureStep | null;

  /** Starts the capture, or retries it after a terminal state. */
  start(): Promise<Completion>;
  /** Cancels the running capture; a pending `start()` rejects with `User.Cancelled`. */
  cancel(): void;
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
  fallback?: CaptureFallback;
  parentOrigin?: string;
  qualityThresholds?: string;
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
