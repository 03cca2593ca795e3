// Plan page: øvingsdirektiv, objectives and the dreiebok editor (keyboard-usable), CSV import, start and delete.
import { api, get, post, patch, escapeHtml, announce } from "/static/js/api.js";
import { pageData, readFile, postFile } from "/static/js/exercise_common.js";
import { t } from "/static/js/i18n.js";

const data = pageData("exercise-data");
let exercise = data.exercise;
const editable = data.editable;
const base = `/api/v1/exercises/${exercise.id}`;
const stateTitles = data.state_titles || {};

const lines = (text) => text.split("\n").map((line) => line.trim()).filter(Boolean);
const orNull = (value) => (value && value.trim() ? value.trim() : null);

async function reload() {
  exercise = await get(base);
  renderObjectives();
  renderDreiebok();
}

// ---------------------------------------------------------------- direktiv
document.getElementById("directive-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const message = document.getElementById("directive-msg");
  message.textContent = "";
  const participants = lines(form.elements.participants.value).map((line) => {
    const at = line.indexOf(":");
    return at > 0 ? { role: line.slice(0, at).trim(), description: line.slice(at + 1).trim() || null } : { role: line };
  });
  try {
    exercise = await patch(base, {
      version: exercise.version,
      title: form.elements.title.value,
      form: form.elements.form.value,
      date: orNull(form.elements.date.value),
      duration: orNull(form.elements.duration.value),
      location: orNull(form.elements.location.value),
      purpose: orNull(form.elements.purpose.value),
      scenario: orNull(form.elements.scenario.value),
      participants,
      organisers: form.elements.organisers.value,
      ground_rules: lines(form.elements.ground_rules.value),
      notes: orNull(form.elements.notes.value),
      counts_for_plan: form.elements.counts_for_plan.checked,
    });
    message.className = "form-msg";
    message.textContent = t("Direktivet er lagret.");
    renderDreiebok();
  } catch (err) {
    message.className = "form-error";
    message.textContent = err.message;
  }
});

// ---------------------------------------------------------------- objectives
let objectiveDrafts = null;

function renderObjectives() {
  const root = document.getElementById("objectives");
  if (!editable) {
    root.innerHTML = exercise.objectives.length
      ? `<dl class="objective-view">${exercise.objectives.map((o) => `<dt>${escapeHtml(o.id)}</dt><dd>${escapeHtml(o.text)}
          ${o.indicators.length ? `<ul class="compact">${o.indicators.map((i) => `<li>${escapeHtml(i)}</li>`).join("")}</ul>` : ""}</dd>`).join("")}</dl>`
      : `<p class="muted">${t("Ingen øvingsmål.")}</p>`;
    return;
  }
  objectiveDrafts = objectiveDrafts || exercise.objectives.map((o) => ({ ...o, indicators: o.indicators.join("\n") }));
  root.innerHTML = objectiveDrafts.map((o, index) => `
    <fieldset class="objective-edit" data-index="${index}">
      <legend>${t("Mål %(n)s", { n: index + 1 })}</legend>
      <div class="field-row">
        <div class="field narrow-field"><label for="o-id-${index}">${t("Kode")}</label><input id="o-id-${index}" data-key="id" value="${escapeHtml(o.id)}" maxlength="20" required></div>
        <div class="field wide-field"><label for="o-text-${index}">${t("Mål")}</label><textarea id="o-text-${index}" data-key="text" rows="2">${escapeHtml(o.text)}</textarea></div>
      </div>
      <div class="field"><label for="o-ind-${index}">${t("Indikatorer (én per linje)")}</label><textarea id="o-ind-${index}" data-key="indicators" rows="2">${escapeHtml(o.indicators)}</textarea></div>
      <button type="button" class="js-remove-objective" data-index="${index}">${t("Fjern mål %(code)s", { code: escapeHtml(o.id) || index + 1 })}</button>
    </fieldset>`).join("") || `<p class="muted">${t("Ingen øvingsmål ennå.")}</p>`;
  for (const input of root.querySelectorAll("[data-key]")) {
    input.addEventListener("input", () => {
      const index = Number(input.closest("fieldset").dataset.index);
      objectiveDrafts[index][input.dataset.key] = input.value;
    });
  }
  for (const button of root.querySelectorAll(".js-remove-objective")) {
    button.addEventListener("click", () => {
      objectiveDrafts.splice(Number(button.dataset.index), 1);
      renderObjectives();
      document.getElementById("objective-add")?.focus();
    });
  }
}

