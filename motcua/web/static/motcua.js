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

// Counter form: "Tra cứu CSDL dân cư" looks the applicant up in the National Population
// Database (POST /api/v1/population/lookups, logged server-side) and fills the applicant's
// fields; the button stays hidden without this script (docs/population.md).
document.querySelectorAll("[data-population-lookup]").forEach(function (button) {
  var form = button.closest("form");
  var box = button.closest(".population-lookup");
  var result = box.querySelector("[data-population-result]");
  box.hidden = false;
  button.addEventListener("click", function () {
    var field = function (name) { return form.elements.namedItem(name); };
    var unit = field("receiving_unit_id");
    result.textContent = "Đang tra cứu…";
    button.disabled = true;
    fetch(button.getAttribute("data-population-lookup"), {
      method: "POST",
      credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRF-Token": field("csrf_token").value},
      body: JSON.stringify({id_number: field("id_number").value, purpose: "counter_prefill",
                            unit_id: unit ? unit.value : null})
    }).then(function (response) {
      return response.json().then(function (body) { return {ok: response.ok, body: body}; });
    }).then(function (answer) {
      if (!answer.ok) {
        result.textContent = answer.body.title || "Không tra cứu được.";
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
