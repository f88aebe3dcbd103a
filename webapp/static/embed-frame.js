/* The frame side of the widget (see widget.js for the portal side).
 *
 * The server marks <html> with
 *   data-embed-host    the portal origin it checked against WIDGET_ALLOWED_ORIGINS;
 *   data-embed-step    "1" on a page the person reached by acting inside the frame
 *                      (not on the first page the portal loads);
 *   data-embed-path    the page's own address, data-embed-resume the resume page's,
 *   data-embed-frame   where the frame's pages start (a link there stays in the frame).
 * This script
 *   - tells the portal how tall the page is, now and whenever that changes, so the iframe
 *     never needs its own scrollbar;
 *   - on a step, asks the portal to scroll the widget into view and moves focus to the
 *     error summary, or else the page heading;
 *   - follows links to other frame pages by posting the #embed-nav form, which carries the
 *     answers: there is no cookie to carry them; links to any other page open on their own
 *     (they would refuse to be framed, or leave the portal's frame showing another site);
 *   - keeps the browser's Back and Forward working: each page leaves in its history entry
 *     (history.state, which lives and dies with the tab's history) its address and the
 *     answers, under the resume page's URL; the resume page posts them back to that address
 *     (with the newest answers of any entry, where the Navigation API can read them).
 *     Without this, Back would land on a form result and ask to resubmit it.
 * Messages go only to that portal origin, never "*".
 */
(function () {
  "use strict";

  var root = document.documentElement;
  var host = root.getAttribute("data-embed-host");
  var framed = window.parent !== window;
  var step = root.getAttribute("data-embed-step") === "1";
  var path = root.getAttribute("data-embed-path");
  var resumeUrl = root.getAttribute("data-embed-resume");
  var framePrefix = root.getAttribute("data-embed-frame");
  var KEY = "dbcWidget";

  function send(message) {
    if (framed && host) {
      message.type = "dbc-widget";
      window.parent.postMessage(message, host);
    }
  }

  var lastHeight = 0;
  function height() {
    // The document's own height, not scrollHeight (which never drops below the
    // iframe's current height, so the widget could grow but never shrink).
    var h = Math.ceil(root.getBoundingClientRect().height);
    if (h !== lastHeight) {
      lastHeight = h;
      send({ event: "height", height: h });
    }
  }

  function focusTarget() {
    var target = document.querySelector("[data-embed-focus]") ||
      document.querySelector(".error-summary") ||
      document.querySelector("main h1") || document.querySelector("h1");
    if (!target) {
      return;
    }
    if (!target.hasAttribute("tabindex")) {
      target.setAttribute("tabindex", "-1");
    }
    // The portal scrolls the frame into view; scrolling here too would fight it.
    target.focus({ preventScroll: framed });
  }

  function navigate(action, token) {
    var nav = document.getElementById("embed-nav");
    if (!nav) {
      return false;
    }
    if (token) {
      nav.querySelector("input[name=_embed_state]").value = token;
    }
    nav.setAttribute("action", action);
    nav.submit();
    return true;
  }

  function currentToken() {
    var field = document.querySelector("input[name=_embed_state]");
    return field ? field.value : null;
  }

  function saved(state) {
    var entry = state && state[KEY];
    return entry && entry.path && entry.token ? entry : null;
  }

  function newestAnswers() {
    // Like the site's session cookie, the answers are the person's latest, whichever step
    // Back or Forward shows: with the Navigation API, read every entry this frame left.
    var newest = null;
    if (window.navigation && window.navigation.entries) {
      window.navigation.entries().forEach(function (entry) {
        var found = saved(entry.getState());
        if (found && (!newest || found.time > newest.time)) {
          newest = found;
        }
      });
    }
    return newest;
  }

  // The resume page: go back to the page this history entry stood for, with the answers.
  // Submitting before the page has finished loading replaces this entry instead of adding one.
  if (root.hasAttribute("data-embed-resuming")) {
    var here = saved(window.history.state);
    var latest = newestAnswers();
    if (here && navigate(here.path, (latest || here).token)) {
      return;
    }
    root.removeAttribute("data-embed-resuming"); // nothing to resume: the page says so
  } else if (path && resumeUrl && window.history.replaceState && currentToken()) {
    var state = {};
    state[KEY] = { path: path, token: currentToken(), time: Date.now() };
    window.history.replaceState(state, "", resumeUrl);
    if (window.navigation && window.navigation.updateCurrentEntry) {
      window.navigation.updateCurrentEntry({ state: state });
    }
  }

  function inFrame(link) {
    // A link to another page of the frame: same origin, under the frame's prefix.
    var href = link.getAttribute("href") || "";
    if (!framePrefix || link.target || href.charAt(0) === "#" || !/^https?:$/.test(link.protocol)) {
      return null;
    }
    var url = new URL(link.href);
    var path = url.pathname;
    if (url.origin !== window.location.origin ||
        (path !== framePrefix && path.indexOf(framePrefix + "/") !== 0)) {
      return null;
    }
    return path + url.search;
  }

  Array.prototype.forEach.call(document.querySelectorAll("a[href]"), function (link) {
    var outside = /^https?:$/.test(link.protocol) && !link.target && inFrame(link) === null &&
      link.getAttribute("href").charAt(0) !== "#" && framePrefix;
    if (outside) {
      link.target = "_blank";
      link.rel = "noopener";
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href]") : null;
    var target = link ? inFrame(link) : null;
    if (!target || event.defaultPrevented || event.button !== 0 ||
        event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) {
      return;
    }
    if (navigate(target)) {
      event.preventDefault();
    }
  });

  height();
  if (window.ResizeObserver) {
    new ResizeObserver(height).observe(root);
  }
  window.addEventListener("load", height);
  window.addEventListener("resize", height);

  if (step) {
    send({ event: "step" });
    focusTarget();
  }
})();
