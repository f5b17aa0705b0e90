// Vigil recommendations: "Link as a repeat of …" (a repeat suggestion) fills the form's
// repeat field with the earlier recommendation's reference and says so to screen readers.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-repeat-reference]");
  if (!button) { return; }
  var field = document.querySelector("#recommendation-form [name='repeat_of']");
  if (!field) { return; }
  field.value = button.getAttribute("data-repeat-reference");
  var status = document.getElementById("repeat-suggestions-status");
  if (status) { status.textContent = button.getAttribute("data-linked-message") || ""; }
  field.focus();
});
