// Start page: the list of open incidents follows the global channel.
import { getLive } from "/static/js/live.js";
import { escapeHtml, exerciseTag } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const list = document.getElementById("open-incidents");

function render(data) {
  let li = list.querySelector(`[data-incident-id="${data.id}"]`);
  if (data.status === "closed") {
    li?.remove();
    return;
  }
  list.querySelector(".empty")?.remove();
  if (!li) {
    li = document.createElement("li");
    li.dataset.incidentId = data.id;
    list.prepend(li);
  }
  const tag = exerciseTag(data.kind === "exercise");
  li.innerHTML = `${tag}<a href="/incidents/${data.id}">${escapeHtml(data.title)}</a> <span class="muted">${t("alvorlighet %(n)s", { n: data.severity })}</span>`;
}

const root = document.getElementById("start-page");
const since = Number(root?.dataset.since || 0);
getLive().subscribe("global", (ev) => {
  if (ev.type === EV.INCIDENT_CREATED || ev.type === EV.INCIDENT_UPDATED) render(ev.data);
}, since);
