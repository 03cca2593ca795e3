// Control room: the exercise clock, the next inject with a countdown, pause/resume/skip/send early/speed,
// and what the players did (the incident log), all kept live from the journal.
import { get, post, escapeHtml, formatTime, announce } from "/static/js/api.js";
import { getLive } from "/static/js/live.js";
import { pageData, formatClock, formatCountdown, injectCard } from "/static/js/exercise_common.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("control");
const exerciseId = root.dataset.exerciseId;
const incidentId = root.dataset.incidentId;
const base = `/api/v1/exercises/${exerciseId}`;
const page = pageData("control-data");
const statusTitles = page.status_titles || {};
let state = page.state;
let fetchedAt = performance.now();
const message = document.getElementById("control-msg");

function secondsSinceFetch() {
  return (performance.now() - fetchedAt) / 1000;
}

function clockRunning() {
  return state.exercise.status === "running" && !state.paused && state.elapsed_seconds !== null;
}

function tick() {
  const elapsed = state.elapsed_seconds === null ? null
    : state.elapsed_seconds + (clockRunning() ? secondsSinceFetch() * state.exercise.speed : 0);
  document.getElementById("elapsed").textContent = formatClock(elapsed);
  const countdown = document.getElementById("countdown");
  if (countdown && state.next) {
    const due = state.next.seconds_until_due;
    countdown.textContent = formatCountdown(due === null ? null : due - (clockRunning() ? secondsSinceFetch() : 0));
  }
}

function render() {
  const { exercise } = state;
  const status = exercise.status;
  const words = status === "running" && state.paused ? statusTitles.paused : statusTitles[status] || status;
  document.getElementById("run-state").textContent = `${words}${status === "running" || status === "paused" ? ` – ${t("%(speed)s× hastighet", { speed: exercise.speed })}` : ""}`;
  document.getElementById("pause-btn").disabled = status !== "running";
  document.getElementById("resume-btn").disabled = status !== "paused";
  document.getElementById("finish-btn").disabled = !["running", "paused"].includes(status);
  const live = ["running", "paused"].includes(status);

  const next = document.getElementById("next");
  if (state.next) {
    const inject = state.next.inject;
    next.innerHTML = `<p>${t("Kommer:")} <span class="countdown" id="countdown"></span></p>
      ${injectCard(inject, { expected: true })}
      ${live ? `<button type="button" class="primary js-send" data-id="${inject.id}">${t("Send innspill %(n)s nå", { n: inject.no })}</button>
      <button type="button" class="js-skip" data-id="${inject.id}">${t("Hopp over innspill %(n)s", { n: inject.no })}</button>` : ""}`;
  } else {
    next.innerHTML = `<p class="muted">${state.counts.pending === 0 ? t("Alle innspill er levert eller hoppet over.") : "–"}</p>`;
  }
  document.getElementById("pending-count").textContent = `(${state.pending.length})`;
  document.getElementById("pending-rows").innerHTML = state.pending.map((i) => `
    <tr><td>${i.no}</td><td>${escapeHtml(i.at)}</td><td>${escapeHtml(i.to || "")}</td><td>${escapeHtml(i.text)}</td>
      <td>${live ? `<button type="button" class="js-skip" data-id="${i.id}" aria-label="${t("Hopp over innspill %(n)s", { n: i.no })}">${t("Hopp over")}</button>` : ""}</td></tr>`).join("")
    || `<tr><td colspan="5" class="muted">${t("Ingen innspill venter.")}</td></tr>`;
  const delivered = [...state.delivered].reverse();
  document.getElementById("delivered-count").textContent = t("(%(n)s, %(skipped)s hoppet over)", { n: delivered.length, skipped: state.skipped.length });
  document.getElementById("delivered-list").innerHTML = delivered.map((i) => `<li>${injectCard(i, { expected: true })}</li>`).join("")
    || `<li class="muted">${t("Ingen innspill er levert ennå.")}</li>`;
  for (const button of root.querySelectorAll(".js-send")) button.addEventListener("click", () => act(`/api/v1/injects/${button.dataset.id}/send`, t("Innspillet er sendt.")));
  for (const button of root.querySelectorAll(".js-skip")) button.addEventListener("click", () => act(`/api/v1/injects/${button.dataset.id}/skip`, t("Innspillet er hoppet over.")));
  tick();
}

let refreshing = null;
async function refresh() {
  if (refreshing) return refreshing;
  refreshing = (async () => {
    try {
      state = await get(`${base}/control`);
      fetchedAt = performance.now();
      render();
    } catch (err) {
      message.textContent = err.message;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function act(url, done, body) {
  message.textContent = "";
  try {
    await post(url, body);
    announce(done);
    await refresh();
  } catch (err) {
    message.textContent = err.message;
  }
}

document.getElementById("pause-btn").addEventListener("click", () => act(`${base}/pause`, t("Øvelsen er på pause.")));
document.getElementById("resume-btn").addEventListener("click", () => act(`${base}/resume`, t("Øvelsen går igjen.")));
document.getElementById("finish-btn").addEventListener("click", () => {
  if (window.confirm(t("Avslutte øvelsen? Innspill som ikke er levert, blir ikke levert."))) act(`${base}/finish`, t("Øvelsen er avsluttet."));
});
document.getElementById("speed-form").addEventListener("submit", (event) => {
  event.preventDefault();
  act(`${base}/speed`, t("Hastigheten er endret."), { speed: Number(document.getElementById("speed").value) });
});

// What the players did: the newest log lines of the exercise incident.
const logList = document.getElementById("player-log");
const logLine = (entry) => `<li><span class="who">${escapeHtml(entry.author)}</span> ${formatTime(entry.created_at)}:
  ${escapeHtml(entry.text)}</li>`;
function addLog(entry) {
  logList.querySelector(".muted")?.remove();
  logList.insertAdjacentHTML("afterbegin", logLine(entry));
  while (logList.children.length > 30) logList.lastElementChild.remove();
}

if (incidentId) {
  get(`/api/v1/incidents/${incidentId}/log`).then((data) => {
    const entries = data.entries.slice(-30).reverse();
    logList.innerHTML = entries.map(logLine).join("") || `<li class="muted">${t("Ingen loggføringer ennå.")}</li>`;
  }).catch(() => {});
  getLive().subscribe(`incident:${incidentId}`, (event) => {
    if (event.type === EV.LOG_CREATED) addLog(event.data);
    else if (event.type.startsWith("inject.") || event.type.startsWith("exercise.")) refresh();
  }, Number(root.dataset.since || 0));
} else {
  logList.innerHTML = `<li class="muted">${t("Øvelsen er ikke startet.")}</li>`;
}

render();
setInterval(tick, 500);
setInterval(refresh, 10000);
