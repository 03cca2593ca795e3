// EPS desk, closing the loops: correct a registration (its history of old values shown beside it), view a
// household, list who has left with their destination, and check a person in again. Every read goes through the
// audited API with the purpose picked for this desk; live events carry ids and counts only.
import { announce, escapeHtml, formatDateTime, get, patch, post } from "/static/js/api.js";
import { showDate } from "/static/js/eps_inquiries.js";
import { t } from "/static/js/i18n.js";

// Labels of the fields, the actions in a registration's history and its status (also used in the history).
const FIELDS = {
  full_name: t("Fullt navn"), birth_date: t("Fødselsdato"), phone: t("Telefon"), address: t("Adresse"), needs: t("Behov"),
  needs_note: t("Merknad om behov"), destination: t("Reisemål"), household_id: t("Husstand"), status: t("Status"),
};
const ACTIONS = {
  registered: t("Registrert"), checked_out: t("Sjekket ut"), checked_in_again: t("Sjekket inn igjen"), corrected: t("Rettet"),
  reunited: t("Gjenforent"),
};
const STATUS = { present: t("til stede"), left: t("har forlatt") };

const root = document.getElementById("eps-desk");
const epsId = Number(root.dataset.epsId);
const panel = document.getElementById("person-detail");
const body = document.getElementById("person-detail-body");
const msg = document.getElementById("person-detail-msg");
const leftRows = document.getElementById("left-rows");
const leftPeople = new Map();
let hooks = { present: () => {}, changed: () => {} };
let shown = null; // the record open in the panel

export function initFix(callbacks) {
  hooks = { ...hooks, ...callbacks };
}

const value = (v) => (v === null || v === undefined || v === "" ? `<span class="muted">(${t("tomt")})</span>` : escapeHtml(Array.isArray(v) ? v.join(", ") : v));
const born = (p) => (p.birth_date ? showDate(p.birth_date) : (p.birth_year || ""));

function input(name, label, current, extra = "") {
  return `<div class="field"><label for="fix-${name}">${label}</label>`
    + `<input id="fix-${name}" name="${name}" value="${escapeHtml(current ?? "")}" autocomplete="off" ${extra}></div>`;
}

function historyList(person) {
  const lines = (person.changes || []).map((change) => {
    const what = Object.entries(change.changes)
      .map(([key, c]) => `${FIELDS[key] || escapeHtml(key)}: ${value(c.from)} → ${value(c.to)}`)
      .join("; ");
    return `<li><time datetime="${escapeHtml(change.at)}">${escapeHtml(formatDateTime(change.at))}</time> `
      + `${escapeHtml(ACTIONS[change.action] || change.action)} ${escapeHtml(t("av %(name)s", { name: change.actor }))}: ${what}</li>`;
  });
  const statuses = (person.history || []).map((h) => `${escapeHtml(ACTIONS[h.action] || h.action)} ${escapeHtml(formatDateTime(h.at))}`).join(" · ");
  return `<h3>${t("Historikk")}</h3><p class="help">${statuses}</p>`
    + (lines.length ? `<ol class="fix-history" id="fix-history">${lines.join("")}</ol>` : `<p id="fix-history">${t("Ingen rettelser.")}</p>`);
}

function render(person) {
  shown = person;
  document.getElementById("person-detail-h").textContent = `${person.full_name} (${STATUS[person.status] || person.status})`;
  const left = person.status === "left";
  body.innerHTML = `<form id="fix-form" class="fix-form" novalidate>`
    + input("full_name", FIELDS.full_name, person.full_name, 'maxlength="200" required')
    + `<div class="field-row">${input("birth_date", FIELDS.birth_date, born(person), 'inputmode="numeric" maxlength="10"')}`
    + `${input("phone", FIELDS.phone, person.phone, 'type="tel" maxlength="40"')}</div>`
    + input("address", FIELDS.address, person.address, 'maxlength="300"')
    + input("needs_note", FIELDS.needs_note, person.needs_note, 'maxlength="1000"')
    + (left ? input("destination", FIELDS.destination, person.destination, 'maxlength="300"') : "")
    + `<div class="actions-row"><button type="submit" class="primary">${t("Lagre rettelse")}</button>`
    + `<button type="button" data-close-detail>${t("Lukk")}</button>`
    + (person.household_id ? `<button type="button" data-household="${Number(person.household_id)}">${t("Vis husstanden")}</button>` : "")
    + `</div></form>${historyList(person)}<div id="household-view"></div>`;
  panel.dataset.evacueeId = person.id;
  panel.hidden = false;
}

export async function openPerson(id) {
  msg.textContent = "";
  try {
    render(await get(`/api/v1/evacuees/${Number(id)}/history`));
    document.getElementById("fix-full_name").focus();
  } catch (err) {
    panel.hidden = false;
    msg.textContent = err.message;
  }
}

