// The demo host page: loads the package, logs every element event, shows the result.

const EVENTS = [
  "videoid-ready",
  "videoid-state",
  "videoid-complete",
  "videoid-result",
  "videoid-failed",
  "videoid-cancel",
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
  ["similarityScore", "Face similarity"],
];

window.videoidEvents = window.videoidEvents || [];

const capture = document.getElementById("capture");
const eventList = document.getElementById("events");
const result = document.getElementById("result");
const resultStatus = document.getElementById("result-status");
const resultDetails = document.getElementById("result-details");
const packageStatus = document.getElementById("package-status");

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
  const ocr = process && process.providerSpecific && process.providerSpecific.ocr;
  if (ocr) {
    const rows = OCR_FIELDS.filter(([key]) => ocr[key] !== undefined).map(([key, label]) => [
      label,
      ocr[key],
    ]);
    resultDetails.append(element("h3", "Document"), definitionList(rows));
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
}

function onEvent(event) {
  const detail = event.detail === undefined ? null : event.detail;
  logEvent(event.type, detail);
  if (event.type === "videoid-complete") {
    showStatus("completing", "The capture finished; waiting for the result…");
  } else if (event.type === "videoid-result") {
    showProcess(detail && detail.process);
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

main();
