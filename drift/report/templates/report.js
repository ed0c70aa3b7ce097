(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var byId = function (id) { return document.getElementById(id); };
  var severity = byId("f-severity"), env = byId("f-env"), rule = byId("f-rule"), text = byId("f-text");
  var count = byId("f-count");
  var findings = Array.prototype.slice.call(document.querySelectorAll("[data-finding]"));
  var keyRows = Array.prototype.slice.call(document.querySelectorAll("[data-key-row]"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var lazy = Array.prototype.slice.call(document.querySelectorAll("details[data-lazy]"));
  var OPEN_LIMIT = 1000;
  lazy.forEach(function (d) { d.setAttribute("data-was-open", d.open ? "1" : ""); });
  function apply() {
    var s = severity.value, e = env.value, r = rule.value, t = text.value.trim().toLowerCase(), shown = 0;
    findings.forEach(function (row) {
      var ok = (!s || row.getAttribute("data-severity") === s) &&
        (!e || row.getAttribute("data-env") === e) &&
        (!r || row.getAttribute("data-rule") === r) &&
        (!t || row.getAttribute("data-text").indexOf(t) !== -1);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var matches = 0;
    keyRows.forEach(function (row) {
      row.hidden = t !== "" && row.getAttribute("data-key-row").indexOf(t) === -1;
      if (!row.hidden) { matches += 1; }
    });
    lazy.forEach(function (d) {
      if (t === "") {
        d.open = d.getAttribute("data-was-open") === "1";
      } else if (matches <= OPEN_LIMIT) {
        d.open = d.querySelector("[data-key-row]:not([hidden])") !== null;
      }
    });
    groups.forEach(function (group) {
      group.hidden = group.querySelector("[data-finding]:not([hidden])") === null;
    });
    count.textContent = shown + " of " + findings.length + " findings shown";
  }
  [severity, env, rule].forEach(function (control) { control.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  apply();
}());
