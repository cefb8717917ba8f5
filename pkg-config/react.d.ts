/**
 * `<videoid-capture>` in React 19 JSX. Import this entry once instead of the
 * main one (`import "videoid-capture/react";`): it registers the element as
 * the main entry does and declares it in React's `JSX.IntrinsicElements`.
 * React 19 sets a prop as a property when the element has one (`texts`), as
 * an attribute otherwise (`session-endpoint`), and listens to
 * `onvideoid-result={…}` as the `videoid-result` event.
 */
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type {
  VideoIdCaptureAttributes,
  VideoIdCaptureElement,
  VideoIdCaptureEventMap,
  VideoIdTexts,
} from "./videoid-capture.js";

export * from "./videoid-capture.js";

/** `onvideoid-ready` … `onvideoid-agent`: one handler per event, typed by its detail. */
export type VideoIdCaptureReactHandlers = {
  [K in keyof VideoIdCaptureEventMap as `on${K}`]?: (event: VideoIdCaptureEventMap[K]) => void;
};

/** The props of `<videoid-capture>` in React. */
export type VideoIdCaptureReactProps = Omit<
  DetailedHTMLProps<HTMLAttributes<VideoIdCaptureElement>, VideoIdCaptureElement>,
  "lang"
> &
  VideoIdCaptureAttributes &
  VideoIdCaptureReactHandlers & {
    /** The host's wording for single strings (set as a property). */
    texts?: VideoIdTexts | null;
  };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "videoid-capture": VideoIdCaptureReactProps;
    }
  }
}
