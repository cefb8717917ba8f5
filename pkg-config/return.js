// The return helper: load it on the page behind Assure's `redirectUrl`.
// It hands `dossierId`, `processId` and `status` back to the <videoid-capture>
// element that started the flow — in the parent frame, in the opener window,
// or (full-page redirect fallback) through sessionStorage on the same origin.
// Message protocol v1: docs/contracts.md.

const SOURCE = "videoid-capture";
const RESUME_KEY = "videoid-capture:resume";
const RETURN_KEY = "videoid-capture:return";
const ID = /^[A-Za-z0-9._-]{1,128}$/;
const STATUS = /^[a-z]{1,32}$/;
const CLOSE_DELAY_MS = 300;

/**
 * Reads the return parameters from a query string; null unless all three are valid.
 * @param {string} search like `location.search`
 * @returns {{ dossierId: string, processId: string, status: string } | null}
 */
export function parseReturn(search) {
  const params = new URLSearchParams(search);
  const dossierId = params.get("dossierId");
  const processId = params.get("processId");
  const status = params.get("status");
  if (!dossierId || !ID.test(dossierId)) return null;
  if (!processId || !ID.test(processId)) return null;
  if (!status || !STATUS.test(status)) return null;
  return { dossierId, processId, status };
}

/**
 * Hands the return to the element; what it did: `"parent"`, `"opener"`,
 * `"redirect"` or `"none"` (then the page says it can be closed).
 * @param {Window} [win]
 * @returns {"parent" | "opener" | "redirect" | "none"}
 */
export function handleReturn(win = window) {
  const ret = parseReturn(win.location.search);
  if (ret) {
    const message = { source: SOURCE, v: 1, type: "return", ...ret };
    const origin = win.location.origin;
    if (win.parent && win.parent !== win) {
      win.parent.postMessage(message, origin);
      return "parent";
    }
    if (win.opener && !win.opener.closed) {
      try {
        win.opener.postMessage(message, origin);
        win.setTimeout(() => win.close(), CLOSE_DELAY_MS);
        showCloseHint(win);
        return "opener";
      } catch {
        // The opener is gone or unreachable: try the full-page path.
      }
    }
    const returnTo = resumeTarget(win, ret.dossierId);
    if (returnTo) {
      try {
        win.sessionStorage.setItem(RETURN_KEY, JSON.stringify({ v: 1, ...ret }));
        win.location.replace(returnTo);
        return "redirect";
      } catch {
        // Storage refused (private mode, quota): nothing to resume with.
      }
    }
  }
  showCloseHint(win);
  return "none";
}

// The page to go back to, only if the element wrote it for this dossier and it is same-origin.
function resumeTarget(win, dossierId) {
  let resume;
  try {
    resume = JSON.parse(win.sessionStorage.getItem(RESUME_KEY) ?? "null");
  } catch {
    return null;
  }
  if (!resume || typeof resume !== "object" || resume.v !== 1) return null;
  if (resume.dossierId !== dossierId || typeof resume.returnTo !== "string") return null;
  let url;
  try {
    url = new URL(resume.returnTo, win.location.href);
  } catch {
    return null;
  }
  return url.origin === win.location.origin ? url.href : null;
}

function showCloseHint(win) {
  const doc = win.document;
  if (!doc || doc.querySelector("[data-videoid-return]")) return;
  const lang = (doc.documentElement?.lang || win.navigator?.language || "en").toLowerCase();
  const norwegian = /^(nb|nn|no)\b/.test(lang);
  const p = doc.createElement("p");
  p.setAttribute("data-videoid-return", "");
  p.setAttribute("role", "status");
  p.textContent = norwegian ? "Du kan lukke dette vinduet." : "You can close this window.";
  (doc.body ?? doc.documentElement).append(p);
}

if (typeof window !== "undefined" && typeof document !== "undefined") handleReturn(window);
