// The live board: drawn from the page's snapshot, then kept identical on every screen by the journal.
// Every event is applied by id (and version), so catch-up after a reconnect can replay events safely.
import { getLive } from "/static/js/live.js";
import { get, patch, escapeHtml, announce, csrfToken, exerciseTag } from "/static/js/api.js";
import { BoardLog } from "/static/js/board_log.js";
import { BoardTasks } from "/static/js/board_tasks.js";
import { BoardAlerts } from "/static/js/board_alerts.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const snapshot = JSON.parse(document.getElementById("board-data").textContent);
const root = document.getElementById("board");

const board = {
  id: snapshot.incident.id,
  incident: snapshot.incident,
  can: snapshot.can,
  titles: snapshot.titles,
  me: snapshot.me,
  sitreps: new Map(snapshot.sitreps.map((s) => [s.id, s])),
  eps: new Map((snapshot.eps || []).map((c) => [c.id, c])),
};

// --- EPS occupancy (counts only) ---

function renderEps() {
  const list = document.getElementById("eps-list");
  if (!list) return;
  const centres = [...board.eps.values()];
  if (!centres.length) {
    list.innerHTML = `<li class="muted">${t("Ingen EPS er opprettet for denne hendelsen.")}</li>`;
    return;
  }
  list.innerHTML = centres.map((c) => {
    const full = c.capacity && c.present >= c.capacity ? ` <span class="tag tag-overdue">${t("FULLT")}</span>` : "";
    return `<li data-eps-id="${Number(c.id)}"><a href="/eps/${Number(c.id)}">${escapeHtml(c.name || "EPS " + c.id)}</a>: `
      + t("%(present)s av %(capacity)s til stede", { present: `<strong>${Number(c.present)}</strong>`, capacity: Number(c.capacity) }) + full
      + " · " + t("%(registered)s registrert · %(open)s åpne henvendelser", { registered: Number(c.registered ?? 0), open: Number(c.open_inquiries ?? 0) })
      + "</li>";
  }).join("");
}

function applyEps(type, d) {
  const id = d.eps_id ?? d.id;
  const known = board.eps.get(id) || { id };
  board.eps.set(id, { ...known, ...d, id, name: d.name || known.name });
  renderEps();
}

const log = new BoardLog(board);
const tasks = new BoardTasks(board);
const alerts = new BoardAlerts(board);

// --- incident header ---

function renderIncident() {
  const inc = board.incident;
  const titles = board.titles;
  const exercise = exerciseTag(inc.kind === "exercise");
  document.getElementById("incident-title").innerHTML = exercise + escapeHtml(inc.title);
  document.title = `${inc.kind === "exercise" ? `${t("ØVELSE")} – ` : ""}${inc.title} – Kristiansand`;
  document.getElementById("incident-facts").innerHTML = `<span class="tag">${escapeHtml(titles.type[inc.type] || inc.type)}</span>`
    + `<span class="sev sev-${Number(inc.severity)}">${escapeHtml(t("Alvorlighet %(severity)s", { severity: titles.severity[inc.severity] || inc.severity }))}</span>`
    + `<span>${escapeHtml(t("Fase: %(phase)s", { phase: inc.phase }))}</span>`
    + `<span class="status status-${escapeHtml(inc.status)}">${escapeHtml(titles.status[inc.status] || inc.status)}</span>`;
  document.getElementById("cards-type").textContent = titles.type[inc.type] || inc.type;
  const closed = inc.status === "closed";
  document.getElementById("closed-note").hidden = !closed;
  log.setClosed(closed);
  const taskForm = document.getElementById("task-form");
  if (taskForm) for (const el of taskForm.elements) el.disabled = closed;
  const form = document.getElementById("incident-form");
  if (form) {
    const phases = [...new Set([...snapshot.phases, inc.phase])];
    const phase = form.elements.phase;
    if (document.activeElement?.form !== form) {
      phase.innerHTML = phases.map((p) => `<option>${escapeHtml(p)}</option>`).join("");
      phase.value = inc.phase;
      form.elements.severity.value = String(inc.severity);
    }
    form.dataset.version = inc.version;
    document.getElementById("incident-close").hidden = closed;
    document.getElementById("incident-reopen").hidden = !closed;
    form.elements.phase.disabled = closed;
    form.elements.severity.disabled = closed;
  }
}

function applyIncident(data) {
  if (data.version < board.incident.version) return;
  const typeChanged = data.type && data.type !== board.incident.type;
  const statusChanged = data.status !== board.incident.status;
  board.incident = { ...board.incident, ...data };
  renderIncident();
  if (statusChanged) {
    tasks.render();
    tasks.renderCards();
    for (const entry of log.entries.values()) log.draw(entry, true);
    log.applyFilters();
  }
  if (typeChanged) refreshCards();
}

async function saveIncident(changes) {
  const msg = document.getElementById("incident-msg");
  msg.textContent = "";
  try {
    applyIncident(await patch(`/api/v1/incidents/${board.id}`, { ...changes, version: board.incident.version }));
    msg.textContent = t("Lagret.");
  } catch (err) {
    if (err.status === 409) {
      applyIncident(await get(`/api/v1/incidents/${board.id}`));
      msg.textContent = t("Hendelsen ble endret av noen andre i mellomtiden. Det som vises nå er den nye versjonen – prøv igjen.");
    } else {
      msg.textContent = t("Ikke lagret: %(error)s", { error: err.message });
    }
  }
}

