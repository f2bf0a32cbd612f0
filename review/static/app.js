// baocao review: keyboard shortcuts and small conveniences. Everything works without it.
(function () {
  "use strict";

  function typing(el) {
    return el && (el.tagName === "INPUT" && !["radio", "checkbox", "button", "submit"].includes(el.type)
      || el.tagName === "TEXTAREA" || el.tagName === "SELECT" || el.isContentEditable);
  }

  // Filters: submit as soon as a select changes.
  document.querySelectorAll("select[data-autosubmit]").forEach(function (s) {
    s.addEventListener("change", function () { s.form.submit(); });
  });

  // Queue: click a row to open it; j/k move, Enter/o opens.
  var queue = document.querySelector("table[data-keynav]");
  var rows = queue ? Array.prototype.slice.call(queue.querySelectorAll("tbody tr[data-href]")) : [];
  var current = -1;
  rows.forEach(function (tr) {
    tr.addEventListener("click", function (e) {
      if (e.target.closest("a")) return;
      window.location = tr.dataset.href;
    });
  });
  function focusRow(i) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, i));
    rows.forEach(function (r, k) { r.classList.toggle("kb-focus", k === current); });
    rows[current].scrollIntoView({ block: "nearest" });
  }

  // Flag page: the decision form.
  var panel = document.getElementById("decide");
  var form = document.getElementById("decision-form");
  function choose(action) {
    if (!form) return;
    var radio = form.querySelector('input[name="action"][value="' + action + '"]');
    radio.checked = true;
    sync();
    var field = action === "correct" ? form.querySelector("#corrected-value") : form.querySelector("#reason");
    field.focus();
    field.select();
  }
  function sync() {
    var checked = form.querySelector('input[name="action"]:checked');
    var action = checked ? checked.value : "";
    panel.dataset.action = action;
    form.querySelector("#reason").required = action === "dismiss";
    form.querySelector("#corrected-value").required = action === "correct";
  }
  if (form) {
    panel.classList.add("js");
    form.querySelectorAll('input[name="action"]').forEach(function (r) {
      r.addEventListener("change", function () { choose(r.value); });
    });
    sync();
  }

  // Page images: toggle between the region around the boxes and the whole page.
  document.querySelectorAll("[data-toggle-page]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var svg = btn.closest(".page-view").querySelector("svg");
      var full = svg.getAttribute("viewBox") === svg.dataset.full;
      svg.setAttribute("viewBox", full ? svg.dataset.crop : svg.dataset.full);
      btn.textContent = full ? btn.dataset.whole : btn.dataset.region;
    });
  });

  function go(id) {
    var a = document.getElementById(id);
    if (a && a.getAttribute("href")) window.location = a.getAttribute("href");
  }

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === "Escape" && typing(document.activeElement)) { document.activeElement.blur(); return; }
    if (typing(document.activeElement)) return;
    var k = e.key;
    if (form) {
      if (k === "c") { e.preventDefault(); choose("confirm"); return; }
      if (k === "d") { e.preventDefault(); choose("dismiss"); return; }
      if (k === "x" || k === "e") { e.preventDefault(); choose("correct"); return; }
      if (k === "j" || k === "n") { e.preventDefault(); go("next-flag"); return; }
      if (k === "k" || k === "p") { e.preventDefault(); go("prev-flag"); return; }
    }
    if (rows.length) {
      if (k === "j" || k === "n" || k === "ArrowDown") { e.preventDefault(); focusRow(current + 1); return; }
      if (k === "k" || k === "p" || k === "ArrowUp") { e.preventDefault(); focusRow(current - 1); return; }
      if ((k === "Enter" || k === "o") && current >= 0) { e.preventDefault(); window.location = rows[current].dataset.href; }
    }
  });
})();
