// The simulated hosted capture page. No inline script: it runs under a strict CSP.
// With `sdk: "native"` it runs VideoID's web SDK (the simulator's, from providerApiUrl)
// with the process's authorization; with `sdk: "capture"` (or none) it runs
// <videoid-capture mode="native"> against this artifact's own upload API. Either way
// the embedded flow is a real camera capture; the test controls below it finish the
// session without media, and `auto` finishes by itself without touching the camera.
"use strict";

(function () {
  const message = document.getElementById("capture-message");
  const outcomes = document.getElementById("capture-outcomes");
  const component = document.getElementById("capture-component");
  const ACTIVITY_INTERVAL_MS = 1000;
  const AUTO_DELAY_MS = 300;
  // VideoID gives up after about three minutes without interaction.
  const INACTIVITY_TIMEOUT_S = 180;
  const PACKAGE = "/pkg/videoid-capture.js";
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

  function artifactApi() {
    return "/capture/api/artifact/" + encodeURIComponent(artifact);
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

  function setButtonsDisabled(disabled) {
    for (const button of outcomes.querySelectorAll("button")) button.disabled = disabled;
  }

  // Back to the site, as the hosted page does at the end of the flow.
  function redirectBack() {
    const target = new URL(session.redirectUrl);
    target.searchParams.set("dossierId", session.dossierId);
    target.searchParams.set("processId", session.processId);
    target.searchParams.set("status", "processing");
    location.href = target.href;
  }

  async function finish(outcome) {
    if (finishing || !session) return;
    finishing = true;
    setButtonsDisabled(true);
    say("Finishing…");
    try {
      const response = await fetch(artifactApi() + "/finish", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ outcome: outcome }),
      });
      if (!response.ok) throw new Error("finish failed: " + response.status);
      redirectBack();
    } catch (error) {
      finishing = false;
      setButtonsDisabled(false);
      say("Something went wrong while finishing. Please try again.");
    }
  }

  // The languages the component speaks; a region falls back to its language (pt-BR → pt).
  const LANGUAGES = ["en", "nb", "sv", "da", "fi", "de", "nl", "fr", "es", "it", "pt", "pl", "ar"];
  function uiLanguage() {
    const primary = String(session.uiLanguage || "").toLowerCase().split(/[-_]/)[0];
    if (primary === "no" || primary === "nn") return "nb";
    return LANGUAGES.includes(primary) ? primary : "en";
  }

  // The component in native mode, on this artifact's session endpoint.
  async function mountComponent() {
    try {
      await import(PACKAGE);
      await customElements.whenDefined("videoid-capture");
    } catch (error) {
      say("The camera capture could not be loaded. Use the test controls below.");
      return;
    }
    if (finishing) return;
    const el = document.createElement("videoid-capture");
    el.id = "native-capture";
    el.setAttribute("mode", "native");
    el.setAttribute("lang", uiLanguage());
    el.setAttribute("session-endpoint", artifactApi() + "/native-session");
    el.setAttribute("inactivity-timeout", String(INACTIVITY_TIMEOUT_S));
    el.addEventListener("videoid-complete", function () {
      if (finishing) return;
      finishing = true;
      setButtonsDisabled(true);
      say("Thank you. Finishing…");
      redirectBack();
    });
    el.addEventListener("videoid-failed", function (event) {
      // Inactivity ends the process as VideoID does; other failures offer a retry in the component.
      if (event.detail && event.detail.code === "InactiveUser.Aborted") finish("failed-inactive");
    });
    component.append(el);
    component.hidden = false;
    // Failures arrive as events and on the component's own screen; the promise adds nothing.
    el.start().catch(function () {});
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      const script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("could not load " + src));
      };
      document.head.append(script);
    });
  }

  // VideoID's web SDK (sdk: "native"), as the real hosted page runs it.
  async function runVideoIdSdk() {
    try {
      await loadScript(session.providerApiUrl + "/js/videoid.js");
    } catch (error) {
      say("The video identification could not be loaded. Use the test controls below.");
      return;
    }
    if (finishing) return;
    const box = document.createElement("div");
    box.id = "videoid-sdk";
    component.append(box);
    component.hidden = false;
    const video = window.EID.videoId(box, { lang: uiLanguage() });
    video.on("phaseStarting", function (phase) {
      reportActivity();
      document.body.dataset.phase = phase.name;
      phase.continue();
    });
    video.on("completed", function () {
      video.turnOff();
      video.destroy();
      if (finishing) return;
      finishing = true;
      setButtonsDisabled(true);
      say("Thank you. Finishing…");
      redirectBack();
    });
    video.on("failed", function (error) {
      video.turnOff();
      const reason = error && typeof error.reason === "string" ? " (" + error.reason + ")" : "";
      say("The video identification failed" + reason + ". Use the test controls below.");
    });
    video.turnOn();
    video.start({ authorization: session.authorization, idType: session.idType });
  }

  async function load() {
    artifact = artifactFromHash();
    if (!artifact) {
      say("This capture link is not valid.");
      return;
    }
    let response;
    try {
      response = await fetch(artifactApi());
    } catch (error) {
      say("The capture service cannot be reached.");
      return;
    }
    if (!response.ok) {
      say("This capture session is unknown or has expired.");
      return;
    }
    session = await response.json();
    document.body.dataset.sdk = session.sdk || "capture";
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
    } else {
      say(
        session.scenario === "no-interaction"
          ? "Waiting for you to start the video…"
          : "Show your ID document and your face to the camera.",
      );
      if (session.sdk === "native") runVideoIdSdk();
      else mountComponent();
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
