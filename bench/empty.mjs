window.__ready = performance.now();
