/* 残疾人福利资格自查 — the widget a portal embeds with one line:
 *
 *   <script src="https://HOST/widget.js" data-region="230100" data-lang="zh-CN" async></script>
 *
 * It inserts, where the script tag stands, a titled <iframe> running the checker in its embed
 * layout. Options (data-*): region (a region code the portal serves), lang ("zh-CN" | "en"),
 * theme ("standard" | "large" | "contrast"), title (the iframe's accessible name).
 *
 * Height protocol (window.postMessage, origin-checked on both sides):
 *   frame -> host  {type: "dbc-widget", event: "height", height: <CSS px>}
 *                  {type: "dbc-widget", event: "step"}   a new page after the person acted
 * The host accepts a message only when it comes from the widget's origin AND from its own
 * iframe's window; the frame posts only to the host origin the server checked against
 * WIDGET_ALLOWED_ORIGINS (never "*"). If the frame never speaks — the portal is not on the
 * list, the network failed — a plain link to the checker replaces it.
 *
 * No cookies, no storage, nothing loaded from anywhere but the widget's own origin.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || !window.postMessage || !window.URL) {
    return; // too old a browser: the portal's <noscript> link is the way in
  }
  var origin = new URL(script.src, document.baseURI).origin;
  var options = script.dataset;
  var lang = options.lang === "en" ? "en" : "zh-CN";
  var TEXT = {
    "zh-CN": {
      title: "残疾人福利资格自查",
      fallback: "打开残疾人福利资格自查（新窗口）"
    },
    "en": {
      title: "Disability benefit checker",
      fallback: "Open the disability benefit checker (new window)"
    }
  }[lang];
  var SILENCE_MS = 4000; // after the frame's load event, how long to wait for its first message

  var params = new URLSearchParams();
  if (options.region) {
    params.set("region", options.region);
  }
  params.set("lang", lang);
  if (options.theme) {
    params.set("theme", options.theme);
  }
  params.set("host", window.location.origin);

  var box = document.createElement("div");
  box.className = "dbc-widget";
  var frame = document.createElement("iframe");
  frame.src = origin + "/embed/frame?" + params.toString();
  frame.title = options.title || TEXT.title;
  frame.setAttribute("lang", lang);
  frame.setAttribute("width", "100%");
  frame.setAttribute("height", "480");
  frame.referrerPolicy = "no-referrer";
  frame.style.display = "block";
  frame.style.width = "100%";
  frame.style.border = "0";
  box.appendChild(frame);

  var heard = false;
  var fellBack = false;

  function fallBack() {
    if (heard || fellBack) {
      return;
    }
    fellBack = true;
    var link = document.createElement("a");
    // The full checker; in English by way of its language switch (a preference, not an answer).
    link.href = lang === "en" ? origin + "/settings?lang=en&next=/" : origin + "/";
    link.target = "_blank";
    link.rel = "noopener";
    link.lang = lang;
    link.className = "dbc-widget-fallback";
    link.textContent = TEXT.fallback;
    box.replaceChild(link, frame);
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== origin || event.source !== frame.contentWindow) {
      return;
    }
    var data = event.data;
    if (!data || data.type !== "dbc-widget") {
      return;
    }
    heard = true;
    if (data.event === "height") {
      var height = Math.ceil(Number(data.height));
      if (height > 0 && height < 100000) {
        frame.setAttribute("height", String(height));
        frame.style.height = height + "px";
      }
    } else if (data.event === "step") {
      // The person moved to a new page inside the frame: show its top. The frame moves
      // focus to its heading or error summary itself. Hosts with a sticky header give
      // .dbc-widget iframe a scroll-margin-top so the heading is not hidden under it.
      frame.scrollIntoView({ block: "start" });
    }
  });

  frame.addEventListener("load", function () {
    window.setTimeout(fallBack, SILENCE_MS);
  });

  var parent = script.parentNode;
  if (parent && parent !== document.head && parent.nodeName !== "HEAD") {
    parent.insertBefore(box, script.nextSibling);
  } else {
    document.body.appendChild(box); // a script in <head> cannot hold content
  }
})();
