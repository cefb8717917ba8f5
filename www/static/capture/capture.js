// The simulated hosted capture page. No inline script: it runs under a strict CSP.
"use strict";

(function () {
  const message = document.getElementById("capture-message");
  const outcomes = document.getElementById("capture-outcomes");
  const ACTIVITY_INTERVAL_MS = 1000;
  const AUTO_DELAY_MS = 300;
  let session = null;
  let artifact = null;
  let finishing = false;
  let lastActivity = 0;

  function say(text) {
    message.textContent = text;
  }

  function artifactFromHash() {
    const match = /^#\/artifact=([A-Za-z0-9._-]{1,128})$/.exec(location.hash);
    return match ? match[1] : null;
  }

  // The embedding page's origin, only when the browser tells it (never a wildcard).
  function parentOrigin() {
    if (window.parent === window) return null;
    const ancestors = location.ancestorOrigins;
    if (!ancestors || ancestors.length === 0) return null;
    const origin = ancestors[0];
    return origin && origin !== "null" ? origin : null;
  }

  function reportActivity() {
    if (!session || session.scenario === "no-interaction") return;
    const now = Date.now();
    if (now - lastActivity < ACTIVITY_INTERVAL_MS) return;
    const target = parentOrigin();
    if (!target) return;
    lastActivity = now;
    window.parent.postMessage({ source: "videoid-capture", v: 1, type: "activity" }, target);
  }

  async function finish(outcome) {
    if (finishing || !session) return;
    finishing = true;
    for (const button of outcomes.querySelectorAll("button")) button.disabled = true;
    say("Finishing…");
    try {
      const response = await fetch(
        "/capture/api/artifact/" + encodeURIComponent(artifact) + "/finish",
        {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ outcome: outcome }),
        },
      );
      if (!response.ok) throw new Error("finish failed: " + response.status);
      const target = new URL(session.redirectUrl);
      target.searchParams.set("dossierId", session.dossierId);
      target.searchParams.set("processId", session.processId);
      target.searchParams.set("status", "processing");
      location.href = target.href;
    } catch (error) {
      finishing = false;
      for (const button of outcomes.querySelectorAll("button")) button.disabled = false;
      say("Something went wrong while finishing. Please try again.");
    }
  }

  async function load() {
    artifact = artifactFromHash();
    if (!artifact) {
      say("This capture link is not valid.");
      return;
    }
    let response;
    try {
      response = await fetch("/capture/api/artifact/" + encodeURIComponent(artifact));
    } catch (error) {
      say("The capture service cannot be reached.");
      return;
    }
    if (!response.ok) {
      say("This capture session is unknown or has expired.");
      return;
    }
    session = await response.json();
    if (session.finished) {
      say("This capture session has already finished.");
      return;
    }
    outcomes.hidden = false;
    document.body.dataset.scenario = session.scenario || "";
    if (session.auto && session.scenario !== "no-interaction") {
      say("Simulating the " + (session.scenario || "accepted") + " scenario…");
      setTimeout(function () {
        finish(session.scenario || "accepted");
      }, AUTO_DELAY_MS);
    } else if (session.scenario === "no-interaction") {
      say("Waiting for you to start the video…");
    } else {
      say("In the real service you would now show your ID document and your face.");
    }
  }

  outcomes.addEventListener("click", function (event) {
    const button = event.target.closest("button[data-outcome]");
    if (button) finish(button.dataset.outcome);
  });
  document.addEventListener("pointerdown", reportActivity, true);
  document.addEventListener("keydown", reportActivity, true);
  load();
})();
