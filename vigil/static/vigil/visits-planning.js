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

// Team picker: narrow the candidates by words of the name (Kazakh letters match their
// Russian look-alikes, as the server's search does) and by region. Ticked participants stay
// listed; without JavaScript the whole list shows and the filter stays hidden.
(function () {
  var filter = document.querySelector("[data-team-filter]");
  var list = document.querySelector("[data-team-list]");
  if (!filter || !list) { return; }
  var query = filter.querySelector("input[type=search]");
  var region = filter.querySelector("select");
  var count = filter.querySelector("[data-team-count]");
  var rows = Array.prototype.slice.call(list.querySelectorAll("[data-search]"));
  var look = { "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х", "і": "и", "ё": "е" };
  function fold(text) {
    return text.toLowerCase().replace(/[әғқңөұүһіё]/g, function (c) { return look[c]; });
  }
  function apply() {
    var words = fold(query.value).split(/\s+/).filter(Boolean);
    var code = region.value;
    var shown = 0;
    rows.forEach(function (row) {
      var box = row.querySelector("input[type=checkbox]");
      var match = (box && box.checked) || (
        (!code || row.getAttribute("data-region") === code) &&
        words.every(function (word) { return row.getAttribute("data-search").indexOf(word) !== -1; })
      );
      row.hidden = !match;
      if (match) { shown += 1; }
    });
    count.textContent = String(shown);
  }
  filter.hidden = false;
  query.addEventListener("input", apply);
  region.addEventListener("change", apply);
  query.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); }
  });
})();
