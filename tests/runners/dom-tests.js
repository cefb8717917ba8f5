// What a unit test in a simulated DOM (jsdom, happy-dom) can do with the
// packed package, shared by the Vitest and Jest files: `test` and `expect`
// come from the runner. A simulated DOM has no WebAssembly streaming, no
// camera and no real network, so the element cannot capture there; it must
// import, define itself, reflect its attributes and fail in a typed way.

export function domTests(test, expect) {
  test("importing defines <videoid-capture>, once", async () => {
    const m = await import("videoid-capture");
    expect(customElements.get("videoid-capture")).toBe(m.VideoIdCaptureElement);
    expect(m.defineVideoIdCapture()).toBe(m.VideoIdCaptureElement);
    const Other = m.defineVideoIdCapture("acme-capture");
    expect(Other).not.toBe(m.VideoIdCaptureElement);
    expect(Object.getPrototypeOf(Other)).toBe(m.VideoIdCaptureElement);
  });

  test("properties and attributes reflect each other", async () => {
    await import("videoid-capture");
    const el = document.createElement("videoid-capture");
    el.mode = "native";
    el.sessionEndpoint = "/api/videoid/session";
    expect(el.getAttribute("mode")).toBe("native");
    expect(el.getAttribute("session-endpoint")).toBe("/api/videoid/session");
    el.setAttribute("inactivity-timeout", "60");
    expect(el.inactivityTimeout).toBe("60");
    expect(el.state).toBe("idle");
  });

  test("in the document, without a browser's wasm: videoid-failed Browser.Unsupported, and start() rejects typed", async () => {
    const { VideoIdCaptureError } = await import("videoid-capture");
    const el = document.createElement("videoid-capture");
    const failed = new Promise((resolve) => el.addEventListener("videoid-failed", (e) => resolve(e.detail), { once: true }));
    document.body.append(el);
    const detail = await failed;
    expect(detail.code).toBe("Browser.Unsupported");
    expect(detail.recoverable).toBe(false);
    expect(el.state).toBe("failed");
    const error = await el.start().then(() => null, (e) => e);
    expect(error).toBeInstanceOf(VideoIdCaptureError);
    expect(error.code).toBe("Browser.Unsupported");
    el.remove();
  });
}
