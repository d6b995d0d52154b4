// Live parts of an admin page, without a build step or a library: while the server says a sync
// runs (`#live[data-running=true]`), fetch the part again every few seconds, under the same
// session, and swap it in when it changed. Polling stops when nothing runs, when the part has
// not changed for a while (a run the host died in still reads "syncing"); a hidden tab waits;
// when the session ends or the service fails it stops and says so.
(function () {
  "use strict";
  var UNCHANGED_POLLS = 30;
  var MAX_FAILURES = 3;
  // However busy, a page stops asking after this long (a reload follows the sync again).
  var MAX_POLLING_MS = 30 * 60 * 1000;
  var unchanged = 0;
  var failures = 0;
  var started = Date.now();

  // What a part says, less what only the clock moves (lags, next runs due now: `.ticks`).
  function steady(el) {
    var copy = el.cloneNode(true);
    copy.querySelectorAll(".ticks").forEach(function (t) {
      t.textContent = "";
    });
    return el.getAttribute("data-running") + "|" + copy.innerHTML;
  }

  function part() {
    return document.getElementById("live");
  }

  function every() {
    var ms = parseInt(part().getAttribute("data-every"), 10);
    return ms > 0 ? ms : 3000;
  }

  function stop(note) {
    var el = part();
    el.setAttribute("data-polling", "stopped");
    var shown = document.getElementById("live-note");
    if (note && shown) {
      shown.textContent = note;
    }
  }

  function poll() {
    var el = part();
    if (el.getAttribute("data-running") !== "true") {
      stop();
      return;
    }
    if (document.hidden) {
      setTimeout(poll, every());
      return;
    }
    fetch(el.getAttribute("data-live-url"), {
      credentials: "same-origin",
      headers: { accept: "text/html" },
      redirect: "manual",
    })
      .then(function (answer) {
        if (answer.type === "opaqueredirect") {
          throw { note: "Live updates stopped: your session ended. Sign in again." };
        }
        if (!answer.ok) {
          throw { note: "Live updates stopped (the service answered " + answer.status + "): reload the page." };
        }
        return answer.text();
      })
      .then(function (text) {
        failures = 0;
        var next = new DOMParser().parseFromString(text, "text/html").getElementById("live");
        if (!next) {
          throw { note: "Live updates stopped: reload the page." };
        }
        if (steady(next) === steady(el)) {
          unchanged += 1;
        } else {
          unchanged = 0;
          next.setAttribute("data-polling", "on");
          el.replaceWith(next);
        }
        if (unchanged >= UNCHANGED_POLLS || Date.now() - started > MAX_POLLING_MS) {
          stop("Live updates paused: reload the page to follow the sync again.");
          return;
        }
        setTimeout(poll, every());
      })
      .catch(function (error) {
        if (error && error.note) {
          stop(error.note);
          return;
        }
        failures += 1;
        if (failures > MAX_FAILURES) {
          stop("Live updates stopped: the service does not answer. Reload the page.");
          return;
        }
        setTimeout(poll, every() * 2 * failures);
      });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var el = part();
    if (el && el.getAttribute("data-running") === "true") {
      el.setAttribute("data-polling", "on");
      setTimeout(poll, every());
    }
  });
})();
