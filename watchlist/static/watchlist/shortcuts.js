// Keyboard shortcuts. The keys and where they lead are read from the help
// dialog (templates/components/shortcuts.html), so the help lists exactly
// what works. Sequences like "g d" are two keys pressed within a second.
"use strict";

(() => {
  const dialog = document.getElementById("shortcuts");
  if (!dialog) return; // signed out: no shortcuts

  const SEQUENCE_MS = 1000;
  const bindings = new Map();
  for (const row of dialog.querySelectorAll("[data-shortcut]")) {
    bindings.set(row.dataset.shortcut, row);
  }
  const prefixes = new Set([...bindings.keys()].filter((k) => k.includes(" ")).map((k) => k.split(" ")[0]));

  // Typing in a field (or a select, or an editable region) is never a shortcut.
  function typing(target) {
    if (!(target instanceof Element)) return false;
    return Boolean(target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']"));
  }

  function openHelp() {
    if (!dialog.open) dialog.showModal();
  }

  function focusSearch(row) {
    const search = document.getElementById("search");
    if (search) {
      search.focus();
      search.select();
    } else {
      // Only the watchlist has a search box: go there, it focuses on arrival.
      window.location.assign(`${row.dataset.home || "/"}#search`);
    }
  }

  function run(row) {
    if (row.dataset.action === "search") focusSearch(row);
    else if (row.dataset.href) window.location.assign(row.dataset.href);
  }

  let pending = "";
  let pendingAt = 0;

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    if (dialog.open) return; // Escape closes it natively
    const key = event.key;
    if (key === "?") {
      event.preventDefault();
      pending = "";
      openHelp();
      return;
    }
    const now = Date.now();
    const combined = pending && now - pendingAt < SEQUENCE_MS ? `${pending} ${key}` : key;
    pending = "";
    const row = bindings.get(combined);
    if (row) {
      event.preventDefault();
      run(row);
    } else if (prefixes.has(key)) {
      pending = key;
      pendingAt = now;
    }
  });

  for (const opener of document.querySelectorAll("[data-shortcuts-open]")) {
    opener.addEventListener("click", () => {
      opener.closest("details")?.removeAttribute("open");
      openHelp();
    });
  }

  // Arriving from "/" on another page.
  if (window.location.hash === "#search") document.getElementById("search")?.focus();
})();
