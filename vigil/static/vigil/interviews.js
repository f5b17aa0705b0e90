// Vigil interview and upload forms (progressive enhancement; the forms work without it).
(function () {
  // "Who else was present" only matters when the interview was not held in private.
  document.querySelectorAll("[data-shown-unless]").forEach(function (block) {
    var box = document.getElementById(block.getAttribute("data-shown-unless"));
    if (!box) { return; }
    var sync = function () { block.hidden = box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
  // Warn before leaving a form with typed but unsaved text (twenty minutes of notes).
  document.querySelectorAll("form[data-warn-unsaved]").forEach(function (form) {
    var dirty = false;
    form.addEventListener("input", function () { dirty = true; });
    form.addEventListener("submit", function () { dirty = false; });
    window.addEventListener("beforeunload", function (event) {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  });
})();
