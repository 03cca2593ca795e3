// Evaluation page: rate each objective with reasoning, læringspunkter, and the action plan followed up until done.
import { api, get, post, patch, escapeHtml, formatTime, announce } from "/static/js/api.js";
import { pageData } from "/static/js/exercise_common.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("evaluation");
const exerciseId = root.dataset.exerciseId;
const base = `/api/v1/exercises/${exerciseId}`;
const page = pageData("evaluation-data");
let data = page.data;
let version = page.version;
const can = page.can_evaluate;
const ratingTitles = page.rating_titles;
const lessonTitles = page.lesson_titles;
const actionTitles = page.action_titles;
const ratingOptions = page.rating_options;
const actionOptions = page.action_options;
const ratingClass = (rating) => `rating-${String(rating).replace(/ /g, "-")}`;

async function reload() {
  data = await get(`${base}/evaluation`);
  render();
}

function renderRatings() {
  const box = document.getElementById("objective-ratings");
  box.innerHTML = data.objectives.map((o, index) => `
    <div class="rating-block">
      <h3>${escapeHtml(o.id)}: ${escapeHtml(o.text)}</h3>
      <p>${t("Vurdering:")} <span class="rating-now ${o.rating ? ratingClass(o.rating) : ""}">${o.rating ? escapeHtml(ratingTitles[o.rating] || o.rating) : t("ikke vurdert")}</span>
        · ${t("%(n)s observasjoner", { n: o.observations })}${o.rated_by ? ` · ${escapeHtml(t("vurdert av %(name)s", { name: o.rated_by }))}` : ""}</p>
      ${o.reasoning && !can ? `<p class="pre">${escapeHtml(o.reasoning)}</p>` : ""}
      ${can ? `<form class="js-rate" data-code="${escapeHtml(o.id)}" data-version="${o.version ?? ""}">
        <fieldset><legend>${escapeHtml(t("Vurdering av %(code)s", { code: o.id }))}</legend>
          ${ratingOptions.map(([value, title]) => `<label class="choice"><input type="radio" name="rating-${index}" value="${escapeHtml(value)}" ${o.rating === value ? "checked" : ""} required> ${escapeHtml(title)}</label>`).join("")}
        </fieldset>
        <div class="field"><label for="reason-${index}">${escapeHtml(t("Begrunnelse for %(code)s", { code: o.id }))}</label>
          <textarea id="reason-${index}" rows="3" required maxlength="4000">${escapeHtml(o.reasoning || "")}</textarea></div>
        <button type="submit">${escapeHtml(t("Lagre vurderingen av %(code)s", { code: o.id }))}</button>
      </form>` : ""}
    </div>`).join("") || `<p class="muted">${t("Øvelsen har ingen øvingsmål.")}</p>`;
  for (const form of box.querySelectorAll(".js-rate")) {
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const checked = form.querySelector("input[type=radio]:checked");
      const body = { rating: checked?.value, reasoning: form.querySelector("textarea").value };
      if (form.dataset.version) body.version = Number(form.dataset.version);
      try {
        await api("PUT", `${base}/objectives/${encodeURIComponent(form.dataset.code)}/evaluation`, body);
        announce(t("Vurderingen av %(code)s er lagret.", { code: form.dataset.code }));
        await reload();
      } catch (err) {
        announce(err.message, "error");
      }
    });
  }
}

function renderLessons() {
  document.getElementById("lesson-list").innerHTML = data.lessons.map((l) => `
    <li><strong>${escapeHtml(lessonTitles[l.kind] || t("Læringspunkt"))}</strong>${l.objective ? ` (${escapeHtml(l.objective)})` : ""}: ${escapeHtml(l.text)}
      ${can ? `<button type="button" class="js-del-lesson" data-id="${l.id}" aria-label="${escapeHtml(t("Slett læringspunktet «%(text)s»", { text: l.text.slice(0, 40) }))}">${t("Slett")}</button>` : ""}</li>`).join("")
    || `<li class="muted">${t("Ingen læringspunkter ennå.")}</li>`;
  for (const button of document.querySelectorAll(".js-del-lesson")) {
    button.addEventListener("click", async () => {
      try {
        await api("DELETE", `/api/v1/lessons/${button.dataset.id}`);
        await reload();
        document.getElementById("lesson-text")?.focus();
      } catch (err) {
        announce(err.message, "error");
      }
    });
  }
}

