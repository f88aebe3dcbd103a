// Enhancement only: everything works without this file.
(function () {
  "use strict";

  // Stops a double tap from submitting a form twice (GOV.UK Notify sent invitations twice).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.submitted) { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    window.setTimeout(function () { delete form.dataset.submitted; }, 1500);
  });

  function ready() {
    // The error summary has autofocus; browsers that ignore it on a <div> get focus here.
    var summary = document.querySelector("[data-error-summary]");
    if (summary && document.activeElement !== summary) { summary.focus(); }

    // A print button where printing is possible (the page says how to print without it).
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      if (typeof window.print !== "function") { return; }
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  // Printing shows the folded 政策依据 too; they fold again afterwards.
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(document.querySelectorAll("details:not([open])"), function (d) {
      d.open = true;
      return true;
    });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (d) { d.open = false; });
    opened = [];
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
