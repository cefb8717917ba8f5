// The page's own script: who the user is (a stand-in for your login), which
// capture mode to use, and what to show when the verification ends.
const params = new URLSearchParams(location.search);
const el = document.querySelector("#verify");
const user = params.get("user") || "guest";
el.setAttribute("session-endpoint", `/api/session?user=${encodeURIComponent(user)}`);
el.setAttribute("mode", params.get("mode") === "embed" ? "embed" : "native");
if (params.has("inactivity")) el.setAttribute("inactivity-timeout", params.get("inactivity"));

const outcome = document.querySelector("#outcome");
el.addEventListener("videoid-result", (e) => {
  outcome.textContent = `Verification finished: ${e.detail.status}`;
});
el.addEventListener("videoid-failed", (e) => {
  outcome.textContent = `Could not verify you: ${e.detail.code}`;
});
