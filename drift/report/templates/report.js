(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var byId = function (id) { return document.getElementById(id); };
  var severity = byId("f-severity"), env = byId("f-env"), rule = byId("f-rule"), text = byId("f-text");
  // "new since the last scan" (only when there was one): a stand-in that is always "all"
  var status = byId("f-status") || { value: "", addEventListener: function () {} };
  var count = byId("f-count");
  var findings = Array.prototype.slice.call(document.querySelectorAll("[data-finding]"));
  // rows of the other tables (new since the last scan) follow the same filters, uncounted
  var others = Array.prototype.slice.call(document.querySelectorAll("[data-filtered]"));
  var keyRows = Array.prototype.slice.call(document.querySelectorAll("[data-key-row]"));
  var keys = keyRows.map(function (row) { return row.getAttribute("data-key-row"); });
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var lazy = Array.prototype.slice.call(document.querySelectorAll("details[data-lazy]"));
  var OPEN_LIMIT = 1000;
  // Only rows that are laid out are hidden by a search: rows in closed <details> cost nothing
  // to leave alone, and 100,000 cells re-styled would make clearing a search slow.
  var outer = function (el) { return el.parentElement.closest("details[data-lazy]"); };
  var holders = keyRows.map(function (row) { return row.closest("details[data-lazy]"); });
  var hiddenRows = [], searched = "";
  lazy.forEach(function (d) { d.setAttribute("data-was-open", d.open ? "1" : ""); });
  function laidOut(d) {
    for (; d; d = outer(d)) { if (!d.open) { return false; } }
    return true;
  }
  function hideOthers() {
    keyRows.forEach(function (row, i) {
      if (!row.hidden && keys[i].indexOf(searched) === -1 && laidOut(holders[i])) {
        row.hidden = true;
        hiddenRows.push(row);
      }
    });
  }
  function search(t) {
    if (t === searched) { return; }
    searched = t;
    if (t === "") {  // close what the search opened before showing rows again: less to lay out
      lazy.forEach(function (d) { d.open = d.getAttribute("data-was-open") === "1"; });
    }
    hiddenRows.forEach(function (row) { row.hidden = false; });
    hiddenRows = [];
    if (t === "") { return; }
    var holding = new Set(), matches = 0;
    keys.forEach(function (key, i) {
      if (key.indexOf(t) === -1) { return; }
      matches += 1;
      for (var d = holders[i]; d; d = outer(d)) { holding.add(d); }
    });
    if (matches <= OPEN_LIMIT) {
      lazy.forEach(function (d) { d.open = holding.has(d); });
    }
    hideOthers();
  }
  // a <details> opened by hand during a search shows only the rows that match
  lazy.forEach(function (d) {
    d.addEventListener("toggle", function () { if (d.open && searched !== "") { hideOthers(); } });
  });
  // the filters live in the URL's fragment, so a filtered view can be bookmarked and shared
  var fields = { severity: severity, env: env, rule: rule, status: status, q: text };
  function fromUrl() {
    var params = new URLSearchParams(location.hash.slice(1));
    Object.keys(fields).forEach(function (name) {
      var value = params.get(name);
      if (value !== null) { fields[name].value = value; }
    });
  }
  function toUrl() {
    var params = new URLSearchParams();
    Object.keys(fields).forEach(function (name) {
      if (fields[name].value) { params.set(name, fields[name].value); }
    });
    var hash = params.toString();
    if (hash !== location.hash.slice(1)) {
      history.replaceState(null, "", hash ? "#" + hash : location.pathname + location.search);
    }
  }
  // What a search matches in a row: the first piece of each cell (rule, environment, key, the
  // message before its notes, location), lower-cased once, when first searched.
  var texts = new Map();
  function textOf(row) {
    var found = texts.get(row);
    if (found === undefined) {
      found = Array.prototype.map.call(row.cells, function (cell) {
        return cell.firstChild ? cell.firstChild.textContent : "";
      }).join(" ").toLowerCase();
      texts.set(row, found);
    }
    return found;
  }
  // a finding's severity is its section's, its environment its second cell ("across": "*")
  var facts = new Map();
  findings.forEach(function (row) {
    var where = row.cells[1].textContent;
    facts.set(row, [row.closest("[data-group]").getAttribute("data-group"), where === "across" ? "*" : where]);
  });
  function fact(row, index, name) {
    var known = facts.get(row);
    return known ? known[index] : row.getAttribute(name);
  }
  function matches(row, s, e, r, st, t) {
    return (!s || fact(row, 0, "data-severity") === s) &&
      (!e || fact(row, 1, "data-env") === e) &&
      (!r || row.getAttribute("data-rule") === r) &&
      (!st || row.getAttribute("data-status") === st) &&
      (!t || textOf(row).indexOf(t) !== -1);
  }
  // a rule with many findings in a severity shows its first RULE_ROWS; a button shows the rest
  // (any filter shows every match anyway). Without JavaScript every row is there.
  var RULE_ROWS = 10, folded = new Map(), expanded = new Set(), toggles = [];
  groups.forEach(function (group) {
    var seen = new Map();
    Array.prototype.slice.call(group.querySelectorAll("[data-finding]")).forEach(function (row) {
      var key = group.getAttribute("data-group") + " " + row.getAttribute("data-rule");
      var rows = seen.get(key) || [];
      rows.push(row);
      seen.set(key, rows);
    });
    seen.forEach(function (rows, key) {
      if (rows.length <= RULE_ROWS) { return; }
      rows.slice(RULE_ROWS).forEach(function (row) { folded.set(row, key); });
      var toggle = document.createElement("tr"), cell = document.createElement("td"), button = document.createElement("button");
      cell.colSpan = 5;
      button.type = "button";
      button.className = "more";
      button.textContent = "Show " + (rows.length - RULE_ROWS) + " more " + rows[0].getAttribute("data-rule") + " findings";
      button.addEventListener("click", function () { expanded.add(key); apply(); });
      cell.appendChild(button);
      toggle.appendChild(cell);
      toggle.setAttribute("data-toggle", key);
      rows[RULE_ROWS - 1].after(toggle);
      toggles.push(toggle);
    });
  });
  function apply() {
    var s = severity.value, e = env.value, r = rule.value, st = status.value, shown = 0;
    var t = text.value.trim().toLowerCase();
    var filtering = Boolean(s || e || r || st || t);
    toggles.forEach(function (toggle) {
      toggle.hidden = filtering || expanded.has(toggle.getAttribute("data-toggle"));
    });
    findings.forEach(function (row) {
      var key = folded.get(row);
      var ok = matches(row, s, e, r, st, t) && (key === undefined || filtering || expanded.has(key));
      if (row.hidden === ok) { row.hidden = !ok; }
      if (ok) { shown += 1; }
    });
    others.forEach(function (row) {
      var ok = matches(row, s, e, r, st, t);
      if (row.hidden === ok) { row.hidden = !ok; }
    });
    toUrl();
    search(t);
    groups.forEach(function (group) {
      group.hidden = group.querySelector("[data-finding]:not([hidden])") === null;
    });
    count.textContent = shown + " of " + findings.length + " findings shown";
  }
  [severity, env, rule, status].forEach(function (control) { control.addEventListener("change", apply); });
  text.addEventListener("input", apply);
  window.addEventListener("hashchange", function () { fromUrl(); apply(); });
  fromUrl();
  apply();
}());
