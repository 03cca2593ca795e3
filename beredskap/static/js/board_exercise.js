// The exercise on its board: the exercise clock and its state (running, paused, finished) for everyone, the delivered
// injects arriving live, and for the control room what comes next. The server decides what each role gets (the
// page's snapshot and GET /api/v1/incidents/<id>/exercise): a player's data never holds an inject before it is due.
import { get, escapeHtml, announce } from "/static/js/api.js";
import { getLive } from "/static/js/live.js";
import { formatClock, formatCountdown, injectCard, injectFromEvent } from "/static/js/exercise_common.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const snapshot = JSON.parse(document.getElementById("board-data").textContent);
const section = document.getElementById("exercise-section");
const incidentId = snapshot.incident.id;
let state = snapshot.exercise;
let fetchedAt = performance.now();

function running() {
  return state.status === "running" && !state.paused && state.elapsed_seconds !== null;
}

function sinceFetch() {
  return (performance.now() - fetchedAt) / 1000;
}

function tick() {
  const elapsed = state.elapsed_seconds === null ? null
    : state.elapsed_seconds + (running() ? sinceFetch() * state.speed : 0);
  document.getElementById("board-ex-clock").textContent = formatClock(elapsed);
  const countdown = document.getElementById("board-ex-countdown");
  if (countdown) {
    const due = state.next_due_in;
    countdown.textContent = formatCountdown(due === null || due === undefined ? null : due - (running() ? sinceFetch() : 0));
  }
}

function renderState() {
  const el = document.getElementById("board-ex-state");
  const title = state.status_titles?.[state.status] || state.status_title || state.status;
  const live = state.status === "running" || state.status === "paused";
  el.textContent = live ? `${title} – ${t("%(speed)s× hastighet", { speed: state.speed })}` : title;
  el.className = `ex-status ex-status-${state.status}`;
  section.dataset.status = state.status;
}

function render() {
  renderState();
  const delivered = [...state.delivered].reverse();
  const list = document.getElementById("board-ex-delivered");
  list.innerHTML = delivered.map((i) => `<li>${injectCard(i, { expected: state.control })}</li>`).join("")
    || `<li class="muted">${escapeHtml(t("Ingen innspill er levert ennå."))}</li>`;
  document.getElementById("board-ex-delivered-count").textContent = state.skipped
    ? t("(%(n)s, %(skipped)s hoppet over)", { n: delivered.length, skipped: state.skipped })
    : `(${delivered.length})`;
  if (state.control) {
    const pending = state.pending || [];
    const next = document.getElementById("board-ex-next");
    next.innerHTML = pending.length
      ? `<p>${escapeHtml(t("Kommer:"))} <span class="countdown" id="board-ex-countdown"></span></p>${injectCard(pending[0], { expected: true })}`
      : `<p class="muted">${escapeHtml(t("Alle innspill er levert eller hoppet over."))}</p>`;
    document.getElementById("board-ex-pending-count").textContent = `(${pending.length})`;
    document.getElementById("board-ex-pending").innerHTML = pending.map((i) => `<li>${injectCard(i, { expected: true })}</li>`).join("");
  }
  tick();
}

// One refresh at a time; events that arrive meanwhile ask for one more.
let refreshing = false;
let again = false;
async function refresh() {
  if (refreshing) {
    again = true;
    return;
  }
  refreshing = true;
  try {
    state = await get(`/api/v1/incidents/${incidentId}/exercise`);
    fetchedAt = performance.now();
    render();
  } catch (_) { /* offline: the next event or the periodic refresh brings it */ } finally {
    refreshing = false;
    if (again) {
      again = false;
      refresh();
    }
  }
}

function onEvent(ev) {
  const d = ev.data || {};
  if (d.exercise_id !== undefined && d.exercise_id !== state.exercise_id) return;
  if (ev.type === EV.INJECT_DELIVERED) {
    // Shown at once from the event; the refresh then brings what only the control room reads.
    if (!state.delivered.some((i) => i.no === d.no)) state.delivered = [...state.delivered, injectFromEvent(d)];
    if (state.pending) state.pending = state.pending.filter((i) => i.no !== d.no);
    render();
    announce(t("Innspill %(n)s er levert.", { n: d.no }));
    refresh();
  } else if (ev.type.startsWith("exercise.")) {
    if (d.status) state = { ...state, status: d.status, paused: d.status === "paused", speed: d.speed ?? state.speed };
    if (d.elapsed_seconds !== undefined) {
      state.elapsed_seconds = d.elapsed_seconds;
      fetchedAt = performance.now();
    }
    renderState(); // the state line is a status region: screen readers hear the change
    refresh();
  } else if (ev.type.startsWith("inject.")) {
    refresh();
  }
}

render();
section.dataset.ready = "true";
getLive().subscribe(`incident:${incidentId}`, onEvent, snapshot.since.incident);
setInterval(tick, 500);
// The countdown depends on the server's clock as much as on events.
setInterval(refresh, 30000);
