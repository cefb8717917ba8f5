/**
 * `<videoid-capture>` in Svelte templates. Import this entry once instead of
 * the main one (`import "videoid-capture/svelte";`): it registers the element
 * as the main entry does and declares it in `svelte/elements`, so
 * `svelte-check` checks its attributes and event handlers (`onvideoid-result`
 * in Svelte 5, `on:videoid-result` in Svelte 4). Svelte sets `texts` as a
 * property (the element has one).
 */
import type { HTMLAttributes } from "svelte/elements";
import type {
  VideoIdCaptureAttributes,
  VideoIdCaptureElement,
  VideoIdCaptureEventMap,
  VideoIdTexts,
} from "./videoid-capture.js";

export * from "./videoid-capture.js";

/** `onvideoid-result` (Svelte 5) and `on:videoid-result` (Svelte 4), for every event. */
export type VideoIdCaptureSvelteHandlers = {
  [K in keyof VideoIdCaptureEventMap as `on${K}` | `on:${K}`]?: (event: VideoIdCaptureEventMap[K]) => void;
};

/** The attributes of `<videoid-capture>` in Svelte. */
export type VideoIdCaptureSvelteAttributes = Omit<HTMLAttributes<VideoIdCaptureElement>, "lang"> &
  VideoIdCaptureAttributes &
  VideoIdCaptureSvelteHandlers & {
    texts?: VideoIdTexts | null;
  };

declare module "svelte/elements" {
  interface SvelteHTMLElements {
    "videoid-capture": VideoIdCaptureSvelteAttributes;
  }
}
