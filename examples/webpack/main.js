// <videoid-capture> from the installed package: the import defines the element,
// and the bundler ships the wasm, the wasm chunks and the language files the
// package points at with `new URL("./…", import.meta.url)`.
import "videoid-capture";

// Against the repository's demo backend and Assure simulator: `?scenario=` and
// `?auto=` go to the session endpoint, `?mode=` and `?lang=` to the element, and
// `?capture-origin=` allows the simulator's capture page (Signicat's own hosts
// are allowed by default).
const query = new URLSearchParams(location.search);
const knobs = new URLSearchParams([...query].filter(([k]) => k === "scenario" || k === "auto"));

const capture = document.createElement("videoid-capture");
capture.setAttribute("session-endpoint", `/api/videoid/session${knobs.size ? `?${knobs}` : ""}`);
capture.setAttribute("result-endpoint", "/api/videoid/result");
capture.setAttribute("mode", query.get("mode") === "native" ? "native" : "embed");
if (query.get("lang")) capture.setAttribute("lang", query.get("lang"));
if (query.get("capture-origin")) capture.setAttribute("allowed-origins", query.get("capture-origin"));

const show = (id, text) => {
  const node = document.getElementById(id);
  node.textContent = text;
  node.hidden = false;
};
capture.addEventListener("videoid-state", (e) => show("state", e.detail.state));
capture.addEventListener("videoid-result", (e) => {
  show("status", e.detail.status);
  document.getElementById("result").hidden = false;
});
capture.addEventListener("videoid-failed", (e) => show("failure", `${e.detail.code}: ${e.detail.message}`));
// The promise settles with the result; the events above say the same.
document.getElementById("start").addEventListener("click", () => capture.start().catch(() => {}));

document.getElementById("verify").append(capture);
