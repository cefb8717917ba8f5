// Styles for the shadow root of <videoid-capture>, adopted as one shared
// CSSStyleSheet (no inline <style>, so a strict style-src CSP is fine).
// Theming goes only through the --videoid-* custom properties and ::part().

/** The CSS text for the markup the wasm handle renders (docs/contracts.md). */
export const styles = `
:host {
  display: block;
  box-sizing: border-box;
  color: var(--videoid-fg, #1b1f24);
  background: var(--videoid-bg, #ffffff);
  font-family: var(--videoid-font, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  font-size: 1rem;
  line-height: 1.5;
}
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: inherit; }
[hidden] { display: none !important; }

.vc {
  display: flex;
  flex-direction: column;
  gap: 1rem;
  border-radius: var(--videoid-radius, 8px);
  overflow: hidden;
}

.vc-stage:empty { display: none; }
.vc-stage { position: relative; width: 100%; }
[part~="frame"] {
  display: block;
  width: 100%;
  height: var(--videoid-frame-height, 640px);
  border: 0;
  border-radius: var(--videoid-radius, 8px);
  background: var(--videoid-bg, #ffffff);
}

[part~="preview"], [part~="review"] {
  display: block;
  width: 100%;
  max-height: var(--videoid-frame-height, 640px);
  object-fit: contain;
  border-radius: var(--videoid-radius, 8px);
  background: #000;
}
[part~="preview"][data-mirrored], [part~="outline"][data-mirrored] { transform: scaleX(-1); }
/* The document's outline, in the video's pixels, laid over the preview as it is shown. */
[part~="outline"] {
  position: absolute;
  inset: 0;
  width: 100%;
  height: 100%;
  fill: none;
  stroke: #22c55e;
  stroke-width: 4;
}
/* The guide frame over the live preview. */
.vc[data-state="capturing"] .vc-stage:has([part~="preview"])::after {
  content: "";
  position: absolute;
  inset: 12% 10%;
  border: 3px dashed rgb(255 255 255 / 0.85);
  border-radius: var(--videoid-radius, 8px);
  pointer-events: none;
}

[part~="hint"] { margin: 0; font-weight: 500; }
[part~="digits"] {
  margin: 0;
  font-size: 2rem;
  font-weight: 700;
  letter-spacing: 0.4em;
  font-variant-numeric: tabular-nums;
}
[part~="progress"] {
  width: 100%;
  height: 0.5rem;
  accent-color: var(--videoid-accent, #1d4ed8);
}
[part~="file-label"] {
  display: flex;
  flex-direction: column;
  gap: 0.5rem;
  font-weight: 600;
}
[part~="file-input"] { min-height: 44px; font: inherit; }
[part~="file-input"]:focus-visible {
  outline: 3px solid var(--videoid-accent, #1d4ed8);
  outline-offset: 2px;
}

.vc-panel {
  display: flex;
  flex-direction: column;
  gap: 0.75rem;
  padding: 1.25rem;
}
[part~="title"] {
  margin: 0;
  font-size: 1.25rem;
  font-weight: 600;
  line-height: 1.3;
}
[part~="title"]:focus { outline: none; }
[part~="title"]:focus-visible {
  outline: 3px solid var(--videoid-accent, #1d4ed8);
  outline-offset: 2px;
  border-radius: 2px;
}
[part~="message"] { margin: 0; }

.vc[data-state="loading"] [part~="message"]::before,
.vc[data-state="completing"] [part~="message"]::before {
  content: "";
  display: inline-block;
  width: 1em;
  height: 1em;
  margin-inline-end: 0.5em;
  vertical-align: -0.15em;
  border: 2px solid currentColor;
  border-inline-end-color: transparent;
  border-radius: 50%;
  animation: vc-spin 0.8s linear infinite;
}
@keyframes vc-spin { to { transform: rotate(360deg); } }

[part~="actions"] {
  display: flex;
  flex-wrap: wrap;
  gap: 0.75rem;
}
[part~="actions"]:empty { display: none; }

[part~="button"] {
  min-height: 44px;
  min-width: 44px;
  padding: 0.625rem 1.25rem;
  border: 2px solid var(--videoid-accent, #1d4ed8);
  border-radius: var(--videoid-radius, 8px);
  font: inherit;
  font-weight: 600;
  line-height: 1.2;
  cursor: pointer;
  color: var(--videoid-accent, #1d4ed8);
  background: var(--videoid-bg, #ffffff);
  transition: filter 120ms ease-in-out;
}
[part~="start-button"], [part~="retry-button"],
[part~="capture-button"], [part~="confirm-button"] {
  color: var(--videoid-bg, #ffffff);
  background: var(--videoid-accent, #1d4ed8);
}
/* The handoff leads after a camera failure: first, it looks primary. */
[part~="actions"] > [part~="handoff-button"]:first-child {
  color: var(--videoid-bg, #ffffff);
  background: var(--videoid-accent, #1d4ed8);
}
[part~="button"]:hover { filter: brightness(0.92); }
[part~="button"]:focus { outline: none; }
[part~="button"]:focus-visible {
  outline: 3px solid var(--videoid-accent, #1d4ed8);
  outline-offset: 2px;
}
[part~="button"]:disabled {
  cursor: not-allowed;
  opacity: 0.6;
  filter: none;
}

.vc-handoff { display: flex; flex-direction: column; align-items: flex-start; gap: 0.75rem; }
[part~="handoff-help"] { margin: 0; }
[part~="handoff-qr"] {
  display: block;
  width: min(100%, 16rem);
  height: auto;
  forced-color-adjust: none;
}
[part~="handoff-link"] { color: var(--videoid-accent, #1d4ed8); overflow-wrap: anywhere; }
[part~="handoff-copied"]:empty { display: none; }
[part~="handoff-copied"] { font-weight: 600; }

[part~="status"] {
  position: absolute !important;
  width: 1px;
  height: 1px;
  padding: 0;
  margin: -1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  clip-path: inset(50%);
  white-space: nowrap;
  border: 0;
}

@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after {
    animation-duration: 0.01ms !important;
    animation-iteration-count: 1 !important;
    transition-duration: 0.01ms !important;
  }
}

@media (forced-colors: active) {
  [part~="button"] { border-color: ButtonText; }
  [part~="button"]:focus-visible, [part~="title"]:focus-visible { outline-color: Highlight; }
}
`;
