// The RA console's live interview (served by the Assure simulator at /ra/static/call.js).
// The agent's camera and microphone, a WebRTC call with the end-user (the agent offers; the
// simulator's socket /ra/ws relays the offer, answer and candidates; no ICE servers), the
// prompts FRONT/BACK/FACE, stills taken from the received video at its full size, and a
// recording of the user's stream uploaded when the agent hangs up.
// Plain ES2017 under the page's strict CSP (no inline scripts or styles).
(function () {
  "use strict";

  var RECORDING_TYPES = ["video/webm;codecs=vp8,opus", "video/webm", "video/mp4"];
  var FILES = { FRONT: "front", BACK: "back", FACE: "face" };

  var root = document.getElementById("call");
  if (!root) return;
  var processId = root.getAttribute("data-process-id");
  var csrf = root.getAttribute("data-csrf");
  var statusLine = document.getElementById("call-status");
  var remoteVideo = document.getElementById("remote-video");
  var localVideo = document.getElementById("local-video");
  var askButtons = [
    document.getElementById("ask-front"),
    document.getElementById("ask-back"),
    document.getElementById("ask-face"),
  ];
  var takeStill = document.getElementById("take-still");
  var phaseLabel = document.getElementById("phase");
  var stillList = document.getElementById("stills");
  var hangUp = document.getElementById("hang-up");
  var register = document.getElementById("register");

  var socket = null;
  var pc = null;
  var local = null;
  var remote = null;
  var recorder = null;
  var chunks = [];
  var phases = [];
  var phase = null;
  var ended = false;

  function status(state, text) {
    statusLine.setAttribute("data-state", state);
    statusLine.textContent = text;
  }

  function send(message) {
    message.processId = processId;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify(message));
  }

  function controls(on) {
    askButtons.forEach(function (b) {
      b.disabled = !on || phases.indexOf(b.getAttribute("data-phase")) < 0;
    });
    takeStill.disabled = !on || !phase;
    hangUp.disabled = !on;
  }

  function stopTracks(stream) {
    if (stream) stream.getTracks().forEach(function (t) {
      t.stop();
    });
  }

  // Every end: the call's media and the agent's camera and microphone off.
  function endMedia() {
    controls(false);
    if (recorder && recorder.state !== "inactive") {
      try {
        recorder.stop();
      } catch (error) {
        // stopping already
      }
    }
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.onconnectionstatechange = null;
      pc.close();
      pc = null;
    }
    stopTracks(local);
    local = null;
    localVideo.srcObject = null;
    remoteVideo.srcObject = null;
  }

  function finish(state, text) {
    if (ended) return;
    ended = true;
    endMedia();
    status(state, text);
    if (socket) {
      socket.onclose = null;
      socket.close(1000, "done");
      socket = null;
    }
  }

  function startRecording() {
    if (recorder || !remote || typeof MediaRecorder !== "function") return;
    var type = null;
    for (var i = 0; i < RECORDING_TYPES.length; i++) {
      if (MediaRecorder.isTypeSupported(RECORDING_TYPES[i])) {
        type = RECORDING_TYPES[i];
        break;
      }
    }
    try {
      recorder = type ? new MediaRecorder(remote, { mimeType: type }) : new MediaRecorder(remote);
    } catch (error) {
      recorder = null;
      return;
    }
    chunks = [];
    recorder.ondataavailable = function (event) {
      if (event.data && event.data.size > 0) chunks.push(event.data);
    };
    recorder.start(1000);
    root.setAttribute("data-recording", "on");
  }

  function stopRecording() {
    return new Promise(function (resolve) {
      if (!recorder || recorder.state === "inactive") return resolve(null);
      var r = recorder;
      var timer = setTimeout(function () {
        resolve(null);
      }, 5000);
      r.onstop = function () {
        clearTimeout(timer);
        var type = (chunks[0] && chunks[0].type) || r.mimeType || "video/webm";
        resolve(new Blob(chunks, { type: type }));
      };
      r.stop();
    });
  }

  function upload(path, blob, type) {
    return fetch("/ra/calls/" + encodeURIComponent(processId) + path, {
      method: "PUT",
      headers: { "Content-Type": type, "X-CSRF-Token": csrf },
      body: blob,
      credentials: "same-origin",
    }).then(function (response) {
      return response.json().then(
        function (body) {
          return { ok: response.ok, body: body };
        },
        function () {
          return { ok: response.ok, body: {} };
        },
      );
    });
  }

  function connectPeer(iceServers) {
    pc = new RTCPeerConnection({ iceServers: iceServers });
    local.getTracks().forEach(function (track) {
      pc.addTrack(track, local);
    });
    pc.onicecandidate = function (event) {
      if (event.candidate) send({ type: "signal", data: { candidate: event.candidate.toJSON() } });
    };
    pc.ontrack = function (event) {
      remote = (event.streams && event.streams[0]) || remote || new MediaStream([event.track]);
      if (remoteVideo.srcObject !== remote) remoteVideo.srcObject = remote;
      var playing = remoteVideo.play();
      // Without a gesture some browsers block sound: show the user muted rather than nothing.
      if (playing && playing.catch) {
        playing.catch(function () {
          remoteVideo.muted = true;
          var again = remoteVideo.play();
          if (again && again.catch) again.catch(function () {});
        });
      }
    };
    pc.onconnectionstatechange = function () {
      if (!pc) return;
      if (pc.connectionState === "connected") {
        status("connected", "On the call with the user of process " + processId + ".");
        startRecording();
      } else if (pc.connectionState === "failed") {
        status("media-failed", "The media connection failed.");
      }
    };
    pc.createOffer()
      .then(function (offer) {
        return pc.setLocalDescription(offer);
      })
      .then(function () {
        send({ type: "signal", data: { description: pc.localDescription.toJSON() } });
      })
      .catch(function (error) {
        status("error", "The call could not start: " + error.message);
      });
  }

  function onSignal(data) {
    if (!pc) return;
    var done = data.description
      ? pc.setRemoteDescription(data.description)
      : data.candidate
        ? pc.addIceCandidate(data.candidate)
        : Promise.resolve();
    done.catch(function () {});
  }

  function onMessage(message) {
    switch (message.type) {
      case "queue":
        if (!pc && !ended && statusLine.getAttribute("data-state") === "connecting") {
          status("picking-up", "Picking up…");
          send({ type: "pickUp" });
        }
        return;
      case "pickedUp":
        phases = Array.isArray(message.phases) ? message.phases : [];
        status("ringing", "Connecting the media…");
        connectPeer(Array.isArray(message.iceServers) ? message.iceServers : []);
        controls(true);
        return;
      case "signal":
        if (message.data) onSignal(message.data);
        return;
      case "phaseReady":
        phaseLabel.textContent = "The user is ready: " + message.phase;
        phaseLabel.setAttribute("data-ready", message.phase);
        return;
      case "userLeft":
        finish("user-left", "The user left the call.");
        return;
      case "ended":
        if (message.completed) {
          finish("completed", "The call ended and its media are in: register the process below.");
          register.hidden = false;
        } else {
          finish("dropped", "The call ended before its media were in: the user waits again.");
        }
        return;
      case "error":
        if (message.processId && message.processId !== processId) return;
        if (message.code === "not-waiting" || message.code === "closed") {
          finish("unavailable", message.message || "This call is not waiting.");
        } else {
          status("error", message.message || "Refused.");
        }
        return;
      default:
        return;
    }
  }

  askButtons.forEach(function (button) {
    button.addEventListener("click", function () {
      phase = button.getAttribute("data-phase");
      phaseLabel.textContent = "Asked for " + phase;
      phaseLabel.setAttribute("data-asked", phase);
      phaseLabel.removeAttribute("data-ready");
      send({ type: "prompt", phase: phase });
      takeStill.disabled = false;
    });
  });

  takeStill.addEventListener("click", function () {
    if (!phase || !remoteVideo.videoWidth) {
      status(statusLine.getAttribute("data-state"), "No picture from the user yet.");
      return;
    }
    var canvas = document.createElement("canvas");
    canvas.width = remoteVideo.videoWidth;
    canvas.height = remoteVideo.videoHeight;
    canvas.getContext("2d").drawImage(remoteVideo, 0, 0, canvas.width, canvas.height);
    var taken = phase;
    canvas.toBlob(
      function (blob) {
        if (!blob) return;
        upload("/images/" + FILES[taken], blob, "image/jpeg").then(
          function (answer) {
            var item = document.createElement("li");
            item.setAttribute("data-phase", taken);
            item.setAttribute("data-uploaded", answer.ok ? "yes" : "no");
            item.setAttribute("data-width", String(canvas.width));
            item.textContent =
              taken + ": " + canvas.width + "×" + canvas.height + (answer.ok ? " uploaded" : " refused: " + answer.body.error);
            var old = stillList.querySelector('li[data-phase="' + taken + '"]');
            if (old) stillList.removeChild(old);
            stillList.appendChild(item);
          },
          function () {
            status(statusLine.getAttribute("data-state"), "The still could not be uploaded.");
          },
        );
      },
      "image/jpeg",
      0.92,
    );
  });

  hangUp.addEventListener("click", function () {
    hangUp.disabled = true;
    status("hanging-up", "Hanging up: uploading the recording…");
    stopRecording()
      .then(function (blob) {
        if (!blob || blob.size === 0) return null;
        var type = String(blob.type || "video/webm").split(";")[0];
        return upload("/recording", blob, type);
      })
      .then(
        function (answer) {
          root.setAttribute("data-recording", answer && answer.ok ? "uploaded" : "none");
          send({ type: "hangUp" });
        },
        function () {
          root.setAttribute("data-recording", "failed");
          send({ type: "hangUp" });
        },
      );
  });

  window.addEventListener("pagehide", function () {
    endMedia();
  });

  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    status("error", "This browser has no camera access.");
    return;
  }
  navigator.mediaDevices
    .getUserMedia({ video: { width: { ideal: 1280 }, height: { ideal: 720 } }, audio: true })
    .then(function (stream) {
      local = stream;
      localVideo.srcObject = stream;
      var playing = localVideo.play();
      if (playing && playing.catch) playing.catch(function () {});
      var url = new URL("/ra/ws", location.href);
      url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
      socket = new WebSocket(url.href);
      socket.onmessage = function (event) {
        var message;
        try {
          message = JSON.parse(event.data);
        } catch (error) {
          return;
        }
        onMessage(message);
      };
      socket.onclose = function () {
        socket = null;
        finish("closed", "The console's connection closed.");
      };
    })
    .catch(function (error) {
      status("error", "The camera could not be opened: " + error.message);
    });
})();
