// Replay: the exercise board at any moment, folded on the server from the journal (the same reducer as the
// replay API), with a time slider and playback at a chosen speed.
import { get, escapeHtml, formatTime, formatDateTime } from "/static/js/api.js";
import { injectCard } from "/static/js/exercise_common.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("replay");
const base = `/api/v1/exercises/${root.dataset.exerciseId}/replay`;
const slider = document.getElementById("replay-slider");
const output = document.getElementById("replay-time");
const playButton = document.getElementById("replay-play");
const TASK_STATUS = { new: t("Ny"), started: t("Påbegynt"), done: t("Utført") };
const SITREP_STATUS = { draft: t("Utkast"), approved: t("Godkjent"), issued: t("Utsendt") };
let start = null;
let endText = null;
let timer = null;
let inFlight = false;
let pending = null;

function momentFor(seconds) {
  if (Number(seconds) >= Number(slider.max) && endText) return endText;
  return new Date(start.getTime() + Number(seconds) * 1000).toISOString();
}

function render(state) {
  document.getElementById("replay-summary").textContent =
    t("%(events)s hendelser i journalen fram til dette tidspunktet: %(injects)s innspill, %(log)s loggføringer, %(tasks)s oppgaver, %(sitreps)s situasjonsrapporter.", {
      events: state.event_count, injects: state.injects.length, log: state.log.length, tasks: state.tasks.length, sitreps: state.sitreps.length,
    })
    + (state.exercise.paused ? ` ${t("Øvelsen var på pause.")}` : "") + (state.exercise.finished ? ` ${t("Øvelsen var avsluttet.")}` : "");
  document.getElementById("r-injects").innerHTML = [...state.injects].reverse().map((i) => `<li>${injectCard(i)}</li>`).join("")
    || `<li class="muted">${t("Ingen innspill levert ennå.")}</li>`;
  document.getElementById("r-log").innerHTML = [...state.log].reverse().map((e) => `<li><strong>${escapeHtml(e.author)}</strong>
    ${formatTime(e.created_at)}: ${escapeHtml(e.text)}</li>`).join("") || `<li class="muted">${t("Ingen loggføringer.")}</li>`;
  document.getElementById("r-tasks").innerHTML = state.tasks.map((task) => `<li>${escapeHtml(task.title)}
    – <strong>${escapeHtml(TASK_STATUS[task.status] || task.status)}</strong>${task.assignee ? ` (${escapeHtml(task.assignee)})` : ""}</li>`).join("")
    || `<li class="muted">${t("Ingen oppgaver.")}</li>`;
  document.getElementById("r-sitreps").innerHTML = state.sitreps.map((s) => `<li>${t("Situasjonsrapport %(n)s", { n: s.number })}
    – <strong>${escapeHtml(SITREP_STATUS[s.status] || s.status)}</strong></li>`).join("") || `<li class="muted">${t("Ingen rapporter.")}</li>`;
}

async function show(seconds) {
  const at = momentFor(seconds);
  output.textContent = formatDateTime(at) + ` (+${Math.round(Number(seconds) / 60)} min)`;
  slider.setAttribute("aria-valuetext", output.textContent);
  if (inFlight) {
    pending = seconds;
    return;
  }
  inFlight = true;
  try {
    const data = await get(`${base}?at=${encodeURIComponent(at)}`);
    render(data.state);
  } finally {
    inFlight = false;
    if (pending !== null) {
      const next = pending;
      pending = null;
      show(next);
    }
  }
}

function stop() {
  clearInterval(timer);
  timer = null;
  playButton.textContent = t("Spill av");
  playButton.setAttribute("aria-pressed", "false");
}

function play() {
  if (Number(slider.value) >= Number(slider.max)) slider.value = 0;
  playButton.textContent = t("Pause avspillingen");
  playButton.setAttribute("aria-pressed", "true");
  let last = performance.now();
  timer = setInterval(() => {
    const now = performance.now();
    const speed = Number(document.getElementById("replay-speed").value);
    const value = Math.min(Number(slider.max), Number(slider.value) + ((now - last) / 1000) * speed);
    last = now;
    slider.value = value;
    show(value);
    if (value >= Number(slider.max)) stop();
  }, 400);
}

playButton.addEventListener("click", () => (timer ? stop() : play()));
let debounce = null;
slider.addEventListener("input", () => {
  clearTimeout(debounce);
  debounce = setTimeout(() => show(slider.value), 120);
});
document.getElementById("replay-start").addEventListener("click", () => {
  stop();
  slider.value = 0;
  show(0);
});
document.getElementById("replay-end").addEventListener("click", () => {
  stop();
  slider.value = slider.max;
  show(slider.max);
});

get(base).then((data) => {
  const { timeline } = data;
  if (!timeline.start) return;
  start = new Date(timeline.start);
  endText = timeline.end;
  const span = Math.max(1, Math.ceil((new Date(timeline.end) - start) / 1000));
  slider.max = span;
  slider.value = span;
  slider.setAttribute("aria-valuetext", "slutt");
  output.textContent = formatDateTime(timeline.end);
  render(data.state);
});
