// The demo host page: loads the package, logs every element event, shows the result.

const EVENTS = [
  "videoid-ready",
  "videoid-state",
  "videoid-complete",
  "videoid-result",
  "videoid-failed",
  "videoid-cancel",
  "videoid-step",
  "videoid-handoff",
  "videoid-agent",
];

const OCR_FIELDS = [
  ["firstName", "First name"],
  ["lastName", "Last name"],
  ["dateOfBirth", "Date of birth"],
  ["documentType", "Document type"],
  ["documentNumber", "Document number"],
  ["dateOfExpiry", "Date of expiry"],
  ["nationality", "Nationality"],
  ["issuingCountry", "Issuing country"],
  ["gender", "Gender"],
  ["personalIdentificationNumber", "Personal identification number"],
  ["personalNumber", "Personal number"],
  ["similarityScore", "Face similarity"],
  ["livenessDetected", "Liveness detected"],
];

// Statuses whose process has OCR data and media (images, video, the full-result zip).
const WITH_RESULTS = ["accepted", "rejected", "inconclusive"];

window.videoidEvents = window.videoidEvents || [];

const capture = document.getElementById("capture");
const eventList = document.getElementById("events");
const result = document.getElementById("result");
const resultStatus = document.getElementById("result-status");
const resultDetails = document.getElementById("result-details");
const packageStatus = document.getElementById("package-status");
const dossierStatus = document.getElementById("dossier-status");
const dossierList = document.getElementById("dossier-processes");
const deleteButton = document.getElementById("delete-data");

function element(tag, text, attributes) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  return node;
}

function logEvent(type, detail) {
  window.videoidEvents.push({ type, detail });
  const item = element("li", null, { "data-event": type });
  item.append(element("strong", type), " ", element("code", JSON.stringify(detail)));
  eventList.append(item);
}

function showStatus(status, text) {
  result.dataset.status = status;
  resultStatus.textContent = text;
}

function definitionList(rows) {
  const list = element("dl", null, { class: "facts" });
  for (const [term, value] of rows) {
    list.append(element("dt", term), element("dd", value));
  }
  return list;
}

function showProcess(process) {
  resultDetails.replaceChildren();
  const status = process && typeof process.status === "string" ? process.status : "unknown";
  showStatus(status, "Status: " + status);
  const specific = (process && process.providerSpecific) || {};
  const ocr = specific.ocr;
  // VideoID reads the document into `ocr`; Signicat Paper (native captures) into `mrz`/`features`.
  const fields = ocr || specific.mrz || specific.features || (process && process.finalResult);
  if (fields) {
    const rows = OCR_FIELDS.filter(([key]) => fields[key] !== undefined).map(([key, label]) => [
      label,
      fields[key],
    ]);
    resultDetails.append(element("h3", "Document"), definitionList(rows));
  }
  if (specific.verification) {
    resultDetails.append(
      element("h3", "Verification"),
      element("p", specific.verification.type + ": " + (specific.verification.status === "true" ? "passed" : "not passed")),
    );
  }
  if (ocr) {
    const checks = ocr.securityChecks || {};
    const list = element("ul", null, { class: "checks" });
    for (const [name, check] of Object.entries(checks)) {
      const valid = Boolean(check && check.valid);
      list.append(
        element("li", (valid ? "✓ " : "✗ ") + name + (valid ? " passed" : " failed"), {
          "data-valid": String(valid),
        }),
      );
    }
    resultDetails.append(element("h3", "Security checks"), list);
  }
  const reasons =
    (process &&
      process.providerSpecific &&
      process.providerSpecific.manualApproval &&
      process.providerSpecific.manualApproval.rejectionReasons) ||
    [];
  if (reasons.length > 0) {
    const list = element("ul");
    for (const reason of reasons) list.append(element("li", reason.type + ": " + reason.message));
    resultDetails.append(element("h3", "Rejection reasons"), list);
  }
  if (process && process.failReason) {
    resultDetails.append(
      element("h3", "Why it failed"),
      element("p", process.failReason.type + ": " + process.failReason.message),
    );
  }
  const features = (ocr && Array.isArray(ocr.features) && ocr.features) || [];
  if (features.length > 0) {
    const list = element("ul", null, { class: "checks" });
    for (const feature of features) {
      const found = Boolean(feature && feature.found);
      list.append(
        element("li", (found ? "✓ " : "✗ ") + feature.name + (found ? " found" : " not found"), {
          "data-valid": String(found),
        }),
      );
    }
    resultDetails.append(element("h3", "Document features"), list);
  }
  if (process && typeof process.processId === "string" && WITH_RESULTS.includes(status)) {
    showMedia(process.processId, fields);
  }
}

