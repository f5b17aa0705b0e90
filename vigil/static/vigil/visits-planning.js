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