function renderActions() {
  const body = document.getElementById("action-rows");
  body.innerHTML = data.actions.map((a) => can ? `
    <tr data-id="${a.id}" data-version="${a.version}">
      <td><label class="sr-only" for="a-text-${a.id}">${t("Tiltak")}</label><textarea id="a-text-${a.id}" data-key="action" rows="2">${escapeHtml(a.action)}</textarea></td>
      <td><label class="sr-only" for="a-owner-${a.id}">${t("Ansvarlig")}</label><input id="a-owner-${a.id}" data-key="owner" value="${escapeHtml(a.owner)}"></td>
      <td><label class="sr-only" for="a-deadline-${a.id}">${t("Frist")}</label><input id="a-deadline-${a.id}" data-key="deadline" type="date" value="${a.deadline || ""}">
        ${a.overdue ? `<span class="tag tag-overdue">${t("over fristen")}</span>` : ""}</td>
      <td><label class="sr-only" for="a-status-${a.id}">${t("Status")}</label><select id="a-status-${a.id}" data-key="status">
        ${actionOptions.map(([value, title]) => `<option value="${value}" ${a.status === value ? "selected" : ""}>${escapeHtml(title)}</option>`).join("")}</select></td>
      <td><label class="sr-only" for="a-followup-${a.id}">${t("Oppfølging")}</label><textarea id="a-followup-${a.id}" data-key="followup" rows="2">${escapeHtml(a.followup || "")}</textarea>
        <span class="help">${a.updated_by ? escapeHtml(t("Sist endret av %(name)s %(time)s", { name: a.updated_by, time: formatTime(a.updated_at) })) : ""}</span></td>
      <td><button type="button" class="js-save-action" aria-label="${escapeHtml(t("Lagre tiltaket «%(text)s»", { text: a.action.slice(0, 40) }))}">${t("Lagre")}</button></td>
    </tr>` : `
    <tr><td>${escapeHtml(a.action)}</td><td>${escapeHtml(a.owner)}</td><td>${a.deadline || "–"}${a.overdue ? ` <span class="tag tag-overdue">${t("over fristen")}</span>` : ""}</td>
      <td>${escapeHtml(actionTitles[a.status] || a.status)}</td><td class="pre">${escapeHtml(a.followup || "")}</td></tr>`).join("")
    || `<tr><td colspan="${can ? 6 : 5}" class="muted">${t("Ingen tiltak ennå.")}</td></tr>`;
  for (const button of body.querySelectorAll(".js-save-action")) {
    button.addEventListener("click", async () => {
      const row = button.closest("tr");
      const changes = { version: Number(row.dataset.version) };
      for (const input of row.querySelectorAll("[data-key]")) changes[input.dataset.key] = input.value || null;
      try {
        await patch(`/api/v1/exercise-actions/${row.dataset.id}`, changes);
        announce(t("Tiltaket er lagret."));
        await reload();
      } catch (err) {
        announce(err.message, "error");
      }
    });
  }
}

function renderObservations() {
  document.getElementById("evaluation-observations").innerHTML = data.observations.map((o) => `
    <li><strong>${escapeHtml(o.objective || t("Generelt"))}</strong> · ${formatTime(o.at)} · ${escapeHtml(o.observer)}
      <p class="pre">${escapeHtml(o.text)}</p></li>`).join("") || `<li class="muted">${t("Ingen observasjoner.")}</li>`;
}

function render() {
  renderRatings();
  renderLessons();
  renderActions();
  renderObservations();
}

document.getElementById("summary-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("summary-msg");
  try {
    const saved = await api("PUT", `${base}/evaluation-summary`, { summary: document.getElementById("summary-text").value, version });
    version = saved.version;
    message.textContent = t("Sammendraget er lagret.");
  } catch (err) {
    message.textContent = err.message;
  }
});

document.getElementById("lesson-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("lesson-msg");
  message.textContent = "";
  try {
    await post(`${base}/lessons`, {
      text: document.getElementById("lesson-text").value,
      kind: document.getElementById("lesson-kind").value,
      objective: document.getElementById("lesson-objective").value || null,
    });
    document.getElementById("lesson-text").value = "";
    await reload();
    document.getElementById("lesson-text").focus();
  } catch (err) {
    message.textContent = err.message;
  }
});

document.getElementById("action-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const message = document.getElementById("action-msg");
  message.textContent = "";
  try {
    await post(`${base}/actions`, {
      action: document.getElementById("action-text").value,
      owner: document.getElementById("action-owner").value,
      deadline: document.getElementById("action-deadline").value || null,
    });
    form.reset();
    await reload();
    document.getElementById("action-text").focus();
  } catch (err) {
    message.textContent = err.message;
  }
});

render();
