/**
 * `<videoid-capture>` in Vue 3 templates. Import this entry once instead of
 * the main one (`import "videoid-capture/vue";`): it registers the element as
 * the main entry does and declares it in Vue's `GlobalComponents`, so
 * `vue-tsc` checks its attributes and `@videoid-*` handlers. Tell Vue's
 * compiler it is a custom element: `isCustomElement: (tag) => tag ===
 * "videoid-capture"`. Vue sets `:texts` as a property (the element has one).
 */
import type { DefineComponent } from "vue";
import type {
  CaptureCredentials,
  CaptureFallback,
  CaptureHandoff,
  CaptureMode,
  VideoIdCaptureElement,
  VideoIdCaptureEventMap,
  VideoIdLang,
  VideoIdTexts,
} from "./videoid-capture.js";

export * from "./videoid-capture.js";

/** The props of `<videoid-capture>` in a Vue template (kebab-case there, camelCase here). */
export interface VideoIdCaptureVueProps {
  sessionEndpoint?: string;
  resultEndpoint?: string;
  captureUrl?: string;
  mode?: CaptureMode;
  lang?: VideoIdLang | (string & {});
  allowedOrigins?: string;
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
  texts?: VideoIdTexts | null;
  onVideoidReady?: (event: VideoIdCaptureEventMap["videoid-ready"]) => void;
  onVideoidState?: (event: VideoIdCaptureEventMap["videoid-state"]) => void;
  onVideoidComplete?: (event: VideoIdCaptureEventMap["videoid-complete"]) => void;
  onVideoidResult?: (event: VideoIdCaptureEventMap["videoid-result"]) => void;
  onVideoidFailed?: (event: VideoIdCaptureEventMap["videoid-failed"]) => void;
  onVideoidCancel?: (event: VideoIdCaptureEventMap["videoid-cancel"]) => void;
  onVideoidStep?: (event: VideoIdCaptureEventMap["videoid-step"]) => void;
  onVideoidHandoff?: (event: VideoIdCaptureEventMap["videoid-handoff"]) => void;
  onVideoidAgent?: (event: VideoIdCaptureEventMap["videoid-agent"]) => void;
}

/** The element as Vue's type checker sees it (a template ref holds the `VideoIdCaptureElement`). */
export type VideoIdCaptureVueComponent = DefineComponent<VideoIdCaptureVueProps> & {
  new (): { $el: VideoIdCaptureElement };
};

declare module "vue" {
  interface GlobalComponents {
    "videoid-capture": VideoIdCaptureVueComponent;
  }
}
