// Vigil: send the CSRF token with every htmx request (the session stays CSRF-protected).
document.addEventListener("htmx:configRequest", function (event) {
  var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) { event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]); }
});
// Filter forms marked data-autosubmit submit when one of their selects, dates or checkboxes
// changes (only their own fields: a checkbox of a form in the results is not a filter).
document.addEventListener("change", function (event) {
  var form = event.target.closest("form[data-autosubmit]");
  if (form && event.target.matches("select, input[type=date], input[type=checkbox]")) {
    form.requestSubmit();
  }
});
