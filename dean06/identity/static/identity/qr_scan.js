// The card scan page (/quet-ma-qr/). The form works without this script (USB text and photo are plain
// form posts, upgraded by htmx); the script adds the live camera scan: every 400 ms a frame is drawn to a
// canvas and posted as a JPEG to the server, which decodes it with zxing-cpp, until a card is read.
(function () {
  "use strict";

  const INTERVAL_MS = 400;
  const FRAME_WIDTH = 960; // enough for the card's QR code, small enough to post twice a second

  const form = document.getElementById("qr-scan-form");
  if (!form) {
    return;
  }
  const result = document.getElementById("card-result");
  const payload = form.elements.namedItem("payload");
  const photo = form.elements.namedItem("image");
  const csrfToken = form.elements.namedItem("csrfmiddlewaretoken").value;

  // Ready for the next card: the scanner types into an empty, focused field.
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt === form && event.detail.successful) {
      payload.value = "";
      photo.value = "";
      payload.focus();
    }
  });

  // A photo just taken or chosen is read at once.
  photo.addEventListener("change", function () {
    if (photo.files.length) {
      form.requestSubmit(document.getElementById("read-photo"));
    }
  });

  const camera = document.getElementById("camera");
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return; // no camera API (or not HTTPS): the section stays hidden
  }
  camera.hidden = false;
  const start = document.getElementById("camera-start");
  const stop = document.getElementById("camera-stop");
  const video = document.getElementById("camera-video");
  const status = document.getElementById("camera-status");
  const canvas = document.createElement("canvas");
  let stream = null;
  let timer = null;
  let sending = false;

  function say(key) {
    status.textContent = camera.dataset[key];
  }

  async function begin() {
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 1280 } },
        audio: false,
      });
    } catch (error) {
      say("msgDenied");
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    start.hidden = true;
    stop.hidden = false;
    say("msgScanning");
    timer = window.setInterval(grab, INTERVAL_MS);
  }

  function end() {
    window.clearInterval(timer);
    timer = null;
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    video.srcObject = null;
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function grab() {
    if (sending || !video.videoWidth) {
      return; // the previous frame is still on its way, or the camera is not ready
    }
    sending = true;
    const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext("2d").drawImage(video, 0, 0, canvas.width, canvas.height);
    canvas.toBlob(send, "image/jpeg", 0.85);
  }

  async function send(blob) {
    const body = new FormData();
    body.append("frame", blob, "frame.jpg");
    try {
      // No redirects followed: an expired session must not put the login page into the result panel.
      const response = await fetch(form.dataset.frameUrl, {
        method: "POST",
        body: body,
        headers: { "X-CSRFToken": csrfToken },
        credentials: "same-origin",
        redirect: "manual",
      });
      if (response.status === 200) {
        result.innerHTML = await response.text(); // the server-rendered result panel
        if (response.headers.get("X-Card-Found") === "true") {
          end();
          say("msgFound");
        }
      } else if (response.status !== 204) {
        end();
        say("msgFailed");
      }
    } catch (error) {
      end();
      say("msgFailed");
    } finally {
      sending = false;
    }
  }

  start.addEventListener("click", begin);
  stop.addEventListener("click", function () {
    end();
    status.textContent = "";
  });
})();
