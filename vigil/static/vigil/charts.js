// Vigil charts: draws each chart of "analytics/_chart.html" from its Vega-Lite spec.
//
// Progressive enhancement: the chart's data table is always in the page; this script adds
// the drawing above it. The Content Security Policy forbids eval, so vega parses expressions
// to a syntax tree (`ast: true`) that vega-embed runs with its bundled interpreter; vega-embed's
// and the tooltip's own <style> elements would break the CSP too, so their styles come from
// charts.css. Drawn once per element, on load and in content swapped in by htmx.
(function () {
  "use strict";
  if (!window.vegaEmbed) { return; }

  var OPTIONS = {
    ast: true,
    actions: false,
    defaultStyle: false,
    renderer: "svg",
    tooltip: { disableDefaultStyle: true }
  };

  function draw(view) {
    if (view.hasAttribute("data-chart-drawn")) { return; }
    view.setAttribute("data-chart-drawn", "");
    var source = document.getElementById(view.getAttribute("data-chart-spec"));
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(view, spec, OPTIONS).then(function () {
      view.setAttribute("data-chart-ready", "");
    }).catch(function (error) {
      // The table below says everything the drawing would have.
      view.hidden = true;
      if (window.console) { window.console.error(error); }
    });
  }

  function drawIn(root) {
    var views = root.querySelectorAll ? root.querySelectorAll("[data-chart-spec]") : [];
    Array.prototype.forEach.call(views, draw);
  }

  drawIn(document);
  document.addEventListener("htmx:load", function (event) { drawIn(event.target); });
})();
