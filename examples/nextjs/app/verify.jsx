"use client";

// Importing the package on the server is safe: it defines the element only in
// the browser, where the page hydrates.
import { useEffect, useRef, useState } from "react";
import "videoid-capture/react";

export function Verify({ session, mode, lang, captureOrigin }) {
  const capture = useRef(null);
  const [hydrated, setHydrated] = useState(false);
  const [state, setState] = useState("idle");
  const [result, setResult] = useState(null);
  const [failure, setFailure] = useState(null);
  useEffect(() => setHydrated(true), []);

  const start = () => {
    // The promise settles with the result; the events say the same.
    capture.current?.start().catch(() => {});
  };

  return (
    <main data-hydrated={hydrated}>
      <h1>Verify your identity</h1>
      <videoid-capture
        ref={capture}
        session-endpoint={session}
        result-endpoint="/api/videoid/result"
        mode={mode}
        lang={lang}
        allowed-origins={captureOrigin}
        onvideoid-state={(e) => setState(e.detail.state)}
        onvideoid-result={(e) => setResult(e.detail)}
        onvideoid-failed={(e) => setFailure(e.detail)}
      />
      <p>
        <button type="button" id="start" onClick={start}>
          Start from the app
        </button>{" "}
        State: <output id="state">{state}</output>
      </p>
      {result && (
        <p id="result">
          Status: <strong id="status">{result.status}</strong>
        </p>
      )}
      {failure && (
        <p id="failure" role="alert">
          {failure.code}: {failure.message}
        </p>
      )}
    </main>
  );
}