async function save(form) {
  const changes = {};
  for (const field of form.querySelectorAll("input[name]")) {
    const before = field.name === "birth_date" ? String(born(shown)) : (shown[field.name] ?? "");
    if (field.value.trim() !== String(before)) changes[field.name] = field.value.trim();
  }
  if (!Object.keys(changes).length) {
    msg.textContent = t("Ingen endringer å lagre.");
    return;
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  try {
    const person = await patch(`/api/v1/evacuees/${shown.id}`, { ...changes, version: shown.version });
    hooks.changed(person);
    if (person.status === "left") addLeftRow(person);
    await openPerson(person.id);
    const saved = t("Rettelsen er lagret; de gamle verdiene står i historikken.");
    msg.textContent = saved;
    announce(saved);
  } catch (err) {
    msg.textContent = err.message;
    const name = Object.keys(err.fields || {})[0];
    const field = name && form.querySelector(`[name="${name}"]`);
    if (field) {
      field.setAttribute("aria-invalid", "true");
      field.focus();
    }
  }
}

async function showHousehold(id) {
  const view = document.getElementById("household-view");
  try {
    const household = await get(`/api/v1/households/${Number(id)}`);
    view.innerHTML = `<h3>${household.count === 1 ? t("Husstand #%(id)s (1 person)", { id: Number(household.id) }) : t("Husstand #%(id)s (%(n)s personer)", { id: Number(household.id), n: Number(household.count) })}</h3><ul class="household-list">`
      + household.members.map((m) => `<li>${escapeHtml(m.full_name)} ${escapeHtml(born(m))} – ${escapeHtml(STATUS[m.status] || m.status)}`
        + `${m.destination ? ` (${escapeHtml(m.destination)})` : ""} `
        + `<button type="button" data-open-person="${Number(m.id)}">${t("Åpne")}<span class="sr-only"> ${escapeHtml(m.full_name)}</span></button></li>`).join("")
      + "</ul>";
    view.querySelector("button")?.focus();
  } catch (err) {
    msg.textContent = err.message;
  }
}

export function openHousehold(id) {
  panel.hidden = false;
  body.innerHTML = '<div id="household-view"></div>';
  document.getElementById("person-detail-h").textContent = `#${Number(id)}`;
  showHousehold(id);
}

panel.addEventListener("submit", (event) => {
  event.preventDefault();
  save(event.target);
});

panel.addEventListener("click", (event) => {
  const household = event.target.closest("button[data-household]");
  const person = event.target.closest("button[data-open-person]");
  if (household) showHousehold(household.dataset.household);
  if (person) openPerson(person.dataset.openPerson);
  if (event.target.closest("button[data-close-detail]")) {
    panel.hidden = true;
    shown = null;
  }
});

// --- who has left, and checking in again ---

function leftRow(person) {
  return `<td><span class="person-name">${escapeHtml(person.full_name)}</span></td><td>${escapeHtml(born(person))}</td>`
    + `<td>${escapeHtml(person.destination || "")}</td><td>${escapeHtml(formatDateTime(person.left_at))}</td>`
    + `<td class="actions"><button type="button" data-checkin="${Number(person.id)}">${t("Sjekk inn igjen")}<span class="sr-only"> ${escapeHtml(person.full_name)}</span></button> `
    + `<button type="button" data-open-person="${Number(person.id)}">${t("Historikk")}<span class="sr-only"> ${escapeHtml(person.full_name)}</span></button></td>`;
}

function setLeftCount(count) {
  document.getElementById("left-count").textContent = count ?? leftRows.querySelectorAll("tr[data-evacuee-id]").length;
}

export function addLeftRow(person) {
  leftPeople.set(person.id, person);
  leftRows.querySelector(".empty")?.remove();
  let row = leftRows.querySelector(`tr[data-evacuee-id="${person.id}"]`);
  if (!row) {
    row = document.createElement("tr");
    row.dataset.evacueeId = person.id;
    leftRows.prepend(row);
  }
  row.innerHTML = leftRow(person);
  setLeftCount();
}

const NONE_LEFT = `<tr class="empty"><td colspan="5" class="muted">${t("Ingen har forlatt senteret.")}</td></tr>`;

export function removeLeftRow(id) {
  leftRows.querySelector(`tr[data-evacuee-id="${id}"]`)?.remove();
  leftPeople.delete(Number(id));
  setLeftCount();
  if (!leftRows.querySelector("tr")) leftRows.innerHTML = NONE_LEFT;
}

export async function loadLeft() {
  try {
    const data = await get(`/api/v1/eps/${epsId}/evacuees?status=left`);
    leftRows.innerHTML = "";
    for (const person of data.evacuees) addLeftRow(person);
    if (!data.evacuees.length) leftRows.innerHTML = NONE_LEFT;
    setLeftCount(data.evacuees.length);
  } catch (err) {
    document.getElementById("left-msg").textContent = err.message;
  }
}

/** A person checked out (here or elsewhere): add them to the list of who left, with the destination. */
export async function personLeft(id) {
  try {
    addLeftRow(await get(`/api/v1/evacuees/${Number(id)}`));
  } catch (err) {
    document.getElementById("left-msg").textContent = err.message;
  }
}

leftRows.addEventListener("click", async (event) => {
  const open = event.target.closest("button[data-open-person]");
  if (open) openPerson(open.dataset.openPerson);
  const button = event.target.closest("button[data-checkin]");
  if (!button) return;
  const id = Number(button.dataset.checkin);
  try {
    const done = await post(`/api/v1/evacuees/${id}/checkin`);
    const person = { ...leftPeople.get(id), ...done, destination: null, left_at: null };
    removeLeftRow(id);
    hooks.present(person);
    announce(t("Sjekket inn igjen."));
    (document.getElementById("m0-name") || document.getElementById("people-filter")).focus();
  } catch (err) {
    document.getElementById("left-msg").textContent = err.message;
  }
});
