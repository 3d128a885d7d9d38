/* Insights charts: each .chart[data-source] draws the table it names (the table stays
   below it, so the page reads the same without JavaScript). Columns whose header has
   data-series become series; the first column is the x axis. No inline script or style. */
(function () {
  "use strict";

  function number(text) {
    var value = parseFloat(String(text).replace(/[^0-9.\-]/g, ""));
    return isNaN(value) ? 0 : value;
  }

  function readTable(table) {
    var headers = Array.prototype.slice.call(table.querySelectorAll("thead th"));
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"))
      .filter(function (row) { return row.cells.length === headers.length; });
    var series = [];
    headers.forEach(function (th, index) {
      if (th.hasAttribute("data-series")) {
        series.push({ name: th.textContent.trim(), index: index });
      }
    });
    return {
      labels: rows.map(function (row) { return row.cells[0].textContent.trim(); }),
      series: series.map(function (s) {
        return { name: s.name, values: rows.map(function (row) { return number(row.cells[s.index].textContent); }) };
      })
    };
  }

  function draw(container) {
    var table = document.getElementById(container.getAttribute("data-source"));
    if (!table || !window.echarts) { return; }
    var data = readTable(table);
    if (!data.labels.length) { return; }
    var kind = container.getAttribute("data-chart") === "bar" ? "bar" : "line";
    container.classList.add("drawn");  /* shown (and sized by the CSS) before drawing */
    var chart = window.echarts.init(container, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 56 },
      xAxis: { type: "category", data: data.labels, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) {
        return { name: s.name, type: kind, data: s.values, showSymbol: false };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".chart[data-source]"), draw);
  });
}());
