/**
 * Types for `videoid-capture/testing`: helpers for Playwright tests of a site
 * that uses `<videoid-capture>`. They take Playwright's objects as arguments
 * and import nothing from Playwright; the interfaces below are the parts of
 * `Page`, `Frame`, `BrowserContext` and `Locator` they use.
 */

import type {
  CaptureStep,
  VideoIdCaptureEventMap,
  VideoIdCaptureState,
} from "./videoid-capture.js";

/** The part of a Playwright `Frame` the helpers use. */
export interface FrameLike {
  evaluate(pageFunction: (...args: any[]) => any, arg?: any): Promise<any>;
  locator(selector: string): LocatorLike;
  parentFrame(): FrameLike | null;
}

/** The part of a Playwright `Page` the helpers use. */
export interface PageLike {
  evaluate(pageFunction: (...args: any[]) => any, arg?: any): Promise<any>;
  addInitScript(script: (...args: any[]) => any, arg?: any): Promise<unknown>;
  locator(selector: string): LocatorLike;
  mainFrame(): FrameLike;
  frames(): FrameLike[];
}

/** The part of a Playwright `BrowserContext` the helpers use. */
export interface BrowserContextLike {
  addInitScript(script: (...args: any[]) => any, arg?: any): Promise<unknown>;
  newPage(): Promise<any>;
}

/** The part of a Playwright `Locator` the helpers use. */
export interface LocatorLike {
  evaluate(pageFunction: (element: any, arg?: any) => any, arg?: any, options?: { timeout?: number }): Promise<any>;
  getAttribute(name: string, options?: { timeout?: number }): Promise<string | null>;
  click(options?: { timeout?: number }): Promise<void>;
  first(): LocatorLike;
  page(): unknown;
}

/** The name of an event the element dispatches. */
export type VideoIdCaptureEventName = keyof VideoIdCaptureEventMap;

/** The `detail` of the event `K`. */
export type EventDetail<K extends VideoIdCaptureEventName> = VideoIdCaptureEventMap[K]["detail"];

/** An event as the recorder keeps it. */
export interface RecordedEvent<K extends VideoIdCaptureEventName = VideoIdCaptureEventName> {
  name: K;
  /** The detail, copied when the event was dispatched. */
  detail: EventDetail<K>;
  /** The `id` of the element that dispatched it, or null. */
  target: string | null;
  /** `performance.now()` in the page when it was dispatched. */
  time: number;
}

/** A subset of a detail to compare with, member by member (arrays whole). */
export type DetailPattern<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [P in keyof T]?: DetailPattern<T[P]> }
    : T;

/** Options of `nextEvent`. */
export interface NextEventOptions<K extends VideoIdCaptureEventName> {
  /** A subset the detail must contain, or a predicate run in Node. */
  match?: DetailPattern<EventDetail<K>> | ((detail: EventDetail<K>) => boolean | Promise<boolean>);
  /** Milliseconds before it rejects (default 30 000). */
  timeout?: number;
  /** Consider recorded events from this index on (`0`: the first); default: only later ones. */
  since?: number;
}

/** Options of `fakeMediaArgs`. */
export interface FakeMediaOptions {
  /** `allow` (default) grants the fake camera and microphone; `deny` refuses them. */
  camera?: "allow" | "deny";
  /** A `.y4m` or `.mjpeg` file the fake camera films instead of its test pattern. */
  video?: string;
}

/** Options of `writeDocumentVideo`. */
export interface DocumentVideoOptions {
  /** Even, 1–8192 (default 1280). */
  width?: number;
  /** Even, 1–8192 (default 720). */
  height?: number;
  /** `sharp` (default: auto-capture takes it), `blurred` or `dark`. */
  variant?: "sharp" | "blurred" | "dark";
  /** Frames, 1–8192 (default 10); the fake camera loops them. */
  frames?: number;
}

/** Options of `driveNative` and `driveSdk`. */
export interface DriveOptions {
  /** CSS selector of the element (default `videoid-capture`). */
  element?: string;
  /** Milliseconds for the whole capture (default 120 000). */
  timeout?: number;
}

/** How a driven capture ended. */
export interface DriveOutcome {
  /** The terminal state the element reached (the last state seen, when `navigated`). */
  state: VideoIdCaptureState;
  /** The steps taken, in order. */
  steps: CaptureStep[];
  /** True when the element's document went away before a terminal state (`driveNative` in the hosted page's frame, which redirects back and is removed). */
  navigated?: true;
}

/** Every event the element dispatches. */
export declare const EVENT_NAMES: readonly VideoIdCaptureEventName[];

/** Every value of the element's `state` attribute. */
export declare const STATES: readonly VideoIdCaptureState[];

/** Chromium's launch arguments for a fake camera and microphone without a prompt. */
export declare function fakeMediaArgs(options?: FakeMediaOptions): string[];

/** Writes a Y4M video of an ID card on a desk (for `fakeMediaArgs({ video })`); resolves with `path`. */
export declare function writeDocumentVideo(path: string, options?: DocumentVideoOptions): Promise<string>;

/**
 * Adds the event recorder and the media-track counter to every document the
 * page (or every page of the context) loads from now on; call it before `page.goto()`.
 */
export declare function instrument(pageOrContext: PageLike | BrowserContextLike): Promise<void>;

/** Every `videoid-*` event recorded in the current document, oldest first. */
export declare function eventsOf(pageOrFrame: PageLike | FrameLike): Promise<RecordedEvent[]>;

/** The detail of the next event `name` whose detail matches `options.match`. */
export declare function nextEvent<K extends VideoIdCaptureEventName>(
  pageOrFrame: PageLike | FrameLike,
  name: K,
  options?: NextEventOptions<K>,
): Promise<EventDetail<K>>;

/**
 * Resolves with the element's state once it is `state` (or one of them);
 * rejects when it ends in another terminal state, or after the timeout.
 */
export declare function waitForState<S extends VideoIdCaptureState>(
  locator: LocatorLike,
  state: S | readonly S[],
  options?: { timeout?: number },
): Promise<S>;

/** Clicks through a native capture as a user would, until a terminal state. */
export declare function driveNative(pageOrFrame: PageLike | FrameLike, options?: DriveOptions): Promise<DriveOutcome>;

/** Starts a `mode="sdk"` capture and waits for a terminal state. */
export declare function driveSdk(pageOrFrame: PageLike | FrameLike, options?: DriveOptions): Promise<DriveOutcome>;

/** How many media tracks from `getUserMedia` are still live (0: the camera light is off). */
export declare function liveTracks(pageOrFrame: PageLike | FrameLike): Promise<number>;
