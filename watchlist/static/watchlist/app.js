// Small enhancements; every page works without them.
"use strict";

// A poster that cannot load (its host is down, or the LAN is offline) is
// removed, uncovering the lettered placeholder behind it instead of a
// broken-image icon. Listening on the document in the capture phase also
// covers cards that htmx swaps in later (error events do not bubble).
document.addEventListener(
  "error",
  (event) => {
    const target = event.target;
    if (target instanceof HTMLImageElement && target.closest(".poster")) {
      target.remove();
    }
  },
  true,
);

// Posters that failed before this (deferred) script ran.
for (const img of document.querySelectorAll(".poster img")) {
  if (img.complete && img.naturalWidth === 0) img.remove();
}

// Dismiss a flash message (its × button). Here rather than in an hx-on
// attribute: the Content-Security-Policy allows no inline code or eval.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest(".message__close") : null;
  if (button) button.parentElement?.remove();
});

// Close the account menu when clicking elsewhere or pressing Escape.
document.addEventListener("click", (event) => {
  for (const menu of document.querySelectorAll("details.user-menu[open]")) {
    if (!menu.contains(event.target)) menu.removeAttribute("open");
  }
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  for (const menu of document.querySelectorAll("details.user-menu[open]")) {
    menu.removeAttribute("open");
    menu.querySelector("summary")?.focus();
  }
});

// Live countdowns: every [data-countdown="<ISO time>"] says "in 4 min 12 s"
// and ticks each second. The server renders the same text first
// (watchlist_ui.duration_text), so nothing jumps when this takes over, and
// the query runs each tick, so countdowns that htmx swaps in later tick too.
// The words come from the page (<body data-countdown-*>), in its language.
const countdownWords = {
  dayUnit: document.body.dataset.countdownDay || "d",
  dueNow: document.body.dataset.countdownDue || "due now",
  inTime: document.body.dataset.countdownIn || "in %(time)s",
};

function durationText(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const secs = s % 60;
  const pad = (n) => String(n).padStart(2, "0");
  if (days) return `${days} ${countdownWords.dayUnit} ${hours} h`;
  if (hours) return `${hours} h ${pad(minutes)} min`;
  if (minutes) return `${minutes} min ${pad(secs)} s`;
  return `${secs} s`;
}

function tickCountdowns() {
  const now = Date.now();
  for (const el of document.querySelectorAll("[data-countdown]")) {
    const at = Date.parse(el.dataset.countdown);
    if (Number.isNaN(at)) continue;
    const left = (at - now) / 1000;
    const text = left < 1 ? countdownWords.dueNow : countdownWords.inTime.replace("%(time)s", durationText(left));
    if (el.textContent !== text) el.textContent = text;
  }
}
tickCountdowns();
setInterval(tickCountdowns, 1000);
