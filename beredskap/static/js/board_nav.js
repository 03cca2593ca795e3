// Keyboard navigation of the board (issue 21): shortcuts for the action bar, the «?» help, skip links between
// log, tasks and reports, and one roving focus for the controls in the log list (each «Korriger» and each
// link to a correction), so Tab passes the whole log in one stop however long it grows.

const list = document.getElementById("log-list");
const help = document.getElementById("board-help");
const ROVING = "button.log-correct, a[href^='#log-']";

// --- roving focus in the log list ---

let current = null; // the one control of the list in the Tab order

function visibleControls() {
  return [...list.querySelectorAll(ROVING)].filter((el) => !el.hidden && !el.closest("[hidden]"));
}

function setCurrent(el) {
  if (current && current !== el && current.isConnected) current.tabIndex = -1;
  current = el;
  if (el) el.tabIndex = 0;
}

// Every control but one leaves the Tab order; the one kept is the last one used while it is still shown.
function normalise() {
  const controls = visibleControls();
  for (const el of list.querySelectorAll(ROVING)) if (el !== current) el.tabIndex = -1;
  setCurrent(current && controls.includes(current) ? current : controls[0] || null);
}

function move(ev) {
  const keys = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1, Home: "first", End: "last" };
  const step = keys[ev.key];
  if (step === undefined || ev.altKey || ev.ctrlKey || ev.metaKey || !ev.target.matches(ROVING)) return;
  const controls = visibleControls();
  if (!controls.length) return;
  ev.preventDefault();
  let index = controls.indexOf(ev.target);
  if (step === "first") index = 0;
  else if (step === "last") index = controls.length - 1;
  else index = Math.min(controls.length - 1, Math.max(0, index + step));
  setCurrent(controls[index]);
  controls[index].focus();
}

if (list) {
  // Lines are drawn, redrawn and filtered by board_log.js; the observer keeps one Tab stop through all of it.
  // Its callback runs as a microtask, before the next key press can be handled.
  new MutationObserver(normalise).observe(list, { childList: true, subtree: true, attributes: true, attributeFilter: ["hidden"] });
  list.addEventListener("keydown", move);
  list.addEventListener("focusin", (ev) => {
    if (ev.target.matches(ROVING)) setCurrent(ev.target);
  });
  normalise();
}

// --- skip links and jumps ---

const TARGETS = {
  log: () => document.getElementById("log-text") || document.getElementById("log-h"),
  tasks: () => document.getElementById("tasks-h"),
  reports: () => document.getElementById("sitreps-h"),
};

function jump(name) {
  const target = TARGETS[name]?.();
  if (!target) return;
  if (!target.matches("input, textarea, select, button, a[href]")) target.tabIndex = -1;
  target.scrollIntoView({ block: "start" });
  target.focus({ preventScroll: true });
}

for (const link of document.querySelectorAll("#board-actionbar [data-skip]")) {
  link.addEventListener("click", (ev) => {
    ev.preventDefault();
    jump(link.dataset.skip);
  });
}

// --- help overlay ---

function openHelp() {
  if (!help || help.open) return;
  help.showModal();
  document.getElementById("board-help-close")?.focus();
}

document.getElementById("action-help")?.addEventListener("click", openHelp);

// --- shortcuts ---

function typing(el) {
  return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

function follow(id) {
  const el = document.getElementById(id);
  if (el) el.click();
}

const SHORTCUTS = {
  KeyS: () => document.getElementById("action-sitrep-form")?.requestSubmit(),
  KeyV: () => follow("action-alert"),
  KeyK: () => follow("action-map"),
  KeyZ: () => follow("board-zone-circle"),
  KeyL: () => jump("log"),
  KeyO: () => jump("tasks"),
  KeyR: () => jump("reports"),
};

document.addEventListener("keydown", (ev) => {
  if (help?.open) return;
  // Alt+Shift+letter works everywhere, also while typing a log line (Alt+1–5 stay the log's category keys).
  if (ev.altKey && ev.shiftKey && !ev.ctrlKey && !ev.metaKey && SHORTCUTS[ev.code]) {
    ev.preventDefault();
    SHORTCUTS[ev.code]();
    return;
  }
  if (ev.key === "?" && !ev.altKey && !ev.ctrlKey && !ev.metaKey && !typing(ev.target)) {
    ev.preventDefault();
    openHelp();
  }
});
