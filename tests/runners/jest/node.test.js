// Jest's default environment is Node: no DOM, no customElements. Importing
// defines nothing and touches no browser global; the exports still load.
import { test, expect } from "@jest/globals";

test("imports without a DOM: nothing defined, capture() rejects typed", async () => {
  const m = await import("videoid-capture");
  expect(typeof globalThis.customElements).toBe("undefined");
  expect(typeof globalThis.window).toBe("undefined");
  expect(m.defineVideoIdCapture()).toBe(m.VideoIdCaptureElement);
  const error = await m.capture({}).then(() => null, (e) => e);
  expect(error).toBeInstanceOf(m.VideoIdCaptureError);
  expect(error.code).toBe("Browser.Unsupported");
});
