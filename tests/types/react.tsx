// React 19 JSX with the typed entry: what must compile, and what must not
// (each marked as an expected error, so tsc fails if it compiles).
import { useRef } from "react";
import "videoid-capture/react";
import type { VideoIdCaptureElement, VideoIdTexts } from "videoid-capture/react";

export function Good() {
  const ref = useRef<VideoIdCaptureElement>(null);
  const texts: VideoIdTexts = { start: "Verify", failBackend: "Our server is down." };
  return (
    <>
      <videoid-capture
        ref={ref}
        session-endpoint="/api/videoid/session"
        result-endpoint="/api/videoid/result"
        mode="native"
        lang="pt-BR"
        inactivity-timeout={60}
        result-wait={30}
        fallback="embed"
        texts={texts}
        className="verify"
        onvideoid-result={(e) => (e.detail.final ? e.detail.process.status : e.detail.status) satisfies string}
        onvideoid-failed={(e) => (e.detail.code === "Backend.Error" ? e.detail.detail.status : null)}
        onvideoid-step={(e) => e.detail.quality?.sharpness}
      />
      <button onClick={() => ref.current?.start().then((c) => c.dossierId)}>Start</button>
    </>
  );
}

export function Bad() {
  return (
    <>
      {/* @ts-expect-error: not a mode */}
      <videoid-capture mode="bogus" />
      {/* @ts-expect-error: not a fallback */}
      <videoid-capture fallback="window" />
      {/* @ts-expect-error: not a text key */}
      <videoid-capture texts={{ strat: "typo" }} />
      {/* @ts-expect-error: the result event has no such detail */}
      <videoid-capture onvideoid-result={(e) => e.detail.nope} />
    </>
  );
}
