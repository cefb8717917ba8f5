import { useRef, useState } from "react";
import "videoid-capture/react";
import type { Failure, VideoIdResultDetail, VideoIdCaptureElement, VideoIdCaptureState } from "videoid-capture/react";

// Against the repository's demo backend and Assure simulator: `?scenario=accepted&auto=1`
// go to the session endpoint, and `?capture-origin=` allows the simulator's capture
// page (Signicat's own hosts are allowed by default).
const query = new URLSearchParams(window.location.search);
const knobs = new URLSearchParams([...query].filter(([k]) => k === "scenario" || k === "auto"));
const session = `/api/videoid/session${knobs.size ? `?${knobs}` : ""}`;
const captureOrigin = query.get("capture-origin") ?? undefined;
// `?mode=native` runs the component's own camera capture; the hosted page otherwise.
const mode = query.get("mode") === "native" ? "native" : "embed";

export function App() {
  const capture = useRef<VideoIdCaptureElement>(null);
  const [state, setState] = useState<VideoIdCaptureState>("idle");
  const [result, setResult] = useState<VideoIdResultDetail | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);

  const start = () => {
    setResult(null);
    setFailure(null);
    // The promise settles with the result; the events below say the same.
    capture.current?.start().catch(() => {});
  };

  return (
    <main>
      <h1>Verify your identity</h1>
      <videoid-capture
        ref={capture}
        session-endpoint={session}
        allowed-origins={captureOrigin}
        result-endpoint="/api/videoid/result"
        mode={mode}
        texts={{ start: "Verify with your ID" }}
        onvideoid-state={(e) => setState(e.detail.state)}
        onvideoid-result={(e) => setResult(e.detail)}
        onvideoid-failed={(e) => setFailure(e.detail)}
      />
      <p>
        <button type="button" id="start" onClick={start} disabled={state === "loading" || state === "capturing"}>
          Start from the app
        </button>{" "}
        State: <output id="state">{state}</output>
      </p>
      {result && (
        <section id="result">
          <h2>Result</h2>
          <p>
            Status: <strong id="status">{result.status}</strong> (dossier {result.dossierId}, process {result.processId})
          </p>
        </section>
      )}
      {failure && (
        <p id="failure" role="alert">
          {failure.code}: {failure.message}
        </p>
      )}
    </main>
  );
}
