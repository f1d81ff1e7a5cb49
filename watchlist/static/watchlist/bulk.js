// The watchlist's selection bar: counts the ticked series, offers "select
// all on this page", and keeps the form's return address current after
// htmx changed the URL (search, tabs, pages). The form works without it.
"use strict";

function bulkForm() {
  return document.getElementById("bulk-form");
}

function selectionBoxes() {
  return Array.from(document.querySelectorAll('input.item__select[form="bulk-form"]'));
}

function refreshSelection() {
  const form = bulkForm();
  if (!form) return;
  const boxes = selectionBoxes();
  const ticked = boxes.filter((box) => box.checked).length;
  const count = document.getElementById("bulk-count");
  if (count) {
    // The words come from the page (data-idle, data-one, data-many), in its language.
    const words = ticked === 0 ? count.dataset.idle : ticked === 1 ? count.dataset.one : count.dataset.many;
    count.textContent = (words || "").replace("{n}", String(ticked));
  }
  form.classList.toggle("bulk--idle", ticked === 0);
  const all = document.getElementById("bulk-all");
  if (all) {
    all.closest(".bulk__all").hidden = boxes.length === 0;
    all.checked = boxes.length > 0 && ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }
}

document.addEventListener("change", (event) => {
  const target = event.target;
  if (!(target instanceof HTMLInputElement)) return;
  if (target.id === "bulk-all") {
    for (const box of selectionBoxes()) box.checked = target.checked;
  }
  if (target.id === "bulk-all" || target.classList.contains("item__select")) refreshSelection();
});

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.id !== "bulk-form") return;
  const next = form.querySelector('input[name="next"]');
  if (next) next.value = window.location.pathname + window.location.search;
});

// Cards swapped in by htmx (actions, the live poll, a new page of results)
// bring their own boxes.
document.addEventListener("htmx:afterSettle", refreshSelection);
refreshSelection();