document.getElementById("objective-add")?.addEventListener("click", () => {
  objectiveDrafts.push({ id: `M${objectiveDrafts.length + 1}`, text: "", indicators: "" });
  renderObjectives();
  document.getElementById(`o-text-${objectiveDrafts.length - 1}`)?.focus();
});

document.getElementById("objectives-save")?.addEventListener("click", async () => {
  const message = document.getElementById("objectives-msg");
  message.textContent = "";
  try {
    exercise = await patch(base, {
      version: exercise.version,
      objectives: objectiveDrafts.map((o) => ({ id: o.id.trim(), text: o.text.trim(), indicators: lines(o.indicators) })),
    });
    objectiveDrafts = null;
    message.className = "form-msg";
    message.textContent = t("Målene er lagret.");
    renderObjectives();
    renderDreiebok();
  } catch (err) {
    message.className = "form-error";
    message.textContent = err.message;
  }
});

// ---------------------------------------------------------------- dreiebok
const form = document.getElementById("inject-form");

function renderDreiebok() {
  const body = document.getElementById("dreiebok-rows");
  if (!body) return;
  body.innerHTML = exercise.injects.map((i) => `
    <tr data-id="${i.id}">
      <td>${i.no}</td><td>${escapeHtml(i.at)}</td><td>${escapeHtml(i.from || "")}</td><td>${escapeHtml(i.to || "")}</td>
      <td>${escapeHtml(i.channel || "")}</td><td class="text-cell">${escapeHtml(i.text)}</td><td>${escapeHtml(i.expected || "")}</td>
      <td>${escapeHtml(i.objective || "")}</td>
      <td><span class="state state-${i.state}">${escapeHtml(stateTitles[i.state] || i.state)}</span></td>
      ${editable ? `<td><button type="button" class="js-edit" data-id="${i.id}" aria-label="${t("Endre innspill %(n)s", { n: i.no })}">${t("Endre")}</button>
        <button type="button" class="js-delete" data-id="${i.id}" aria-label="${t("Slett innspill %(n)s", { n: i.no })}">${t("Slett")}</button></td>` : ""}
    </tr>`).join("") || `<tr><td colspan="${editable ? 10 : 9}" class="muted">${t("Dreieboka er tom.")}</td></tr>`;
  if (!editable) return;
  for (const button of body.querySelectorAll(".js-edit")) button.addEventListener("click", () => startEdit(Number(button.dataset.id)));
  for (const button of body.querySelectorAll(".js-delete")) button.addEventListener("click", () => removeInject(Number(button.dataset.id)));
  const select = document.getElementById("i-objective");
  const chosen = select.value;
  select.innerHTML = `<option value="">(${t("ingen")})</option>${exercise.objectives.map((o) => `<option value="${escapeHtml(o.id)}">${escapeHtml(o.id)}</option>`).join("")}`;
  select.value = chosen;
  const roles = new Set([...exercise.participants.map((p) => p.role), ...exercise.injects.map((i) => i.to).filter(Boolean)]);
  document.getElementById("role-list").innerHTML = [...roles].map((r) => `<option value="${escapeHtml(r)}">`).join("");
}

