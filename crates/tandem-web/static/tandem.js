// Tandem's one script. Every page works without it; it only saves a click or a reload.
//
// After a refused form: the error summary takes the focus, so a screen reader reads what to put
// right first (the summary's `autofocus` does the same where the browser honours it).
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary && document.activeElement !== summary) {
    summary.focus();
  }
})();

// Limited text boxes: the hint under them says how many characters are left as the person
// types (GOV.UK's character count); without the script the hint states the limit.
(function () {
  "use strict";
  var boxes = document.querySelectorAll("[data-maxlength]");
  Array.prototype.forEach.call(boxes, function (box) {
    var limit = parseInt(box.getAttribute("data-maxlength"), 10);
    var message = document.getElementById(box.id + "-count");
    if (!message || !limit) {
      return;
    }
    function update() {
      var left = limit - box.value.length;
      var over = left < 0;
      var count = Math.abs(left);
      message.textContent =
        "You have " + count + " character" + (count === 1 ? "" : "s") + (over ? " too many" : " remaining");
      message.className = "hint character-count__message" + (over ? " character-count__message--over" : "");
    }
    box.addEventListener("input", update);
    update();
  });
})();

// The matching board: while a proposal is worked out in the background, follow its progress
// and show the result when it is ready, instead of asking the coordinator to check again.
(function () {
  "use strict";
  var region = document.querySelector("[data-proposal-progress]");
  if (!region || !window.fetch) {
    return;
  }
  var url = region.getAttribute("data-proposal-progress");
  var bar = region.querySelector("progress");
  var words = region.querySelector("[data-proposal-words]");
  function poll() {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (reply) {
        return reply.ok ? reply.json() : null;
      })
      .then(function (job) {
        if (!job) {
          window.setTimeout(poll, 5000);
          return;
        }
        if (job.state !== "running") {
          // The same page the form's redirect gives when the answer comes at once (this
          // answer carried its notice); a proposal that stopped says why on the board itself.
          window.location.assign(
            job.state === "done" ? window.location.pathname : window.location.pathname + "#proposal"
          );
          return;
        }
        if (bar) {
          bar.value = job.percent;
          bar.textContent = job.percent + "%";
        }
        if (words && words.textContent !== job.words) {
          words.textContent = job.words;
        }
        window.setTimeout(poll, 1000);
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
