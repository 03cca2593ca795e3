// Observer page: timed observations against objectives; delivered injects arrive live alongside.
import { get, escapeHtml, formatTime, announce } from "/static/js/api.js";
import * as outbox from "/static/js/outbox.js";
import { mark, watch } from "/static/js/pending.js";
import { getLive } from "/static/js/live.js";
import { pageData, formatClock, injectCard, injectFromEvent } from "/static/js/exercise_common.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("observe");
const base = `/api/v1/exercises/${root.dataset.exerciseId}`;
const data = pageData("observe-data");
let observations = data.observations || [];

let unsent = []; // observations written here and still in the outbox, shown first and marked «ikke sendt»

function renderObservations() {
  document.getElementById("obs-count").textContent = `(${observations.length})`;
  const waiting = [...unsent].reverse().map((e) => `
    <li class="is-pending-row" data-pending="${escapeHtml(e.key)}"><strong>${escapeHtml(objectiveName(e.body?.objective))}</strong> · ${formatTime(new Date(e.createdAt).toISOString())}
      <span class="tag tag-unsent">${escapeHtml(mark(e).text)}</span><p class="pre">${escapeHtml(e.body?.text)}</p></li>`).join("");
  document.getElementById("obs-list").innerHTML = waiting + [...observations].reverse().map((o) => `
    <li><strong>${escapeHtml(o.objective || t("Generelt"))}</strong> · ${formatTime(o.at)}
      ${o.exercise_seconds !== null ? `(${t("øvelsestid %(clock)s", { clock: formatClock(o.exercise_seconds) })})` : ""} · ${escapeHtml(o.observer)}
      <p class="pre">${escapeHtml(o.text)}</p></li>`).join("") || (waiting ? "" : `<li class="muted">${t("Ingen observasjoner ennå.")}</li>`);
}

function objectiveName(value) {
  if (!value) return t("Generelt");
  const option = [...form.elements.objective.options].find((o) => o.value === String(value));
  return option ? option.textContent : String(value);
}

const injectList = document.getElementById("obs-injects");
const seen = new Set();
function addInject(inject) {
  if (seen.has(inject.no)) return;
  seen.add(inject.no);
  injectList.querySelector(".muted")?.remove();
  injectList.insertAdjacentHTML("afterbegin", `<li>${injectCard(inject, { expected: true })}</li>`);
}
for (const inject of data.delivered || []) addInject(inject);
if (!seen.size) injectList.innerHTML = `<li class="muted">${t("Ingen innspill er levert ennå.")}</li>`;

const form = document.getElementById("obs-form");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("obs-msg");
  message.textContent = "";
  try {
    const text = form.elements.text.value;
    const saved = await outbox.post(`${base}/observations`, {
      objective: form.elements.objective.value || null,
      text,
    }, { label: t("Observasjon: %(text)s", { text }) });
    if (saved.queued) {
      form.elements.text.value = "";
      announce(t("Ikke sendt ennå: observasjonen er lagret på denne enheten."));
      return;
    }
    if (!observations.some((o) => o.id === saved.id)) observations.push(saved); // the live event may have fetched it
    watch((e) => e.method === "POST" && e.url === `${base}/observations`, {
  draw: (list) => {
    unsent = list;
    renderObservations();
  },
  sent: (entry, data) => {
    unsent = unsent.filter((e) => e.key !== entry.key);
    if (data?.id != null && !observations.some((o) => o.id === data.id)) observations.push(data);
    renderObservations();
  },
});
renderObservations();
    form.elements.text.value = "";
    form.elements.text.focus();
    announce(t("Observasjonen er lagret."));
  } catch (err) {
    message.textContent = err.message;
  }
});
form.elements.text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
});

async function refreshObservations() {
  try {
    observations = (await get(`${base}/observations`)).observations;
    watch((e) => e.method === "POST" && e.url === `${base}/observations`, {
  draw: (list) => {
    unsent = list;
    renderObservations();
  },
  sent: (entry, data) => {
    unsent = unsent.filter((e) => e.key !== entry.key);
    if (data?.id != null && !observations.some((o) => o.id === data.id)) observations.push(data);
    renderObservations();
  },
});
renderObservations();
  } catch {
    /* the next event or resync tries again */
  }
}

if (root.dataset.incidentId) {
  // Delivered injects come with the event; another observer's note is announced by id and fetched here.
  getLive().subscribe(`incident:${root.dataset.incidentId}`, (event) => {
    if (event.type === EV.INJECT_DELIVERED) addInject(injectFromEvent(event.data));
    if (event.type === EV.OBSERVATION_ADDED && String(event.data.exercise_id) === root.dataset.exerciseId) {
      if (!observations.some((o) => o.id === event.data.id)) refreshObservations();
    }
  }, Number(root.dataset.since || 0));
}
watch((e) => e.method === "POST" && e.url === `${base}/observations`, {
  draw: (list) => {
    unsent = list;
    renderObservations();
  },
  sent: (entry, data) => {
    unsent = unsent.filter((e) => e.key !== entry.key);
    if (data?.id != null && !observations.some((o) => o.id === data.id)) observations.push(data);
    renderObservations();
  },
});
renderObservations();
