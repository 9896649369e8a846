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
