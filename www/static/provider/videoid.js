// A simulated VideoID web SDK, served at `providerApiUrl + "/js/videoid.js"` by the
// Assure simulator of videoid-capture. It has the surface integrations use:
//
//   const v = EID.videoId("#video" /* or an element */, { lang: "en" });
//   v.turnOn();                                   // camera + microphone, preview
//   v.start({ authorization, idType });           // the process's authorization, a document-type id
//   v.on("phaseStarting", (phase) => { phase.name; phase.continue(); });  // FRONT, BACK, FACE
//   v.on("completed", (video) => { video.id; });
//   v.on("failed", (error) => { error.name; error.reason; error.message; });
//   v.turnOff(); v.destroy();
//
// It really uses the camera and microphone (getUserMedia), shows the preview, and goes
// through the document type's phases by itself, about a second each, as the real SDK
// auto-captures: a still per phase (JPEG) and a MediaRecorder recording of the whole run,
// uploaded with the authorization to the provider API next to this file
// (`{providerApiUrl}/api/videos…`). An empty or failed recording is tried once more, then
// reported as `failed`. A `phaseStarting` listener must call `phase.continue()`; without
// listeners the phases continue by themselves. turnOff() and destroy() stop every track.
// Plain ES2017, no build step, no inline styles or scripts (it runs under a strict CSP).
(function () {
  "use strict";

  if (window.EID && window.EID.videoId && window.EID.videoId.simulated) return;

  var PHASE_MS = 1000;
  var RETRY_RECORDING_MS = 1000;
  var RECORDER_STOP_TIMEOUT_MS = 5000;
  var REQUEST_TIMEOUT_MS = 30000;
  var RECORDING_TYPES = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];
  var PHASE_FILES = { FRONT: "front", BACK: "back", FACE: "face" };
  var HINTS = {
    en: {
      FRONT: "Show the front of your document",
      BACK: "Now show the back of your document",
      FACE: "Look at the camera",
      done: "Thank you",
    },
    nb: {
      FRONT: "Vis forsiden av dokumentet",
      BACK: "Vis nå baksiden av dokumentet",
      FACE: "Se inn i kameraet",
      done: "Takk",
    },
  };

  // The provider API lives next to this script: {providerApiUrl}/js/videoid.js → {providerApiUrl}/.
  function providerBase() {
    var script = document.currentScript;
    if (!script || !script.src) {
      var all = document.querySelectorAll("script[src]");
      for (var i = all.length - 1; i >= 0; i--) {
        if (/\/js\/videoid\.js(\?|#|$)/.test(all[i].src)) {
          script = all[i];
          break;
        }
      }
    }
    return script && script.src ? new URL("../", script.src).href : null;
  }
  var API = providerBase();

  function sdkError(name, reason, message, extra) {
    var error = { name: name, reason: reason, message: message };
    if (extra) for (var key in extra) error[key] = extra[key];
    return error;
  }

  // Reports an integrator's listener error without stopping the SDK.
  function report(error) {
    setTimeout(function () {
      throw error;
    }, 0);
  }

  function resolveTarget(target) {
    if (typeof target === "string") {
      var found = document.querySelector(target);
      if (!found) throw new TypeError("EID.videoId: no element matches " + target);
      return found;
    }
    if (target && target.nodeType === 1) return target;
    throw new TypeError("EID.videoId: give a selector or an element");
  }

  function VideoId(target, options) {
    this._target = resolveTarget(target);
    var lang = options && typeof options.lang === "string" ? options.lang.toLowerCase().slice(0, 2) : "en";
    if (lang === "no" || lang === "nn") lang = "nb";
    this._hints = HINTS[lang] || HINTS.en;
    this._listeners = {};
    this._run = 0;
    this._camera = null;
    this._stream = null;
    this._recorder = null;
    this._timers = [];
    this._started = false;
    this._destroyed = false;
    this._view = null;
  }

  VideoId.prototype.on = function (name, listener) {
    if (typeof listener !== "function") throw new TypeError("EID.videoId: on() needs a function");
    (this._listeners[name] = this._listeners[name] || []).push(listener);
    return this;
  };

  VideoId.prototype.off = function (name, listener) {
    var list = this._listeners[name] || [];
    this._listeners[name] = list.filter(function (l) {
      return l !== listener;
    });
    return this;
  };

  VideoId.prototype._emit = function (name, value) {
    var list = (this._listeners[name] || []).slice();
    for (var i = 0; i < list.length; i++) {
      try {
        list[i](value);
      } catch (error) {
        report(error);
      }
    }
    return list.length;
  };

  VideoId.prototype._fail = function (run, error) {
    if (run !== this._run) return;
    this._run++;
    this._stopRecorder();
    this._say("");
    this._emit("failed", error);
  };

  VideoId.prototype._later = function (ms, run) {
    var self = this;
    return new Promise(function (resolve) {
      var id = setTimeout(function () {
        self._timers = self._timers.filter(function (t) {
          return t !== id;
        });
        resolve(run === self._run);
      }, ms);
      self._timers.push(id);
    });
  };

  VideoId.prototype._ensureView = function () {
    if (this._view) return this._view;
    var box = document.createElement("div");
    box.className = "eid-videoid";
    box.style.position = "relative";
    var video = document.createElement("video");
    video.className = "eid-videoid-preview";
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute("playsinline", "");
    video.style.width = "100%";
    video.style.display = "block";
    var hint = document.createElement("p");
    hint.className = "eid-videoid-hint";
    hint.setAttribute("role", "status");
    hint.setAttribute("aria-live", "polite");
    box.appendChild(video);
    box.appendChild(hint);
    this._target.appendChild(box);
    this._view = { box: box, video: video, hint: hint };
    return this._view;
  };

  VideoId.prototype._say = function (text) {
    if (this._view) this._view.hint.textContent = text;
  };

  // Camera and microphone on, with the preview. Resolves to the stream, or to
  // { error } (it never rejects: failures arrive as the `failed` event of start()).
  VideoId.prototype.turnOn = function () {
    if (this._destroyed) return Promise.resolve({ error: sdkError("StateError", "destroyed", "destroyed") });
    if (this._camera) return this._camera;
    var self = this;
    var view = this._ensureView();
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      this._camera = Promise.resolve({
        error: sdkError("MediaError", "unsupported", "this browser has no camera access"),
      });
      return this._camera;
    }
    var camera = navigator.mediaDevices
      .getUserMedia({
        video: { facingMode: "user", width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: true,
      })
      .then(function (stream) {
        if (self._camera !== camera) {
          // turned off (or destroyed) while the browser was asking: release at once
          stream.getTracks().forEach(function (t) {
            t.stop();
          });
          return { error: sdkError("StateError", "turned-off", "the camera was turned off") };
        }
        self._stream = stream;
        view.video.srcObject = stream;
        var playing = view.video.play();
        if (playing && playing.catch) playing.catch(function () {});
        return { stream: stream };
      })
      .catch(function (error) {
        var name = (error && error.name) || "Error";
        return {
          error: sdkError("MediaError", name, (error && error.message) || "the camera could not be opened"),
        };
      });
    this._camera = camera;
    return camera;
  };

  VideoId.prototype.turnOff = function () {
    this._run++;
    this._timers.forEach(clearTimeout);
    this._timers = [];
    this._stopRecorder();
    if (this._stream) {
      this._stream.getTracks().forEach(function (t) {
        t.stop();
      });
    }
    this._stream = null;
    this._camera = null;
    this._started = false;
    if (this._view) {
      this._view.video.srcObject = null;
      this._say("");
    }
  };

  VideoId.prototype.destroy = function () {
    this.turnOff();
    if (this._view && this._view.box.parentNode) this._view.box.parentNode.removeChild(this._view.box);
    this._view = null;
    this._listeners = {};
    this._destroyed = true;
  };

  VideoId.prototype._stopRecorder = function () {
    var recorder = this._recorder;
    this._recorder = null;
    if (recorder && recorder.state !== "inactive") {
      try {
        recorder.stop();
      } catch (error) {
        // already stopping
      }
    }
  };

  // Starts a recording of the stream; resolves to its blob when stopped (size 0 when the
  // recorder gave nothing), or to null when it failed or never stopped.
  VideoId.prototype._record = function (stream) {
    var self = this;
    var type = null;
    for (var i = 0; i < RECORDING_TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported && MediaRecorder.isTypeSupported(RECORDING_TYPES[i])) {
        type = RECORDING_TYPES[i];
        break;
      }
    }
    var recorder;
    try {
      recorder = type ? new MediaRecorder(stream, { mimeType: type }) : new MediaRecorder(stream);
    } catch (error) {
      return { stop: function () { return Promise.resolve(null); } };
    }
    var chunks = [];
    var settled = false;
    var finish;
    var done = new Promise(function (resolve) {
      finish = function (value) {
        if (settled) return;
        settled = true;
        resolve(value);
      };
    });
    recorder.ondataavailable = function (event) {
      if (event.data && event.data.size > 0) chunks.push(event.data);
    };
    recorder.onstop = function () {
      var blobType = (chunks[0] && chunks[0].type) || recorder.mimeType || type || "video/webm";
      finish(new Blob(chunks, { type: blobType }));
    };
    recorder.onerror = function () {
      finish(null);
    };
    try {
      recorder.start();
    } catch (error) {
      finish(null);
    }
    self._recorder = recorder;
    return {
      stop: function () {
        if (self._recorder === recorder) self._recorder = null;
        if (recorder.state !== "inactive") {
          try {
            recorder.stop();
          } catch (error) {
            finish(null);
          }
        }
        var timer = setTimeout(function () {
          finish(null);
        }, RECORDER_STOP_TIMEOUT_MS);
        return done.then(function (blob) {
          clearTimeout(timer);
          return blob;
        });
      },
    };
  };

  VideoId.prototype._still = function () {
    var video = this._view && this._view.video;
    if (!video || !video.videoWidth) return Promise.resolve(null);
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    return new Promise(function (resolve) {
      canvas.toBlob(
        function (blob) {
          resolve(blob && blob.size > 0 ? blob : null);
        },
        "image/jpeg",
        0.9,
      );
    });
  };

  // Waits until the preview has frames (a still needs them).
  VideoId.prototype._frames = function (run) {
    var self = this;
    var video = this._view && this._view.video;
    if (!video || video.videoWidth) return Promise.resolve(true);
    return new Promise(function (resolve) {
      var waited = 0;
      (function check() {
        if (run !== self._run) return resolve(false);
        if (video.videoWidth) return resolve(true);
        if ((waited += 50) > 10000) return resolve(true);
        self._later(50, run).then(check);
      })();
    });
  };

  // One call to the provider API; resolves to { status, body } or rejects on a network error.
  function call(method, path, authorization, body, contentType) {
    var controller = typeof AbortController === "function" ? new AbortController() : null;
    var timer = controller
      ? setTimeout(function () {
          controller.abort();
        }, REQUEST_TIMEOUT_MS)
      : null;
    var headers = { Authorization: "Bearer " + authorization };
    if (contentType) headers["Content-Type"] = contentType;
    return fetch(API + "api/videos" + path, {
      method: method,
      headers: headers,
      body: body,
      mode: "cors",
      credentials: "omit",
      signal: controller ? controller.signal : undefined,
    }).then(
      function (response) {
        clearTimeout(timer);
        return response
          .json()
          .catch(function () {
            return {};
          })
          .then(function (json) {
            return { status: response.status, ok: response.ok, body: json || {} };
          });
      },
      function (error) {
        clearTimeout(timer);
        throw error;
      },
    );
  }

  // The `failed` payload of an API answer that was not a success.
  function apiError(answer, what) {
    var code = typeof answer.body.code === "string" ? answer.body.code : "http-" + answer.status;
    var message = typeof answer.body.error === "string" ? answer.body.error : what + " failed";
    var name = /^authorization-/.test(code) ? "AuthorizationError" : "ApiError";
    return sdkError(name, code, message, { status: answer.status });
  }

  // An upload running while the phases go on: its answer, or null for a network error.
  function settle(request) {
    return request.then(
      function (answer) {
        return answer;
      },
      function () {
        return null;
      },
    );
  }

  function networkError(what) {
    return sdkError("NetworkError", "network", what + ": the provider API cannot be reached");
  }

  function essence(type) {
    return String(type || "").split(";")[0].trim() || "video/webm";
  }

  // Waits for phase.continue() from the phaseStarting listeners (none: go on at once).
  VideoId.prototype._phase = function (name, run) {
    var self = this;
    return new Promise(function (resolve) {
      var continued = false;
      var phase = {
        name: name,
        continue: function () {
          if (continued) return;
          continued = true;
          resolve(run === self._run);
        },
      };
      if (self._emit("phaseStarting", phase) === 0) phase.continue();
    });
  };

  VideoId.prototype.start = function (options) {
    if (this._destroyed || this._started) return;
    var authorization = options && options.authorization;
    var idType = options && Number(options.idType);
    var run = ++this._run;
    var self = this;
    this._started = true;
    if (typeof authorization !== "string" || authorization === "" || !Number.isInteger(idType)) {
      setTimeout(function () {
        self._fail(run, sdkError("ArgumentError", "bad-arguments", "start() needs { authorization, idType }"));
      }, 0);
      return;
    }
    if (!API) {
      setTimeout(function () {
        self._fail(run, sdkError("StateError", "no-api", "the provider API URL is unknown"));
      }, 0);
      return;
    }
    this._flow(run, authorization, idType).catch(function (error) {
      self._fail(run, sdkError("Error", "internal", String((error && error.message) || error)));
    });
  };

  VideoId.prototype._flow = async function (run, authorization, idType) {
    var camera = await this.turnOn();
    if (run !== this._run) return;
    if (camera.error) return this._fail(run, camera.error);
    if (typeof MediaRecorder !== "function") {
      return this._fail(run, sdkError("RecordingError", "recorder-unsupported", "this browser cannot record video"));
    }
    var opened;
    try {
      opened = await call("POST", "", authorization, JSON.stringify({ idType: idType }), "application/json");
    } catch (error) {
      return this._fail(run, networkError("opening the video"));
    }
    if (run !== this._run) return;
    if (!opened.ok) return this._fail(run, apiError(opened, "opening the video"));
    var video = opened.body;
    var phases = Array.isArray(video.phases) ? video.phases : ["FRONT", "BACK", "FACE"];
    var waitAt = video.simulator && video.simulator.waitAt;
    var path = "/" + encodeURIComponent(String(video.id));
    var uploads = [];
    var recording = null;

    for (var i = 0; i < phases.length; i++) {
      var name = phases[i];
      if (!(await this._phase(name, run))) return;
      this._say(this._hints[name] || "");
      if (name === waitAt) return; // the simulated end-user never shows anything
      if (!recording) recording = this._record(camera.stream);
      if (!(await this._later(PHASE_MS, run))) return;
      if (!(await this._frames(run))) return;
      var still = await this._still();
      if (run !== this._run) return;
      if (!still) return this._fail(run, sdkError("MediaError", "no-frame", "the camera gave no picture"));
      var file = PHASE_FILES[name] || String(name).toLowerCase();
      uploads.push(settle(call("PUT", path + "/images/" + file, authorization, still, "image/jpeg")));
    }

    var blob = await recording.stop();
    if (run !== this._run) return;
    if (!blob || blob.size === 0) {
      // Some engines give nothing (or fail) at times: record once more, then give up.
      var again = this._record(camera.stream);
      if (!(await this._later(RETRY_RECORDING_MS, run))) {
        again.stop();
        return;
      }
      blob = await again.stop();
      if (run !== this._run) return;
      if (!blob || blob.size === 0) {
        return this._fail(
          run,
          sdkError(
            "RecordingError",
            blob ? "recording-empty" : "recording-failed",
            blob ? "the recording was empty twice" : "the recorder failed twice",
          ),
        );
      }
    }
    uploads.push(settle(call("PUT", path + "/recording", authorization, blob, essence(blob.type))));

    var answers = await Promise.all(uploads);
    if (run !== this._run) return;
    for (var j = 0; j < answers.length; j++) {
      if (!answers[j]) return this._fail(run, networkError("uploading"));
      if (!answers[j].ok) return this._fail(run, apiError(answers[j], "uploading"));
    }
    var completed;
    try {
      completed = await call("POST", path + "/complete", authorization);
    } catch (error) {
      return this._fail(run, networkError("completing"));
    }
    if (run !== this._run) return;
    if (!completed.ok) return this._fail(run, apiError(completed, "completing"));
    this._say(this._hints.done);
    this._run++;
    this._emit("completed", { id: video.id });
  };

  function videoId(target, options) {
    return new VideoId(target, options);
  }
  videoId.simulated = true;

  window.EID = window.EID || {};
  window.EID.videoId = videoId;
})();
