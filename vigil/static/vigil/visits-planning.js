// Visit form: show the trigger fields only for special visits and the earlier-visit field
// only for follow-up visits; Enter in an institution search does not submit the form.
(function () {
  var form = document.querySelector("form[data-visit-form]");
  if (!form) { return; }
  var type = form.querySelector("select[name=type]");
  function sync() {
    form.querySelectorAll("[data-show-for-type]").forEach(function (block) {
      var shown = type && block.getAttribute("data-show-for-type") === type.value;
      block.hidden = !shown;
    });
  }
  if (type) { type.addEventListener("change", sync); sync(); }
  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches("input[type=search]")) {
      event.preventDefault();
    }
  });
})();

// Institution picker: a result ticked in the search results moves to the chosen list, so
// that a new search (which replaces the results) does not lose it.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches(".institution-picker [id$='-results'] input")) { return; }
  var picker = input.closest(".institution-picker");
  var chosen = picker.querySelector("fieldset");
  var item = input.closest(".form-check");
  if (!input.checked || !chosen || !item) { return; }
  if (input.type === "radio") {
    chosen.querySelectorAll(".form-check").forEach(function (old) { old.remove(); });
  } else if (chosen.querySelector("input[value='" + input.value + "']:not([id='" + input.id + "'])")) {
    item.remove();
    return;
  }
  chosen.appendChild(item);
  input.focus();
});