function startEdit(id) {
  const inject = exercise.injects.find((i) => i.id === id);
  if (!inject) return;
  for (const key of ["no", "at", "from", "to", "channel", "text", "expected", "objective", "notes"]) {
    form.elements[key].value = inject[key] ?? "";
  }
  form.elements.id.value = inject.id;
  form.elements.version.value = inject.version;
  document.getElementById("inject-form-h").textContent = t("Endre innspill %(n)s", { n: inject.no });
  document.getElementById("inject-submit").textContent = t("Lagre endringen");
  document.getElementById("inject-cancel").hidden = false;
  document.querySelectorAll("#dreiebok-rows tr").forEach((row) => row.classList.toggle("editing", Number(row.dataset.id) === id));
  form.elements.at.focus();
}

function endEdit() {
  const editedId = form.elements.id.value;
  form.reset();
  form.elements.id.value = "";
  form.elements.version.value = "";
  document.getElementById("inject-form-h").textContent = t("Nytt innspill");
  document.getElementById("inject-submit").textContent = t("Legg til innspill");
  document.getElementById("inject-cancel").hidden = true;
  document.querySelectorAll("#dreiebok-rows tr.editing").forEach((row) => row.classList.remove("editing"));
  return editedId;
}

async function removeInject(id) {
  const inject = exercise.injects.find((i) => i.id === id);
  if (!inject || !window.confirm(t("Slette innspill %(n)s?", { n: inject.no }))) return;
  try {
    await api("DELETE", `/api/v1/injects/${id}`);
    announce(t("Innspill %(n)s er slettet.", { n: inject.no }));
    await reload();
    form.elements.at.focus();
  } catch (err) {
    announce(err.message, "error");
  }
}

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("inject-msg");
  message.textContent = "";
  const body = {};
  for (const key of ["at", "from", "to", "channel", "text", "expected", "objective", "notes"]) body[key] = orNull(form.elements[key].value);
  if (form.elements.no.value.trim()) body.no = Number(form.elements.no.value.trim());
  try {
    let saved;
    if (form.elements.id.value) {
      saved = await patch(`/api/v1/injects/${form.elements.id.value}`, { ...body, version: Number(form.elements.version.value) });
    } else {
      saved = await post(`${base}/injects`, body);
    }
    endEdit();
    await reload();
    announce(t("Innspill %(n)s er lagret.", { n: saved.no }));
    const button = document.querySelector(`.js-edit[data-id="${saved.id}"]`);
    (button || form.elements.at).focus();
  } catch (err) {
    message.textContent = err.message;
  }
});

document.getElementById("inject-cancel")?.addEventListener("click", () => {
  const id = endEdit();
  document.querySelector(`.js-edit[data-id="${id}"]`)?.focus();
});
form?.addEventListener("keydown", (event) => {
  if (event.key === "Escape" && form.elements.id.value) {
    const id = endEdit();
    document.querySelector(`.js-edit[data-id="${id}"]`)?.focus();
  }
});

document.getElementById("csv-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const message = document.getElementById("csv-msg");
  message.textContent = "";
  try {
    const file = await readFile(document.getElementById("csv-file"));
    exercise = await postFile(`${base}/dreiebok.csv`, file.buffer, "text/csv");
    renderDreiebok();
    announce(t("Dreieboka er erstattet: %(n)s innspill.", { n: exercise.injects.length }));
  } catch (err) {
    message.textContent = err.message;
  }
});

// ---------------------------------------------------------------- run, delete
const runMessage = document.getElementById("run-msg");

document.getElementById("start-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await post(`${base}/start`, { speed: Number(document.getElementById("start-speed").value) });
    window.location.href = `/exercises/${exercise.id}/control`;
  } catch (err) {
    runMessage.textContent = err.message;
  }
});

document.getElementById("held-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await post(`${base}/finish`, { held_on: document.getElementById("held-on").value });
    window.location.href = `/exercises/${exercise.id}/evaluation`;
  } catch (err) {
    runMessage.textContent = err.message;
  }
});

document.getElementById("delete-form")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await api("DELETE", base);
    window.location.href = "/exercises";
  } catch (err) {
    runMessage.textContent = err.message;
  }
});

renderObjectives();
renderDreiebok();