// The captured images, the video and the zip, through the backend's proxies (own dossier only);
// what the process does not have (a native capture has no video) is left out.
function showMedia(processId, ocr) {
  const id = encodeURIComponent(processId);
  const depictions = [
    ["front", "Document front"],
    ["back", "Document back"],
    ["selfie", "Selfie"],
    ["portrait", "Portrait from the document"],
  ].filter(([depiction]) => depiction !== "back" || (ocr && ocr.documentType !== "passport"));
  const gallery = element("div", null, { class: "gallery" });
  for (const [depiction, label] of depictions) {
    const figure = element("figure");
    const image = element("img", null, {
      src: "/api/videoid/images?processId=" + id + "&depiction=" + depiction,
      alt: label,
      loading: "lazy",
    });
    image.addEventListener("error", () => figure.remove());
    figure.append(image, element("figcaption", label));
    gallery.append(figure);
  }
  const video = element("video", null, {
    src: "/api/videoid/video?processId=" + id,
    controls: "",
    preload: "metadata",
    "aria-label": "Liveness video",
  });
  const videoTitle = element("h3", "Liveness video");
  video.addEventListener("error", () => {
    video.remove();
    videoTitle.remove();
  });
  const download = element("a", "Download the full result (zip)", {
    href: "/api/videoid/download?processId=" + id,
    download: "videoid-" + processId + ".zip",
    class: "download",
  });
  resultDetails.append(
    element("h3", "Captured images"),
    gallery,
    videoTitle,
    video,
    element("p", null, { class: "download-row" }),
  );
  resultDetails.lastChild.append(download);
}

// While a process waits for an agent (a result that was not final), the dossier is read
// again every few seconds, so the agent's later decision shows here as the webhook brings it.
const DOSSIER_REFRESH_MS = 3000;
let dossierTimer = null;

function refreshWhileProcessing(processes) {
  clearTimeout(dossierTimer);
  dossierTimer = null;
  if (processes.some((p) => p.status === "processing")) {
    dossierTimer = setTimeout(refreshDossier, DOSSIER_REFRESH_MS);
  }
}

// The end-user's dossier: every process this browser started, and "Delete my data".
async function refreshDossier() {
  let dossier;
  try {
    const response = await fetch("/api/videoid/dossier", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error("status " + response.status);
    dossier = await response.json();
  } catch (error) {
    dossierStatus.textContent = "Your dossier could not be read.";
    return;
  }
  dossierList.replaceChildren();
  const processes = Array.isArray(dossier.processes) ? dossier.processes : [];
  deleteButton.hidden = !dossier.dossierId;
  if (!dossier.dossierId) {
    dossierStatus.textContent = "No dossier yet: it is created with your first capture.";
    return;
  }
  dossierStatus.textContent =
    "Dossier " + dossier.dossierId + " holds " + processes.length +
    (processes.length === 1 ? " process." : " processes.");
  for (const process of processes) {
    const item = element("li", null, { "data-status": process.status || "" });
    item.append(
      element("code", process.processId),
      " ",
      element("strong", process.status),
      " ",
      element("span", process.createdAt || "", { class: "muted" }),
    );
    if (process.notifiedStatus) {
      item.append(" ", element("span", "webhook: " + process.notifiedStatus, { class: "muted" }));
    }
    dossierList.append(item);
  }
  refreshWhileProcessing(processes);
}

async function deleteMyData() {
  deleteButton.disabled = true;
  try {
    const response = await fetch("/api/videoid/dossier", { method: "DELETE" });
    if (!response.ok) throw new Error("status " + response.status);
    resultDetails.replaceChildren();
    showStatus("", "Your data was deleted.");
  } catch (error) {
    dossierStatus.textContent = "Your data could not be deleted. Please try again.";
  } finally {
    deleteButton.disabled = false;
  }
  await refreshDossier();
}

deleteButton.addEventListener("click", deleteMyData);

function onEvent(event) {
  const detail = event.detail === undefined ? null : event.detail;
  logEvent(event.type, detail);
  if (event.type === "videoid-complete") {
    showStatus("completing", "The capture finished; waiting for the result…");
  } else if (event.type === "videoid-result") {
    showProcess(detail && detail.process);
    refreshDossier();
  } else if (event.type === "videoid-failed") {
    resultDetails.replaceChildren();
    const code = detail && detail.code ? detail.code : "Unknown";
    showStatus("failed", "Failed: " + code + (detail && detail.message ? " — " + detail.message : ""));
  } else if (event.type === "videoid-cancel") {
    resultDetails.replaceChildren();
    showStatus("cancelled", "The capture was cancelled.");
  }
}

for (const type of EVENTS) capture.addEventListener(type, onEvent);

async function main() {
  try {
    await import("/pkg/videoid-capture.js");
  } catch (error) {
    packageStatus.hidden = false;
    packageStatus.textContent =
      "The videoid-capture package could not be loaded from /pkg/. Build it first (npm run build).";
    return;
  }
  const params = new URLSearchParams(location.search);
  if (params.get("auto") === "1") {
    await customElements.whenDefined("videoid-capture");
    // Failures are reported through the videoid-failed event as well.
    capture.start().catch(() => {});
  }
}

refreshDossier();
main();
