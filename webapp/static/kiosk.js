/* Kiosk enhancements (issue 4): idle warning and wipe, read-aloud, on-screen number pad,
 * settings switches without a reload. Everything here enhances server-rendered pages:
 * the forms it intercepts also work without it.
 *
 * The layout (templates/kiosk/layout.html) provides:
 *   <body data-kiosk-idle="120" data-kiosk-warning="30" data-kiosk-speech="on|off"
 *         data-kiosk-keepalive="/kiosk/keepalive">
 *   #kiosk-end-form (POST, wipes), #kiosk-settings (POST), #kiosk-idle-dialog (<dialog>),
 *   #kiosk-speech-toggle, #kiosk-speech-repeat, #kiosk-speech-pause, #kiosk-status (role=status),
 *   <template id="kiosk-numpad-template">, and strings in #kiosk-strings data-* attributes.
 */
(function () {
  "use strict";

  var body = document.body;
  if (!body || !body.hasAttribute("data-kiosk-idle")) { return; }

  var strings = (document.getElementById("kiosk-strings") || {}).dataset || {};
  var statusRegion = document.getElementById("kiosk-status");

  function say(text) {
    // Polite announcement for screen-reader users (and tests); speech users hear it spoken too.
    if (!statusRegion) { return; }
    statusRegion.textContent = "";
    window.setTimeout(function () { statusRegion.textContent = text; }, 30);
  }

  function fill(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (_, key) {
      return values[key] !== undefined ? values[key] : "";
    });
  }

  // A page restored from the back/forward cache may show the previous person's answers:
  // always fetch it again (the server answers no-store, and without a session, the start page).
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) { window.location.reload(); }
  });

  // Nor may the browser keep what was chosen in a form and bring it back on Back: it would
  // refill a page fetched anew for the next person. autocomplete=off stops Chromium saving
  // form state; a page reached by Back/Forward shows only what the server rendered.
  Array.prototype.forEach.call(document.forms, function (form) {
    form.setAttribute("autocomplete", "off");
  });
  var navigation = window.performance && performance.getEntriesByType ?
    performance.getEntriesByType("navigation")[0] : null;
  if (navigation && navigation.type === "back_forward") {
    Array.prototype.forEach.call(document.forms, function (form) { form.reset(); });
  }

  // The kiosk bar stays on screen: whatever takes focus is scrolled clear of it (WCAG 2.4.11),
  // however many rows the bar wraps to at this size and orientation.
  var bar = document.querySelector(".kiosk-bar");
  function clearBar() {
    if (bar) { document.documentElement.style.scrollPaddingTop = (bar.offsetHeight + 16) + "px"; }
  }
  clearBar();
  if (window.ResizeObserver && bar) { new ResizeObserver(clearBar).observe(bar); }

  /* ------------------------------------------------------------------ read aloud */

  var Speech = (function () {
    var synth = window.speechSynthesis;
    var supported = !!(synth && window.SpeechSynthesisUtterance);
    var lang = document.documentElement.lang || "zh-CN";
    var STOP = lang.indexOf("zh") === 0 ? "。" : ". ";   // between the parts of what is said
    var on = body.getAttribute("data-kiosk-speech") === "on";
    var toggle = document.getElementById("kiosk-speech-toggle");
    var repeatButton = document.getElementById("kiosk-speech-repeat");
    var pauseButton = document.getElementById("kiosk-speech-pause");
    var paused = false;
    var speaking = false;

    function voice() {
      if (!supported || !synth.getVoices) { return null; }
      var voices = synth.getVoices() || [];
      var base = lang.toLowerCase().split("-")[0];
      var exact = null, close = null;
      for (var i = 0; i < voices.length; i++) {
        var vlang = (voices[i].lang || "").toLowerCase().replace("_", "-");
        if (vlang === lang.toLowerCase()) { exact = exact || voices[i]; }
        else if (vlang.split("-")[0] === base) { close = close || voices[i]; }
      }
      return exact || close;
    }

    function stop() {
      paused = false;
      speaking = false;
      if (supported) { synth.cancel(); }
      updatePause();
    }

    function speak(texts, force) {
      if (!supported || (!on && !force)) { return; }
      stop();
      var list = [].concat(texts).map(function (t) { return String(t || "").replace(/\s+/g, " ").trim(); })
        .filter(Boolean);
      if (!list.length) { return; }
      var chosen = voice();
      speaking = true;
      list.forEach(function (text, index) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = lang;
        if (chosen) { utterance.voice = chosen; }
        if (index === list.length - 1) {
          utterance.onend = function () { speaking = false; paused = false; updatePause(); Idle.touch(); };
        }
        synth.speak(utterance);
      });
      updatePause();
    }

    function visible(el) {
      if (el.closest("[hidden],[aria-hidden='true'],template,script,noscript,.kiosk-no-speak")) { return false; }
      return el.getClientRects().length > 0;
    }

    function blockOf(el, root) {
      for (var node = el; node && node !== root; node = node.parentElement) {
        var display = window.getComputedStyle(node).display;
        if (display !== "inline" && display !== "contents") { return node; }
      }
      return root;
    }

    // The text of the page's main content in reading order, one chunk per block (so a long
    // result can be paused and repeated): question, hint, errors, each option and whether it
    // is chosen, results. Text hidden from screen readers is skipped; text only for them is read.
    function pageText() {
      var root = document.getElementById("main-content") || document.querySelector("main") || body;
      var chunks = [];
      var block = null;
      var text = "";
      function flush() {
        var said = text.replace(/\s+/g, " ").trim();
        if (said && block && block.matches("label") && block.control &&
            (block.control.type === "radio" || block.control.type === "checkbox")) {
          said += STOP + (block.control.checked ? strings.selected : strings.notSelected);
        }
        if (said) { chunks.push(said); }
        text = "";
      }
      var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var node = walker.currentNode;
        var el = node.parentElement;
        if (!node.textContent.trim() || !el || !visible(el)) { continue; }
        var owner = blockOf(el, root);
        if (owner !== block) { flush(); block = owner; }
        text += node.textContent;
      }
      flush();
      return chunks;
    }

    // The text a person would read, without parts hidden from assistive technology.
    function textOf(el) {
      var copy = el.cloneNode(true);
      Array.prototype.forEach.call(copy.querySelectorAll("[aria-hidden='true']"), function (n) { n.remove(); });
      return copy.textContent.replace(/\s+/g, " ").trim();
    }

    // What a focused control is, spoken when the reader is on (the kiosk has no screen reader).
    function describe(el) {
      if (!el || el === body || !el.getAttribute) { return ""; }
      var name = "";
      if (el.labels && el.labels.length) { name = textOf(el.labels[0]); }
      if (!name) { name = el.getAttribute("aria-label") || textOf(el) || el.value || ""; }
      name = name.replace(/\s+/g, " ").trim();
      if (el.type === "radio" || el.type === "checkbox") {
        var group = el.closest("fieldset");
        var legend = group && group.querySelector("legend");
        return [name, el.checked ? strings.selected : strings.notSelected,
                legend ? legend.textContent.replace(/\s+/g, " ").trim() : ""].filter(Boolean).join(STOP);
      }
      if (el.hasAttribute("aria-pressed")) {
        name += STOP + (el.getAttribute("aria-pressed") === "true" ? strings.switchOn : strings.switchOff);
      }
      var hint = el.getAttribute("aria-describedby");
      if (hint) {
        hint.split(/\s+/).forEach(function (id) {
          var h = document.getElementById(id);
          if (h && visible(h)) { name += STOP + h.textContent.replace(/\s+/g, " ").trim(); }
        });
      }
      return name;
    }

    function updatePause() {
      if (!pauseButton) { return; }
      pauseButton.setAttribute("aria-pressed", paused ? "true" : "false");
      pauseButton.textContent = paused ? strings.resume : strings.pause;
    }

    function setOn(value) {
      on = value;
      body.setAttribute("data-kiosk-speech", on ? "on" : "off");
      if (toggle) {
        toggle.setAttribute("aria-pressed", on ? "true" : "false");
        toggle.value = on ? "off" : "on";
        var label = toggle.querySelector(".kiosk-switch-state");
        if (label) { label.textContent = on ? strings.stateOn : strings.stateOff; }
      }
      [repeatButton, pauseButton].forEach(function (b) { if (b) { b.hidden = !on; } });
      say(on ? strings.speechOn : strings.speechOff);
      if (on) { speak([strings.speechOn].concat(pageText())); } else { stop(); }
    }

    function init() {
      if (!supported) {
        // No speech engine on this device: say so rather than offering a switch that does nothing.
        if (toggle) { toggle.setAttribute("aria-describedby", "kiosk-speech-unavailable"); }
        var note = document.getElementById("kiosk-speech-unavailable");
        if (note) { note.hidden = false; }
      }
      if (toggle) {
        toggle.addEventListener("click", function (event) {
          event.preventDefault();
          setOn(!on);
          Settings.save("speech", on ? "on" : "off");
        });
        // Reachable without sight: whoever lands on the switch hears what it is, even while off.
        toggle.addEventListener("focus", function () {
          speak(describe(toggle) + STOP + (on ? strings.speechToggleOffHelp : strings.speechToggleOnHelp), true);
        });
      }
      if (repeatButton) {
        repeatButton.addEventListener("click", function () { speak(pageText()); });
      }
      if (pauseButton) {
        pauseButton.addEventListener("click", function () {
          if (!supported) { return; }
          if (paused) { synth.resume(); paused = false; }
          else if (speaking || synth.speaking) { synth.pause(); paused = true; }
          updatePause();
        });
      }
      // Speech stops when the person acts (EN 301 549 5.1.3.5) and says what they landed on.
      document.addEventListener("focusin", function (event) {
        var el = event.target;
        if (!on || el === toggle || el === repeatButton || el === pauseButton) { return; }
        if (el.closest && el.closest("#kiosk-idle-dialog")) { return; }
        speak(describe(el));
      });
      document.addEventListener("change", function (event) {
        var el = event.target;
        if (on && (el.type === "radio" || el.type === "checkbox")) { speak(describe(el)); }
      });
      if (on) {
        [repeatButton, pauseButton].forEach(function (b) { if (b) { b.hidden = false; } });
        window.setTimeout(function () { if (!speaking) { speak(pageText()); } }, 300);
      }
    }

    return { init: init, speak: speak, stop: stop, pageText: pageText, isOn: function () { return on; },
             isSpeaking: function () { return speaking && !paused; } };
  }());

  /* ------------------------------------------------------------------ settings */

  // What every form of the page carries (the CSRF token, the desk's defaults; see the form
  // macro): a request the script sends carries it too.
  function withToken(data) {
    var form = document.getElementById("kiosk-end-form");
    Array.prototype.forEach.call(form ? form.querySelectorAll("input[data-carried]") : [], function (field) {
      data.append(field.name, field.value);
    });
    return data;
  }

  var Settings = {
    form: document.getElementById("kiosk-settings"),
    save: function (name, value) {
      // Persist a switch in the signed session (so the next page renders it) without a reload.
      if (!this.form || !window.fetch) { return; }
      var data = withToken(new FormData());
      data.append(name, value);
      data.append("ajax", "1");
      window.fetch(this.form.action, { method: "POST", body: data, credentials: "same-origin",
                                       headers: { "Accept": "application/json" } })
        .catch(function () { /* the switch still works on this page */ });
    }
  };

  /* ------------------------------------------------------------------ idle timeout */

  var Idle = (function () {
    var idleMs = Math.max(1, parseFloat(body.getAttribute("data-kiosk-idle")) || 120) * 1000;
    var warnMs = Math.max(1, parseFloat(body.getAttribute("data-kiosk-warning")) || 30) * 1000;
    var keepaliveUrl = body.getAttribute("data-kiosk-keepalive");
    var dialog = document.getElementById("kiosk-idle-dialog");
    var countdown = document.getElementById("kiosk-idle-seconds");
    var live = document.getElementById("kiosk-idle-live");
    var continueButton = document.getElementById("kiosk-idle-continue");
    var endForm = document.getElementById("kiosk-end-form");
    var lastActivity = Date.now();
    var lastPing = Date.now();
    var warningSince = null;
    var returnFocus = null;
    var lastAnnounced = null;
    var wiping = false;
    var timer = null;
    // A pristine start page (nobody has begun, e.g. right after a wipe) has nothing to
    // protect: no warning until someone touches the screen.
    var started = body.getAttribute("data-kiosk-started") === "yes";

    function touch() {
      if (warningSince !== null || wiping) { return; }
      started = true;
      lastActivity = Date.now();
      // The signed session carries a server-side expiry as a backstop (JS off, tab frozen):
      // keep it fresh while the person is active without submitting anything.
      if (keepaliveUrl && window.fetch && lastActivity - lastPing > idleMs / 2) {
        lastPing = lastActivity;
        ping();
      }
    }

    function ping() {
      var data = withToken(new FormData());
      data.append("ajax", "1");
      window.fetch(keepaliveUrl, { method: "POST", body: data, credentials: "same-origin" })
        .catch(function () {});
    }

    function secondsLeft() {
      return Math.max(0, Math.ceil((warnMs - (Date.now() - warningSince)) / 1000));
    }

    function announce(left, force) {
      // Update the visible number every second, but announce only now and then (not every second).
      if (countdown) { countdown.textContent = String(left); }
      var due = force || left <= 5 || left % 10 === 0;
      if (live && due && left !== lastAnnounced) {
        lastAnnounced = left;
        live.textContent = fill(strings.idleLeft, { seconds: left });
      }
    }

    function warn() {
      warningSince = Date.now();
      lastAnnounced = null;
      returnFocus = document.activeElement && document.activeElement !== body ? document.activeElement : null;
      if (dialog) {
        if (typeof dialog.showModal === "function") {
          if (!dialog.open) { dialog.showModal(); }
        } else {
          dialog.setAttribute("open", "");
        }
        body.classList.add("kiosk-dialog-open");
      }
      announce(secondsLeft(), true);
      if (continueButton) { continueButton.focus(); }
      if (Speech.isOn()) {
        var heading = document.getElementById("kiosk-idle-title");
        var text = document.getElementById("kiosk-idle-text");
        Speech.speak([heading ? heading.textContent : "", text ? text.textContent : ""]);
      }
    }

    function resume() {
      // WCAG 2.2.1: one simple action extends, as often as needed, and returns the person to
      // exactly where they were: same page (never reloaded), same answers, same focus.
      if (warningSince === null) { return; }
      warningSince = null;
      if (dialog && dialog.open) { dialog.close(); }
      if (dialog) { dialog.removeAttribute("open"); }
      body.classList.remove("kiosk-dialog-open");
      if (live) { live.textContent = ""; }
      lastActivity = Date.now();
      lastPing = lastActivity;
      if (keepaliveUrl && window.fetch) { ping(); }
      if (returnFocus && document.contains(returnFocus)) { returnFocus.focus(); }
      returnFocus = null;
      Speech.stop();
    }

    function wipe() {
      if (wiping) { return; }
      wiping = true;
      Speech.stop();
      try { window.sessionStorage.clear(); } catch (e) { /* storage may be disabled */ }
      try { window.localStorage.clear(); } catch (e) { /* idem */ }
      if (endForm) {
        var reason = endForm.querySelector("input[name='reason']");
        if (reason) { reason.value = "timeout"; }
        endForm.submit();
      }
    }

    function tick() {
      var now = Date.now();
      if (warningSince !== null) {
        var left = secondsLeft();
        announce(left, false);
        if (left <= 0) { wipe(); }
        return;
      }
      if (!started) { lastActivity = now; return; }
      // Someone listening to a long result is not idle.
      if (Speech.isSpeaking()) { lastActivity = now; return; }
      if (now - lastActivity >= idleMs) { warn(); }
    }

    function init() {
      ["pointerdown", "keydown", "touchstart", "wheel", "input"].forEach(function (type) {
        document.addEventListener(type, touch, { capture: true, passive: true });
      });
      if (continueButton) { continueButton.addEventListener("click", resume); }
      if (dialog) {
        // Escape extends too (HMRC pattern), and the dialog is never closed any other way.
        dialog.addEventListener("cancel", function (event) { event.preventDefault(); resume(); });
      }
      if (endForm) {
        endForm.addEventListener("submit", function () {
          wiping = true;
          Speech.stop();
          try { window.sessionStorage.clear(); } catch (e) {}
          try { window.localStorage.clear(); } catch (e) {}
        });
      }
      timer = window.setInterval(tick, 250);
    }

    return { init: init, touch: touch, resume: resume, warn: warn };
  }());

  /* ------------------------------------------------------------------ number pad */

  function initNumberPads() {
    var template = document.getElementById("kiosk-numpad-template");
    if (!template || !template.content) { return; }
    var inputs = document.querySelectorAll("main input[inputmode='numeric'], main input[type='number']");
    Array.prototype.forEach.call(inputs, function (input) {
      var pad = template.content.firstElementChild.cloneNode(true);
      var max = parseInt(input.getAttribute("maxlength"), 10) || 3;
      pad.setAttribute("aria-controls", input.id);
      // A touch screen should not pop up the system keyboard: the pad is the way in.
      // A physical keyboard still types into the field.
      input.setAttribute("inputmode", "none");
      input.setAttribute("autocomplete", "off");
      pad.addEventListener("click", function (event) {
        var key = event.target.closest("button[data-key]");
        if (!key) { return; }
        var value = input.value.replace(/\D/g, "");
        var k = key.getAttribute("data-key");
        if (k === "back") { value = value.slice(0, -1); }
        else if (k === "clear") { value = ""; }
        else if (value.length < max) { value = (value === "0" ? "" : value) + k; }
        input.value = value;
        input.dispatchEvent(new Event("input", { bubbles: true }));
        say(value ? fill(strings.numpadValue, { value: value }) : strings.numpadEmpty);
        if (Speech.isOn()) { Speech.speak(value ? fill(strings.numpadValue, { value: value }) : strings.numpadEmpty); }
      });
      (input.closest(".input-wrapper") || input).insertAdjacentElement("afterend", pad);
    });
  }

  /* ------------------------------------------------------------------ other switches */

  function initPrint() {
    var print = document.getElementById("kiosk-print");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }

  Speech.init();
  Idle.init();
  initNumberPads();
  initPrint();

  // For tests and desk diagnostics only; holds no personal data.
  window.kiosk = { speech: Speech, idle: Idle };
}());
