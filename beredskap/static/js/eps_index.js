// EPS list: occupancy against capacity, kept live from the global channel (counts only).
import { getLive } from "/static/js/live.js";
import { escapeHtml, exerciseTag } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("eps-index");
const rows = document.getElementById("centre-rows");
const STATUS = { besluttet: t("Besluttet"), "\u00e5pnet": t("Åpnet"), i_drift: t("I drift"), avviklet: t("Avviklet") };

export function setFill(fill, present, capacity) {
  const share = capacity > 0 ? Math.min(1, present / capacity) : 0;
  fill.style.width = `${Math.round(share * 100)}%`;
  fill.classList.toggle("full", capacity > 0 && present >= capacity);
}

for (const row of rows.querySelectorAll("tr[data-eps-id]")) {
  const fill = row.querySelector(".js-fill");
  setFill(fill, Number(fill.dataset.present), Number(row.dataset.capacity));
}

function rowFor(data) {
  let row = rows.querySelector(`tr[data-eps-id="${data.eps_id}"]`);
  if (row || !data.name) return row;
  rows.querySelector(".empty")?.remove();
  row = document.createElement("tr");
  row.dataset.epsId = data.eps_id;
  row.dataset.incidentId = data.incident_id;
  row.dataset.capacity = data.capacity;
  const tag = exerciseTag(data.exercise);
  row.innerHTML = `<td>${tag}<a href="/eps/${Number(data.eps_id)}">${escapeHtml(data.name)}</a></td>`
    + `<td><a href="/incidents/${Number(data.incident_id)}">${t("Hendelse %(id)s", { id: Number(data.incident_id) })}</a></td>`
    + `<td><span class="eps-status" data-field="status"></span></td>`
    + `<td class="bar-cell"><span data-field="occupancy"></span><div class="occupancy-bar" aria-hidden="true"><div class="occupancy-fill js-fill"></div></div></td>`
    + `<td data-field="registered">0</td><td data-field="open_inquiries">0</td>`;
  rows.prepend(row);
  return row;
}

function apply(type, data) {
  if (type === EV.EPS_EXERCISE_DATA_DELETED) {
    for (const row of rows.querySelectorAll(`tr[data-incident-id="${data.incident_id}"]`)) row.remove();
    return;
  }
  const row = rowFor(data);
  if (!row) return;
  if (data.capacity !== undefined) row.dataset.capacity = data.capacity;
  if (data.status) {
    const status = row.querySelector('[data-field="status"]');
    status.textContent = STATUS[data.status] || data.status;
    status.className = `eps-status eps-status-${data.status}`;
  }
  if (data.present !== undefined) {
    const capacity = Number(row.dataset.capacity);
    row.querySelector('[data-field="occupancy"]').textContent = `${data.present} av ${capacity}`;
    setFill(row.querySelector(".js-fill"), Number(data.present), capacity);
  }
  if (data.registered !== undefined) row.querySelector('[data-field="registered"]').textContent = data.registered;
  if (data.open_inquiries !== undefined) row.querySelector('[data-field="open_inquiries"]').textContent = data.open_inquiries;
}

getLive().subscribe("global", (ev) => {
  if (ev.type.startsWith("eps.")) apply(ev.type, ev.data);
}, Number(root?.dataset.since || 0));
