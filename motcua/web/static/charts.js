// Charts drawn from the report tables (docs/reports.md, "Charts"). A table marked
// data-chart="bar|line|stacked" gets a chart just before it: its row headers (th scope=row, or
// their data-label when the header shows more than the name) are the categories; every column
// whose cells carry data-value is a series, named by its column header; data-value="" is no
// figure (a gap, not 0). data-chart-title is the chart's title, data-chart-unit (optional) follows
// each number. The table stays: it is the accessible form of the figures, so the chart is
// aria-hidden. Chart.js (/assets, installed by scripts/fetch_assets.sh) is loaded only by pages
// that have such a table; without it the tables are all there is. No inline script, no eval
// (the Content-Security-Policy, motcua/web/security.py).
(function () {
  "use strict";
  // The same colours, limits and orientation rule as motcua/reports/charts.py (the PDFs).
  var PALETTE = ["#007a5e", "#0b62a4", "#c4420a", "#6a3d9a", "#8a5a00", "#4d4d4d"];
  var POINT_STYLES = ["circle", "rect", "triangle", "rectRot", "crossRot", "star"];
  var MAX_CATEGORIES = 60;
  var HORIZONTAL_CATEGORIES = 6;
  var HORIZONTAL_LABEL_CHARS = 14;
  var TEXT = "#1f1f1f";
  var GRID = "#d0d0d0";
  var numbers = new Intl.NumberFormat("vi-VN", {maximumFractionDigits: 2});
  var drawn = 0;

  function number(cell) {
    var raw = cell ? cell.getAttribute("data-value") : null;
    if (raw === null || raw.trim() === "") return null;
    var n = Number(raw);
    return isFinite(n) ? n : null;
  }

  function formatted(value, unit) {
    var text = numbers.format(value);
    if (!unit) return text;
    return unit === "%" ? text + "%" : text + " " + unit;
  }

  // The title in lines that fit `width` pixels (Chart.js squeezes a line that does not fit).
  function titleLines(title, width) {
    var chars = Math.max(20, Math.floor(width / 9)), lines = [], line = "";
    title.split(/\s+/).forEach(function (word) {
      if (line && (line + " " + word).length > chars) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }

  function shortened(label, chars) {
    return label.length <= chars ? label : label.slice(0, chars - 1).trim() + "…";
  }

  // The table's figures: {labels, series: [{name, values}]}, or null when there is nothing to draw.
  function read(table) {
    var head = table.tHead && table.tHead.rows.length ? table.tHead.rows[table.tHead.rows.length - 1] : null;
    var rows = [];
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var header = row.querySelector("th[scope=row]");
        if (header) {
          rows.push({label: (header.getAttribute("data-label") || header.textContent).trim(), cells: row.cells});
        }
      });
    });
    if (!head || !rows.length || rows.length > MAX_CATEGORIES) return null;
    var series = [];
    for (var i = 0; i < head.cells.length; i++) {
      var column = i;
      var marked = rows.some(function (r) { return r.cells[column] && r.cells[column].hasAttribute("data-value"); });
      if (marked) {
        series.push({
          name: head.cells[i].textContent.trim(),
          values: rows.map(function (r) { return number(r.cells[column]); })
        });
      }
    }
    var any = series.some(function (s) { return s.values.some(function (v) { return v !== null; }); });
    if (!any) return null;
    return {labels: rows.map(function (r) { return r.label; }), series: series};
  }

  // Where the chart goes: before the table, or before the block that only wraps it for scrolling.
  function anchorOf(table) {
    var parent = table.parentElement;
    return parent && parent.tagName === "DIV" && parent.children.length === 1 ? parent : table;
  }

  function draw(table) {
    var data = read(table);
    if (!data) return;
    var kind = table.getAttribute("data-chart");
    var unit = table.getAttribute("data-chart-unit") || "";
    var horizontal = kind !== "line" && (data.labels.length > HORIZONTAL_CATEGORIES ||
      data.labels.some(function (l) { return l.length > HORIZONTAL_LABEL_CHARS; }));
    var stacked = kind === "stacked";
    var title = table.getAttribute("data-chart-title") || "";
    var anchor = anchorOf(table);
    var previous = anchor.previousElementSibling;
    if (previous && previous.classList.contains("chart")) {  // redrawn after an HTMX swap
      var old = window.Chart.getChart(previous.querySelector("canvas"));
      if (old) old.destroy();
      previous.remove();
    }
    var box = document.createElement("div");
    box.className = "chart";
    box.setAttribute("aria-hidden", "true");
    var perCategory = kind === "bar" ? Math.max(1, 0.6 * data.series.length) : 1;
    var height = horizontal ? Math.max(200, 100 + 26 * perCategory * data.labels.length) : 320;
    box.style.position = "relative";
    box.style.height = height + "px";
    box.style.margin = "1rem 0";
    var canvas = document.createElement("canvas");
    drawn += 1;
    canvas.id = "chart-" + drawn;
    box.appendChild(canvas);
    anchor.parentNode.insertBefore(box, anchor);
    table.setAttribute("data-chart-canvas", canvas.id);

    var labelChars = anchor.parentNode.clientWidth < 600 ? 22 : 48;
    var counts = data.series.every(function (s) {
      return s.values.every(function (v) { return v === null || Number.isInteger(v); });
    });
    var valueAxis = {
      beginAtZero: true, stacked: stacked, grid: {color: GRID},
      // whole figures (dossiers) get whole ticks: no "0,5 hồ sơ"
      ticks: {color: TEXT, precision: counts ? 0 : undefined, callback: function (v) { return formatted(v, unit); }}
    };
    var categoryAxis = {stacked: stacked, grid: {display: false}, ticks: {color: TEXT, autoSkip: false}};
    new window.Chart(canvas, {
      type: kind === "line" ? "line" : "bar",
      data: {
        labels: data.labels.map(function (l) { return shortened(l, labelChars); }),
        datasets: data.series.map(function (s, i) {
          var colour = PALETTE[i % PALETTE.length];
          return {
            label: s.name, data: s.values, backgroundColor: colour,
            borderColor: kind === "line" ? colour : "#ffffff", borderWidth: kind === "line" ? 2 : 1,
            pointStyle: POINT_STYLES[i % POINT_STYLES.length], pointRadius: 3, spanGaps: false
          };
        })
      },
      options: {
        animation: false, responsive: true, maintainAspectRatio: false, locale: "vi-VN",
        onResize: function (chart, size) { chart.options.plugins.title.text = titleLines(title, size.width); },
        indexAxis: horizontal ? "y" : "x",
        font: {family: window.getComputedStyle(document.body).fontFamily},
        color: TEXT,
        plugins: {
          title: {display: true, text: titleLines(title, box.clientWidth), align: "start", color: TEXT,
                  font: {size: 15, weight: "bold"}},
          legend: {display: data.series.length > 1, position: "bottom", labels: {color: TEXT, usePointStyle: kind === "line"}},
          tooltip: {callbacks: {
            title: function (items) { return items.length ? data.labels[items[0].dataIndex] : ""; },
            label: function (item) {
              var v = horizontal ? item.parsed.x : item.parsed.y;
              return item.dataset.label + ": " + formatted(v, unit);
            }
          }}
        },
        scales: horizontal ? {x: valueAxis, y: categoryAxis} : {x: categoryAxis, y: valueAxis}
      }
    });
  }

  function drawAll() {
    if (!window.Chart) return;
    document.querySelectorAll("table[data-chart]").forEach(function (table) {
      if (!table.hasAttribute("data-chart-canvas")) draw(table);
    });
  }

  var loading = false;
  function start() {
    if (!document.querySelector("table[data-chart]")) return;
    if (window.Chart) { drawAll(); return; }
    if (loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = "/assets/chart.umd.min.js";
    script.onload = drawAll;  // on error (not installed) the tables stay as they are
    document.head.appendChild(script);
  }

  start();
  document.addEventListener("htmx:afterSettle", start);
})();
