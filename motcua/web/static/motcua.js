// Small page behaviours, kept out of the templates so the Content-Security-Policy can
// forbid inline script (motcua/web/security.py). Every page works without this file.
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
}, true);

document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("[data-print], [data-back]");
  if (!link) return;
  if (link.hasAttribute("data-print")) {
    event.preventDefault();
    window.print();
  } else if (window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

// A refused form (web/templates/web/_forms.html): the focus starts at the summary of its
// errors, whose links lead to each refused field.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("error-summary");
  if (summary) summary.focus();
});

// "Tra cứu CSDL dân cư": looks a citizen up in the National Population Database
// (POST /api/v1/population/lookups, logged server-side). On the counter form the number is
// the form's `id_number` and the answer fills the applicant's fields; on a dossier page
// (data-dossier-id, data-id-number) the answer is shown to compare. The button stays hidden
// without this script (docs/population.md).
function populationLookupText(citizen) {
  var parts = [citizen.full_name];
  if (citizen.birth_date) parts.push("sinh " + citizen.birth_date);
  parts.push(citizen.sex);
  if (citizen.permanent_address) parts.push("thường trú: " + citizen.permanent_address.text);
  if (citizen.current_address) parts.push("nơi ở hiện tại: " + citizen.current_address.text);
  return parts.join("; ");
}

document.querySelectorAll("[data-population-lookup]").forEach(function (button) {
  var form = button.closest("form");
  var box = button.closest(".population-lookup");
  var result = box.querySelector("[data-population-result]");
  var field = function (name) { return form ? form.elements.namedItem(name) : null; };
  box.hidden = false;
  button.addEventListener("click", function () {
    var dossier = button.getAttribute("data-dossier-id");
    var unit = field("receiving_unit_id");
    var request = dossier
      ? {id_number: button.getAttribute("data-id-number"), purpose: "dossier_check", dossier_id: dossier}
      : {id_number: field("id_number").value, purpose: "counter_prefill", unit_id: unit ? unit.value : null};
    var token = "";
    try { token = JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRF-Token"]; } catch (e) { token = ""; }
    result.textContent = "Đang tra cứu…";
    button.disabled = true;
    fetch(button.getAttribute("data-population-lookup"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
      body: JSON.stringify(request)
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      if (!answer.ok) {
        result.textContent = answer.body.title || "Không tra cứu được.";
        return;
      }
      if (dossier) {
        result.textContent = populationLookupText(answer.body.citizen);
        return;
      }
      Object.keys(answer.body.prefill).forEach(function (name) {
        var input = field(name);
        if (input) input.value = answer.body.prefill[name];
      });
      result.textContent = answer.body.message;
    }).catch(function () {
      result.textContent = "Không gửi được yêu cầu tra cứu; kiểm tra kết nối mạng.";
    }).then(function () {
      button.disabled = false;
    });
  });
});

// Phones (motcua.css, max-width 640px): a data table's rows are shown as cards. Each cell
// gets its column's name (data-label, shown above the value) and the table explicit ARIA
// roles, which keep it a table for screen readers once CSS changes its display. Tables
// without a header row, or with merged rows, are left as they are (their text wraps).
function stackTable(table) {
  var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
  if (!head || table.classList.contains("stack") || table.querySelector("[rowspan]")) return;
  var names = [];
  Array.prototype.forEach.call(head.cells, function (th) {
    for (var n = 0; n < th.colSpan; n++) names.push(th.textContent.trim());
  });
  table.setAttribute("role", "table");
  Array.prototype.forEach.call(table.querySelectorAll("thead, tbody, tfoot"), function (group) {
    group.setAttribute("role", "rowgroup");
  });
  Array.prototype.forEach.call(table.rows, function (row) {
    row.setAttribute("role", "row");
    var column = 0;
    Array.prototype.forEach.call(row.cells, function (cell) {
      var header = cell.tagName === "TH";
      cell.setAttribute("role", header ? (row.parentNode === table.tHead ? "columnheader" : "rowheader") : "cell");
      if (!header && cell.colSpan === 1 && names[column]) cell.setAttribute("data-label", names[column]);
      if (!header && !cell.textContent.trim() && !cell.querySelector("input, select, textarea, button, img")) {
        cell.classList.add("empty-cell");
      }
      column += cell.colSpan;
    });
  });
  table.classList.add("stack");
}

function stackTables(root) {
  Array.prototype.forEach.call(root.querySelectorAll("table"), stackTable);
}
stackTables(document);
// Results swapped in by HTMX (the catalogue's search) are new tables.
document.addEventListener("htmx:afterSwap", function (event) { stackTables(event.target); });

// The counter's rating kiosk (ratings/_kiosk_layout.html) goes on by itself: the waiting page
// looks for a new dossier, an untouched form and the thanks go back to waiting. A timed
// <meta http-equiv="refresh"> would do it without script but fails WCAG 2.2.1 (axe).
document.addEventListener("DOMContentLoaded", function () {
  var seconds = parseInt(document.body.getAttribute("data-reload-seconds"), 10);
  if (!(seconds > 0)) return;
  var target = document.body.getAttribute("data-reload-url");
  var timer = null;
  function arm() {  // restarted by every touch or key: only an untouched page moves on
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      if (target) window.location.assign(target); else window.location.reload();
    }, seconds * 1000);
  }
  ["input", "pointerdown", "keydown"].forEach(function (kind) { document.addEventListener(kind, arm, true); });
  arm();
});
