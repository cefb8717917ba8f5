// The phone's handoff page: runs the capture the computer handed over, tells the user to go
// back when it is done, and stops it when the computer cancels or the session runs out.

const EVENTS = [
  "videoid-ready",
  "videoid-state",
  "videoid-complete",
  "videoid-result",
  "videoid-failed",
  "videoid-cancel",
  "videoid-step",
];
const POLL_MS = 2000;
const ENDED = ["cancelled", "expired"];

window.videoidEvents = window.videoidEvents || [];

const capture = document.getElementById("capture");
const pairing = document.getElementById("handoff-pairing");
const section = document.getElementById("handoff-capture");
const intro = document.getElementById("handoff-intro");
const done = document.getElementById("handoff-done");
const ended = document.getElementById("handoff-ended");
const packageStatus = document.getElementById("package-status");
let polling = null;

// This page is the answer to the POST that used the link: a reload asks for the page
// again (the used-link page) instead of posting the token a second time.
history.replaceState(null, "", location.pathname);

for (const type of EVENTS) {
  capture.addEventListener(type, (event) => {
    window.videoidEvents.push({ type, detail: event.detail === undefined ? null : event.detail });
    if (type === "videoid-complete") {
      done.hidden = false;
      intro.hidden = true;
    }
  });
}

// Removing the element stops its camera.
function end() {
  clearInterval(polling);
  section.remove();
  pairing.hidden = true;
  intro.hidden = true;
  done.hidden = true;
  ended.hidden = false;
}

// The capture starts once the computer confirmed this phone's code, never before.
let paired = null;
const isPaired = new Promise((resolve) => { paired = resolve; });
function showCapture() {
  if (!pairing.hidden) {
    pairing.hidden = true;
    section.hidden = false;
    intro.hidden = false;
  }
  paired();
}

async function poll() {
  try {
    const response = await fetch("/api/videoid/handoff/phone", {
      headers: { Accept: "application/json" },
      cache: "no-store",
    });
    if (response.status === 404) return end();
    if (!response.ok) return;
    const body = await response.json();
    if (ENDED.includes(body.status)) end();
    else if (body.status === "pairing") return;
    else if (body.status === "complete") clearInterval(polling);
    else showCapture();
  } catch (error) {
    // Offline for a moment: the next poll tells.
  }
}

async function main() {
  polling = setInterval(poll, POLL_MS);
  poll();
  try {
    await import("/pkg/videoid-capture.js");
  } catch (error) {
    packageStatus.hidden = false;
    packageStatus.textContent = "The capture component could not be loaded.";
    return;
  }
  await customElements.whenDefined("videoid-capture");
  await isPaired;
  if (!capture.isConnected) return;
  // Failures are reported through the videoid-failed event as well.
  capture.start().catch(() => {});
}

main();
