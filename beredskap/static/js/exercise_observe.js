// Observer page: timed observations against objectives; delivered injects arrive live alongside.
import { get, escapeHtml, formatTime, announce } from "/static/js/api.js";
import * as outbox from "/static/js/outbox.js";
import { getLive } from "/static/js/live.js";
import { pageData, formatClock, injectCard, injectFromEvent } from "/static/js/exercise_common.js";
import { EV } from "/static/js/generated/events.js";

const root = document.getElementById("observe");
const base = `/api/v1/exercises/${root.dataset.exerciseId}`;
const data = pageData("observe-data");
let observations = data.observations || [];

function renderObservations() {
  document.getElementById("obs-count").textContent = `(${observations.length})`;
  document.getElementById("obs-list").innerHTML = [...observations].reverse().map((o) => `
    <li><strong>${escapeHtml(o.objective || "Generelt")}</strong> · ${formatTime(o.at)}
      ${o.exercise_seconds !== null ? `(øvelsestid ${formatClock(o.exercise_seconds)})` : ""} · ${escapeHtml(o.observer)}
      <p class="pre">${escapeHtml(o.text)}</p></li>`).join("") || '<li class="muted">Ingen observasjoner ennå.</li>';
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
if (!seen.size) injectList.innerHTML = '<li class="muted">Ingen innspill er levert ennå.</li>';

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
    }, { label: `Observasjon: ${text}` });
    if (saved.queued) {
      form.elements.text.value = "";
      announce("Ikke sendt ennå: observasjonen er lagret på denne enheten.");
      return;
    }
    if (!observations.some((o) => o.id === saved.id)) observations.push(saved); // the live event may have fetched it
    renderObservations();
    form.elements.text.value = "";
    form.elements.text.focus();
    announce("Observasjonen er lagret.");
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
renderObservations();
