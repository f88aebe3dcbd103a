// Enhancement only: everything works without this file.
// Stops a double tap from submitting a form twice (GOV.UK Notify sent invitations twice).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.submitted) { event.preventDefault(); return; }
  form.dataset.submitted = "1";
  window.setTimeout(function () { delete form.dataset.submitted; }, 1500);
});