const incidentForm = document.getElementById("incident-form");
if (incidentForm) {
  incidentForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    saveIncident({ phase: incidentForm.elements.phase.value, severity: Number(incidentForm.elements.severity.value) });
  });
  document.getElementById("incident-close").addEventListener("click", () => {
    if (window.confirm(t("Avslutte hendelsen? Loggen og oppgavene låses."))) saveIncident({ status: "closed" });
  });
  document.getElementById("incident-reopen").addEventListener("click", () => saveIncident({ status: "open" }));
}

// --- situation reports ---

function renderSitreps() {
  const list = document.getElementById("sitrep-list");
  const items = [...board.sitreps.values()].sort((a, b) => b.number - a.number);
  list.innerHTML = items.length ? items.map((s) => {
    const status = board.titles.sitrep_status[s.status] || s.status;
    return `<li data-sitrep-id="${s.id}"><strong>${t("Nr. %(n)s", { n: s.number })}</strong> <span class="tag sitrep-${escapeHtml(s.status)}">${escapeHtml(status)}</span> `
      + `<a href="/incidents/${board.id}/sitreps/${s.id}">${t("Åpne")}<span class="sr-only"> ${t("rapport nr. %(n)s", { n: s.number })}</span></a> · `
      + `<a href="/incidents/${board.id}/sitrep.pdf?sitrep=${s.id}">PDF<span class="sr-only"> ${t("av rapport nr. %(n)s", { n: s.number })}</span></a></li>`;
  }).join("") : `<li class="muted">${t("Ingen rapporter ennå.")}</li>`;
}

function applySitrep(data) {
  const known = board.sitreps.get(data.id);
  if (known && known.version > data.version) return;
  board.sitreps.set(data.id, { ...(known || {}), ...data });
  renderSitreps();
}

// --- action cards ---

async function refreshCards() {
  try {
    const result = await get(`/api/v1/incidents/${board.id}/actioncards`);
    tasks.loadCards(result.actioncards);
  } catch (_) { /* the next event or reload brings them */ }
}

// --- who is on the board ---

function renderPresence(present) {
  document.getElementById("presence-count").textContent = String(present.length);
  document.getElementById("presence-list").innerHTML = present.map((p) => `<li${p.user_id === board.me.id ? ' class="me"' : ""}>${escapeHtml(p.name)}${p.user_id === board.me.id ? ` (${t("deg")})` : ""}</li>`).join("");
}

let presenceTimer = null;
async function heartbeat() {
  try {
    const result = await fetch(`/api/v1/incidents/${board.id}/presence`, {
      method: "POST", credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
    if (result.ok) renderPresence((await result.json()).present);
  } catch (_) { /* offline: the next beat tries again */ }
}

function schedulePresenceRefresh() {
  clearTimeout(presenceTimer);
  presenceTimer = setTimeout(async () => {
    try {
      renderPresence((await get(`/api/v1/incidents/${board.id}/presence`)).present);
    } catch (_) { /* next heartbeat */ }
  }, 250);
}

window.addEventListener("pagehide", () => {
  fetch(`/api/v1/incidents/${board.id}/presence`, {
    method: "DELETE", keepalive: true, credentials: "same-origin",
    headers: { "X-CSRFToken": csrfToken() },
  }).catch(() => {});
});
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") heartbeat();
});
document.addEventListener("live:state", (ev) => {
  if (ev.detail === "connected") heartbeat();
});

// --- live ---

function onIncidentEvent(ev) {
  root.dataset.seq = ev.seq;
  const d = ev.data;
  switch (ev.type) {
    case EV.INCIDENT_CREATED:
    case EV.INCIDENT_UPDATED:
      applyIncident(d);
      break;
    case EV.LOG_CREATED:
      log.upsert(d);
      break;
    case EV.TASK_CREATED:
    case EV.TASK_UPDATED:
      tasks.upsert(d);
      break;
    case EV.SITREP_CREATED:
    case EV.SITREP_UPDATED:
    case EV.SITREP_APPROVED:
    case EV.SITREP_ISSUED:
      applySitrep(d);
      if (ev.type !== EV.SITREP_UPDATED) announce(t("Situasjonsrapport nr. %(n)s: %(status)s.", { n: d.number, status: board.titles.sitrep_status[d.status] || d.status }));
      break;
    case EV.PRESENCE_CHANGED:
      schedulePresenceRefresh();
      break;
    case EV.EPS_OPENED:
    case EV.EPS_OCCUPANCY:
    case EV.EPS_STATUS_CHANGED:
      applyEps(ev.type, d);
      break;
    case EV.ALERT_CREATED:
    case EV.ALERT_RECIPIENT:
      alerts.onEvent(ev.type, d);
      break;
    default:
      break;
  }
}

function onGlobalEvent(ev) {
  if (ev.type.startsWith("actioncard.") && (ev.data.type === board.incident.type || tasks.cards.has(ev.data.id))) refreshCards();
}

// --- start ---

log.load(snapshot.entries);
tasks.load(snapshot.tasks);
tasks.loadCards(snapshot.cards);
renderIncident();
renderSitreps();
renderEps();
renderPresence(snapshot.present);
alerts.load();
root.dataset.seq = snapshot.since.incident;
root.dataset.ready = "true";
document.getElementById("log-text")?.focus();

getLive().subscribe(`incident:${board.id}`, onIncidentEvent, snapshot.since.incident);
getLive().subscribe("global", onGlobalEvent, snapshot.since.global);
heartbeat();
setInterval(heartbeat, snapshot.heartbeat_seconds * 1000);
// Overdue is a matter of the clock as well as of events.
setInterval(() => {
  tasks.render();
  log.refreshTimes();
}, 30000);
