// Vigil interview and upload forms (progressive enhancement; the forms work without it). What
// is typed is kept on the device by offline-forms.js.
(function () {
  // "Who else was present" only matters when the interview was not held in private.
  document.querySelectorAll("[data-shown-unless]").forEach(function (block) {
    var box = document.getElementById(block.getAttribute("data-shown-unless"));
    if (!box) { return; }
    var sync = function () { block.hidden = box.checked; };
    box.addEventListener("change", sync);
    sync();
  });
})();
