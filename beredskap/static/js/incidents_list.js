// Incident list: follows the global channel, so a new or closed incident shows without reload.
import { getLive } from "/static/js/live.js";
import { escapeHtml, exerciseTag, formatDateTime } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const TYPE = { flom: t("Flom"), brann: t("Brann"), eksplosjon_gass: t("Eksplosjon/gass"), ulykke: t("Ulykke"), vold_terror: t("Vold/terror"),
  pandemi: t("Pandemi"), ekstremvaer: t("Ekstremvær"), ikt_bortfall: t("IKT-bortfall"), annet: t("Annet") };
const SEVERITY = { 1: t("1 – lav"), 2: t("2 – middels"), 3: t("3 – høy") };

const root = document.getElementById("incidents-page");
const openRows = document.getElementById("open-incident-rows");
const closedList = document.getElementById("closed-incidents");

for (const el of document.querySelectorAll("time.js-datetime")) el.textContent = formatDateTime(el.getAttribute("datetime"));

function titleCell(data) {
  const tag = exerciseTag(data.kind === "exercise");
  return `${tag}<a href="/incidents/${data.id}">${escapeHtml(data.title)}</a>`;
}

function apply(data) {
  const row = openRows.querySelector(`[data-incident-id="${data.id}"]`);
  const closedItem = closedList.querySelector(`[data-incident-id="${data.id}"]`);
  if (data.status === "closed") {
    row?.remove();
    closedList.querySelector(".empty")?.remove();
    const li = closedItem || document.createElement("li");
    li.dataset.incidentId = data.id;
    li.innerHTML = `${titleCell(data)} <span class="muted">${escapeHtml(TYPE[data.type] || data.type)}</span>`;
    if (!closedItem) closedList.prepend(li);
    return;
  }
  closedItem?.remove();
  openRows.querySelector(".empty")?.remove();
  const tr = row || document.createElement("tr");
  tr.dataset.incidentId = data.id;
  const created = row?.querySelector("time")?.outerHTML || `<time datetime="${new Date().toISOString()}">${formatDateTime(new Date().toISOString())}</time>`;
  tr.innerHTML = `<td>${titleCell(data)}</td><td>${escapeHtml(TYPE[data.type] || data.type)}</td>`
    + `<td><span class="sev sev-${Number(data.severity)}">${escapeHtml(SEVERITY[data.severity] || data.severity)}</span></td>`
    + `<td>${escapeHtml(data.phase || "")}</td><td>${created}</td>`;
  if (!row) openRows.prepend(tr);
}

getLive().subscribe("global", (ev) => {
  if (ev.type === EV.INCIDENT_CREATED || ev.type === EV.INCIDENT_UPDATED) apply(ev.data);
}, Number(root?.dataset.since || 0));
