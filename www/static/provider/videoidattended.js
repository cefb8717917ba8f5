// A simulated VideoID attended web SDK (a live interview with an agent), served at
// `providerApiUrl + "/js/videoidattended.js"` by the Assure simulator of videoid-capture:
//
//   const v = EID.videoIDAttended("#video" /* or an element */, { lang: "en" });
//   v.turnOn();                                   // camera + microphone, own preview
//   v.start({ authorization, idType });           // the process's authorization (processType high)
//   v.on("queued", (q) => { q.position; q.estimatedWaitSeconds; });
//   v.on("agentConnected", () => {});             // the agent's video is shown
//   v.on("agentDisconnected", () => {});          // the call dropped; one reconnect is tried
//   v.on("phaseStarting", (phase) => { phase.name; phase.continue(); });  // the agent asks
//   v.on("completed", (video) => { video.id; });
//   v.on("failed", (error) => { error.name; error.reason; error.message; error.opensAt; });
//   v.turnOff(); v.destroy();
//
// It opens the authorization's video session on the provider API next to this file
// (`{providerApiUrl}/api/videos`), then joins the queue of live calls over a WebSocket
// (`{providerApiUrl}/ws/call?authorization=…`). When an agent picks up, audio and video flow
// peer to peer over WebRTC (the agent offers; the ICE servers come from the provider's
// message: the simulator gives none, a real provider gives STUN/TURN). The agent takes the
// stills and records the call. With the simulator's automatic agent there is no second
// browser: the SDK then takes its own stills and records its own stream, and uploads them
// with the authorization (a simulation shortcut). A dropped call is tried again once (10 s),
// then `failed` with AgentDisconnected. Every track is stopped on every end.
// Plain ES2017, no build step, no inline styles or scripts (it runs under a strict CSP).
(function () {
  "use strict";

  if (window.EID && window.EID.videoIDAttended && window.EID.videoIDAttended.simulated) return;

  var RECONNECT_MS = 10000;
  var AUTO_PHASE_MS = 1000;
  var RECORDER_STOP_TIMEOUT_MS = 5000;
  var REQUEST_TIMEOUT_MS = 30000;
  var RECORDING_TYPES = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];
  var PHASE_FILES = { FRONT: "front", BACK: "back", FACE: "face" };
  var HINTS = {
    en: {
      waiting: "Waiting for an agent",
      position: "Your place in the queue: ",
      connected: "An agent is with you",
      dropped: "The call dropped: reconnecting",
      FRONT: "Show the front of your document",
      BACK: "Now show the back of your document",
      FACE: "Look at the camera",
      done: "Thank you",
    },
    nb: {
      waiting: "Venter på en saksbehandler",
      position: "Din plass i køen: ",
      connected: "En saksbehandler er med deg",
      dropped: "Samtalen ble brutt: kobler til igjen",
      FRONT: "Vis forsiden av dokumentet",
      BACK: "Vis nå baksiden av dokumentet",
      FACE: "Se inn i kameraet",
      done: "Takk",
    },
  };

  // The provider API lives next to this script: {providerApiUrl}/js/videoidattended.js → {providerApiUrl}/.
  function providerBase() {
    var script = document.currentScript;
    if (!script || !script.src) {
      var all = document.querySelectorAll("script[src]");
      for (var i = all.length - 1; i >= 0; i--) {
        if (/\/js\/videoidattended\.js(\?|#|$)/.test(all[i].src)) {
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

  function report(error) {
    setTimeout(function () {
      throw error;
    }, 0);
  }

  function resolveTarget(target) {
    if (typeof target === "string") {
      var found = document.querySelector(target);
      if (!found) throw new TypeError("EID.videoIDAttended: no element matches " + target);
      return found;
    }
    if (target && target.nodeType === 1) return target;
    throw new TypeError("EID.videoIDAttended: give a selector or an element");
  }

  function stopTracks(stream) {
    if (!stream) return;
    stream.getTracks().forEach(function (t) {
      t.stop();
    });
  }

  function Attended(target, options) {
    this._target = resolveTarget(target);
    var lang = options && typeof options.lang === "string" ? options.lang.toLowerCase().slice(0, 2) : "en";
    if (lang === "no" || lang === "nn") lang = "nb";
    this._hints = HINTS[lang] || HINTS.en;
    this._listeners = {};
    this._run = 0;
    this._camera = null;
    this._stream = null;
    this._socket = null;
    this._pc = null;
    this._remote = null;
    this._recorder = null;
    this._timers = [];
    this._started = false;
    this._destroyed = false;
    this._view = null;
    this._call = null;
  }

  Attended.prototype.on = function (name, listener) {
    if (typeof listener !== "function") throw new TypeError("EID.videoIDAttended: on() needs a function");
    (this._listeners[name] = this._listeners[name] || []).push(listener);
    return this;
  };

  Attended.prototype.off = function (name, listener) {
    var list = this._listeners[name] || [];
    this._listeners[name] = list.filter(function (l) {
      return l !== listener;
    });
    return this;
  };

  Attended.prototype._emit = function (name, value) {
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

  Attended.prototype._later = function (ms, run, fn) {
    var self = this;
    var id = setTimeout(function () {
      self._timers = self._timers.filter(function (t) {
        return t !== id;
      });
      if (run === self._run) fn();
    }, ms);
    this._timers.push(id);
    return id;
  };

  Attended.prototype._ensureView = function () {
    if (this._view) return this._view;
    var box = document.createElement("div");
    box.className = "eid-videoid eid-videoid-attended";
    box.style.position = "relative";
    var agent = document.createElement("video");
    agent.className = "eid-videoid-agent";
    agent.autoplay = true;
    agent.playsInline = true;
    agent.setAttribute("playsinline", "");
    agent.style.width = "100%";
    agent.style.display = "none";
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
    box.appendChild(agent);
    box.appendChild(video);
    box.appendChild(hint);
    this._target.appendChild(box);
    this._view = { box: box, agent: agent, video: video, hint: hint };
    return this._view;
  };

  Attended.prototype._say = function (text) {
    if (this._view) this._view.hint.textContent = text;
  };

  // Camera and microphone on, with the preview. Resolves to { stream } or { error }.
  Attended.prototype.turnOn = function () {
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
          stopTracks(stream);
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

  // Camera, microphone, the call's media and the recorder off; pending work stops.
  Attended.prototype.turnOff = function () {
    this._run++;
    this._timers.forEach(clearTimeout);
    this._timers = [];
    this._stopRecorder();
    this._closePeer();
    stopTracks(this._stream);
    this._stream = null;
    this._camera = null;
    this._started = false;
    if (this._view) {
      this._view.video.srcObject = null;
      this._say("");
    }
  };

  // turnOff(), then leaves the queue (or hangs up), closes the socket and removes the view.
  Attended.prototype.destroy = function () {
    this.turnOff();
    this._closeSocket();
    this._call = null;
    if (this._view && this._view.box.parentNode) this._view.box.parentNode.removeChild(this._view.box);
    this._view = null;
    this._listeners = {};
    this._destroyed = true;
  };

  Attended.prototype._closeSocket = function () {
    var socket = this._socket;
    this._socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    try {
      if (socket.readyState === 1) socket.send(JSON.stringify({ type: "leave" }));
      socket.close(1000, "left");
    } catch (error) {
      // already closed
    }
  };

  Attended.prototype._closePeer = function () {
    var pc = this._pc;
    this._pc = null;
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = null;
      try {
        pc.close();
      } catch (error) {
        // already closed
      }
    }
    stopTracks(this._remote);
    this._remote = null;
    if (this._view) {
      this._view.agent.srcObject = null;
      this._view.agent.style.display = "none";
    }
  };

  // Every end: camera, microphone and socket off, then the event.
  Attended.prototype._finish = function (run, name, value) {
    if (run !== this._run) return;
    this.turnOff();
    this._closeSocket();
    this._call = null;
    this._emit(name, value);
  };

  Attended.prototype._fail = function (run, error) {
    this._finish(run, "failed", error);
  };

  Attended.prototype._send = function (message) {
    var socket = this._socket;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
  };

  Attended.prototype._stopRecorder = function () {
    var recorder = this._recorder;
    this._recorder = null;
    if (recorder && recorder.recorder.state !== "inactive") {
      try {
        recorder.recorder.stop();
      } catch (error) {
        // already stopping
      }
    }
  };

  // Records the stream; stop() resolves to its blob (or null).
  Attended.prototype._record = function (stream) {
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
      return null;
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
      recorder.start(1000);
    } catch (error) {
      return null;
    }
    var self = this;
    var handle = {
      recorder: recorder,
      stop: function () {
        if (self._recorder === handle) self._recorder = null;
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
    this._recorder = handle;
    return handle;
  };

  Attended.prototype._still = function () {
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

  function apiError(answer, what) {
    var code = typeof answer.body.code === "string" ? answer.body.code : "http-" + answer.status;
    var message = typeof answer.body.error === "string" ? answer.body.error : what + " failed";
    var name = /^authorization-/.test(code) ? "AuthorizationError" : "ApiError";
    return sdkError(name, code, message, { status: answer.status });
  }

  function essence(type) {
    return String(type || "").split(";")[0].trim() || "video/webm";
  }

  Attended.prototype.start = function (options) {
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
    this._open(run, authorization, idType).catch(function (error) {
      self._fail(run, sdkError("Error", "internal", String((error && error.message) || error)));
    });
  };

  Attended.prototype._open = async function (run, authorization, idType) {
    var camera = await this.turnOn();
    if (run !== this._run) return;
    if (camera.error) return this._fail(run, camera.error);
    var opened;
    try {
      opened = await call("POST", "", authorization, JSON.stringify({ idType: idType }), "application/json");
    } catch (error) {
      return this._fail(run, sdkError("NetworkError", "network", "opening the video: the provider API cannot be reached"));
    }
    if (run !== this._run) return;
    if (!opened.ok) return this._fail(run, apiError(opened, "opening the video"));
    this._call = {
      authorization: authorization,
      video: opened.body,
      path: "/" + encodeURIComponent(String(opened.body.id)),
      reconnects: 0,
      reconnectTimer: null,
      connected: false,
      automatic: false,
      everJoined: false,
      uploads: [],
    };
    this._say(this._hints.waiting);
    this._connect(run);
  };

  Attended.prototype._connect = function (run) {
    var self = this;
    var state = this._call;
    var url = new URL("ws/call", API);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("authorization", state.authorization);
    var socket;
    try {
      socket = new WebSocket(url.href);
    } catch (error) {
      return this._fail(run, sdkError("NetworkError", "socket", "the call service cannot be reached"));
    }
    this._socket = socket;
    var opened = false;
    socket.onopen = function () {
      opened = true;
      state.everJoined = true;
    };
    socket.onmessage = function (event) {
      if (run !== self._run || self._socket !== socket) return;
      var message;
      try {
        message = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      self._message(run, message);
    };
    socket.onclose = function () {
      if (run !== self._run || self._socket !== socket) return;
      self._socket = null;
      if (!opened && !state.everJoined) {
        return self._fail(run, sdkError("NetworkError", "call-refused", "the call service refused the call"));
      }
      self._dropped(run, true);
    };
  };

  Attended.prototype._message = function (run, message) {
    var state = this._call;
    switch (message.type) {
      case "queued":
        if (typeof message.position !== "number") return;
        this._say(this._hints.position + message.position);
        this._emit("queued", {
          position: message.position,
          estimatedWaitSeconds: Number(message.estimatedWaitSeconds) || 0,
        });
        return;
      case "agentConnected":
        if (state.reconnectTimer) {
          clearTimeout(state.reconnectTimer);
          state.reconnectTimer = null;
        }
        state.connected = true;
        state.automatic = message.automatic === true;
        this._say(this._hints.connected);
        if (state.automatic) {
          this._record(this._stream);
        } else {
          this._peer(run, Array.isArray(message.iceServers) ? message.iceServers : []);
        }
        this._emit("agentConnected", {});
        return;
      case "signal":
        if (message.data && typeof message.data === "object") this._signal(run, message.data);
        return;
      case "phaseStarting":
        if (PHASE_FILES[message.name]) this._phase(run, message.name);
        return;
      case "recordingRequested":
        this._uploadRecording(run);
        return;
      case "agentDisconnected":
        this._dropped(run, false);
        return;
      case "completed":
        this._say(this._hints.done);
        this._finish(run, "completed", { id: message.id || (state.video && state.video.id) });
        return;
      case "failed":
        var extra = typeof message.opensAt === "string" ? { opensAt: message.opensAt } : null;
        this._fail(
          run,
          sdkError(String(message.name || "Error"), String(message.reason || ""), String(message.message || ""), extra),
        );
        return;
      default:
        return;
    }
  };

  // The call dropped (the agent hung up, the peer connection failed, or the socket closed):
  // agentDisconnected, then one reconnect; a second drop, or no agent within 10 s, fails.
  Attended.prototype._dropped = function (run, socketClosed) {
    var state = this._call;
    if (!state) return;
    var wasConnected = state.connected;
    state.connected = false;
    this._closePeer();
    this._stopRecorder();
    if (wasConnected || (socketClosed && !state.reconnectTimer)) this._emit("agentDisconnected", {});
    if (run !== this._run) return;
    if (state.reconnects >= 1 && !state.reconnectTimer) {
      return this._fail(run, sdkError("AgentDisconnected", "dropped", "the call dropped and did not come back"));
    }
    if (!state.reconnectTimer) {
      state.reconnects++;
      var self = this;
      state.reconnectTimer = this._later(RECONNECT_MS, run, function () {
        state.reconnectTimer = null;
        self._fail(run, sdkError("AgentDisconnected", "dropped", "the call dropped and did not come back"));
      });
    }
    this._say(this._hints.dropped);
    if (socketClosed) {
      var again = this;
      this._later(1000, run, function () {
        again._connect(run);
      });
    }
  };

  Attended.prototype._peer = function (run, iceServers) {
    var self = this;
    this._closePeer();
    var pc = new RTCPeerConnection({ iceServers: iceServers });
    this._pc = pc;
    if (this._stream) {
      var stream = this._stream;
      stream.getTracks().forEach(function (track) {
        pc.addTrack(track, stream);
      });
    }
    pc.onicecandidate = function (event) {
      if (event.candidate) self._send({ type: "signal", data: { candidate: event.candidate.toJSON() } });
    };
    pc.ontrack = function (event) {
      if (!self._view) return;
      var remote = event.streams && event.streams[0];
      if (!remote) {
        remote = self._remote || new MediaStream();
        remote.addTrack(event.track);
      }
      self._remote = remote;
      var agent = self._view.agent;
      if (agent.srcObject !== remote) agent.srcObject = remote;
      agent.style.display = "block";
      var playing = agent.play();
      // A browser that blocks sound without a gesture still shows the agent (muted).
      if (playing && playing.catch) {
        playing.catch(function () {
          agent.muted = true;
          var again = agent.play();
          if (again && again.catch) again.catch(function () {});
        });
      }
    };
    pc.onconnectionstatechange = function () {
      if (self._pc !== pc) return;
      if (pc.connectionState === "connected") keepResolution(pc);
      if (pc.connectionState === "failed") self._dropped(run, false);
    };
  };

  // The agent takes stills from the received video: ask the encoder to drop frames rather
  // than resolution when the link or the CPU is short.
  function keepResolution(pc) {
    pc.getSenders().forEach(function (sender) {
      if (!sender.track || sender.track.kind !== "video" || !sender.getParameters) return;
      try {
        var parameters = sender.getParameters();
        parameters.degradationPreference = "maintain-resolution";
        var set = sender.setParameters(parameters);
        if (set && set.catch) set.catch(function () {});
      } catch (error) {
        // not supported: the browser's default
      }
    });
  }

  Attended.prototype._signal = async function (run, data) {
    var pc = this._pc;
    if (!pc) return;
    try {
      if (data.description) {
        await pc.setRemoteDescription(data.description);
        if (data.description.type === "offer") {
          await pc.setLocalDescription(await pc.createAnswer());
          if (run !== this._run || this._pc !== pc) return;
          this._send({ type: "signal", data: { description: pc.localDescription.toJSON() } });
        }
      } else if (data.candidate) {
        await pc.addIceCandidate(data.candidate);
      }
    } catch (error) {
      // A bad description or candidate from the other side: the connection state tells.
    }
  };

  Attended.prototype._phase = function (run, name) {
    var self = this;
    var state = this._call;
    var continued = false;
    this._say(this._hints[name] || "");
    var phase = {
      name: name,
      continue: function () {
        if (continued || run !== self._run) return;
        continued = true;
        self._send({ type: "continue", phase: name });
        if (state.automatic) self._later(AUTO_PHASE_MS, run, function () {
          self._autoStill(run, name);
        });
      },
    };
    if (this._emit("phaseStarting", phase) === 0) phase.continue();
  };

  // The automatic agent has no browser: the SDK takes the still itself and uploads it.
  Attended.prototype._autoStill = async function (run, name) {
    var state = this._call;
    var still = await this._still();
    if (run !== this._run) return;
    if (!still) return this._fail(run, sdkError("MediaError", "no-frame", "the camera gave no picture"));
    var answer;
    try {
      answer = await call("PUT", state.path + "/images/" + PHASE_FILES[name], state.authorization, still, "image/jpeg");
    } catch (error) {
      return this._fail(run, sdkError("NetworkError", "network", "uploading: the provider API cannot be reached"));
    }
    if (run !== this._run) return;
    if (!answer.ok) return this._fail(run, apiError(answer, "uploading"));
    this._send({ type: "captured", phase: name });
  };

  Attended.prototype._uploadRecording = async function (run) {
    var state = this._call;
    var recording = this._recorder;
    var blob = recording ? await recording.stop() : null;
    if (run !== this._run) return;
    if (!blob || blob.size === 0) {
      return this._fail(run, sdkError("RecordingError", "recording-empty", "the recording was empty"));
    }
    var answer;
    try {
      answer = await call("PUT", state.path + "/recording", state.authorization, blob, essence(blob.type));
    } catch (error) {
      return this._fail(run, sdkError("NetworkError", "network", "uploading: the provider API cannot be reached"));
    }
    if (run !== this._run) return;
    if (!answer.ok) return this._fail(run, apiError(answer, "uploading"));
    this._send({ type: "recordingUploaded" });
  };

  function videoIDAttended(target, options) {
    return new Attended(target, options);
  }
  videoIDAttended.simulated = true;

  window.EID = window.EID || {};
  window.EID.videoIDAttended = videoIDAttended;
})();
