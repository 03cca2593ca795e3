// Writes still in the outbox, drawn inline by the page that made them (a log line, a task, a registration) and
// marked «ikke sendt»; the real row takes their place once the server has acknowledged them, with no gap and no
// second copy. Several tabs share the outbox: a write sent by another tab is replaced here as well.
import { entries, isExpired, isValid, onChange, onSent } from "/static/js/outbox.js";
import { t } from "/static/js/i18n.js";

/** The mark of an unsent write: its state and the words shown for it. */
export function mark(entry) {
  if (entry.state === "failed") return { state: "failed", text: t("ikke sendt – avvist: %(error)s", { error: entry.error || "" }) };
  return { state: "pending", text: t("ikke sendt") };
}

/**
 * Follow the outbox writes `match(entry)` picks: `draw(list)` with all of them (oldest first) whenever the outbox
 * changes, `sent(entry, data)` when one was acknowledged (`data` is the server's answer, null if it was lost).
 */
export function watch(match, { draw, sent }) {
  const done = new Set(); // acknowledged keys: a read that started before the delete must not draw them again
  let timer = null;
  let last = null; // what was drawn: during a replay most changes are elsewhere in the outbox, so skip those
  let force = false;
  const refresh = async () => {
    timer = null;
    let list = [];
    try {
      list = (await entries()).filter((e) => isValid(e) && !isExpired(e) && !done.has(e.key) && match(e));
    } catch (_) { /* IndexedDB unavailable: nothing is queued */ }
    const seen = list.map((e) => `${e.key}:${e.state}`).join();
    if (seen === last && !force) return;
    last = seen;
    force = false;
    draw(list);
  };
  const schedule = (redraw = false) => {
    force = force || redraw === true;
    // A replay changes the outbox once per write: draw at most every 100 ms, not for each of them.
    if (!timer) timer = setTimeout(refresh, 100);
  };
  onChange(() => schedule());
  onSent((entry, data) => {
    if (!match(entry)) return;
    done.add(entry.key);
    sent(entry, data);
  });
  refresh();
  return { refresh: () => schedule(true) };
}
