// EPS desk, closing the loops: correct a registration (its history of old values shown beside it), view a
// household, list who has left with their destination, and check a person in again. Every read goes through the
// audited API with the purpose picked for this desk; live events carry ids and counts only.
import { announce, escapeHtml, formatDateTime, get, patch, post } from "/static/js/api.js";
import { showDate } from "/static/js/eps_inquiries.js";

const TEXT = {
  fields: { full_name: "Fullt navn", birth_date: "Fødselsdato", phone: "Telefon", address: "Adresse", needs: "Behov", needs_note: "Merknad om behov", destination: "Reisemål", household_id: "Husstand", status: "Status" },
  actions: { registered: "Registrert", checked_out: "Sjekket ut", checked_in_again: "Sjekket inn igjen", corrected: "Rettet", reunited: "Gjenforent" },
  status: { present: "til stede", left: "har forlatt" },
  save: "Lagre rettelse",
  close: "Lukk",
  saved: "Rettelsen er lagret; de gamle verdiene står i historikken.",
  nothing: "Ingen endringer å lagre.",
  history: "Historikk",
  noChanges: "Ingen rettelser.",
  household: (id, n) => `Husstand #${id} (${n} ${n === 1 ? "person" : "personer"})`,
  showHousehold: "Vis husstanden",
  open: "Åpne",
  checkIn: "Sjekk inn igjen",
  checkedIn: "Sjekket inn igjen.",
  noneLeft: "Ingen har forlatt senteret.",
  empty: "tomt",
  by: "av",
};

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

const value = (v) => (v === null || v === undefined || v === "" ? `<span class="muted">(${TEXT.empty})</span>` : escapeHtml(Array.isArray(v) ? v.join(", ") : v));
const born = (p) => (p.birth_date ? showDate(p.birth_date) : (p.birth_year || ""));

function input(name, label, current, extra = "") {
  return `<div class="field"><label for="fix-${name}">${label}</label>`
    + `<input id="fix-${name}" name="${name}" value="${escapeHtml(current ?? "")}" autocomplete="off" ${extra}></div>`;
}

function historyList(person) {
  const lines = (person.changes || []).map((change) => {
    const what = Object.entries(change.changes)
      .map(([key, c]) => `${TEXT.fields[key] || key}: ${value(c.from)} → ${value(c.to)}`)
      .join("; ");
    return `<li><time datetime="${escapeHtml(change.at)}">${escapeHtml(formatDateTime(change.at))}</time> `
      + `${TEXT.actions[change.action] || change.action} ${TEXT.by} ${escapeHtml(change.actor)}: ${what}</li>`;
  });
  const statuses = (person.history || []).map((h) => `${TEXT.actions[h.action] || h.action} ${escapeHtml(formatDateTime(h.at))}`).join(" · ");
  return `<h3>${TEXT.history}</h3><p class="help">${statuses}</p>`
    + (lines.length ? `<ol class="fix-history" id="fix-history">${lines.join("")}</ol>` : `<p id="fix-history">${TEXT.noChanges}</p>`);
}

function render(person) {
  shown = person;
  document.getElementById("person-detail-h").textContent = `${person.full_name} (${TEXT.status[person.status] || person.status})`;
  const left = person.status === "left";
  body.innerHTML = `<form id="fix-form" class="fix-form" novalidate>`
    + input("full_name", TEXT.fields.full_name, person.full_name, 'maxlength="200" required')
    + `<div class="field-row">${input("birth_date", TEXT.fields.birth_date, born(person), 'inputmode="numeric" maxlength="10"')}`
    + `${input("phone", TEXT.fields.phone, person.phone, 'type="tel" maxlength="40"')}</div>`
    + input("address", TEXT.fields.address, person.address, 'maxlength="300"')
    + input("needs_note", TEXT.fields.needs_note, person.needs_note, 'maxlength="1000"')
    + (left ? input("destination", TEXT.fields.destination, person.destination, 'maxlength="300"') : "")
    + `<div class="actions-row"><button type="submit" class="primary">${TEXT.save}</button>`
    + `<button type="button" data-close-detail>${TEXT.close}</button>`
    + (person.household_id ? `<button type="button" data-household="${Number(person.household_id)}">${TEXT.showHousehold}</button>` : "")
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
    msg.textContent = TEXT.nothing;
    return;
  }
  for (const field of form.querySelectorAll("[aria-invalid]")) field.removeAttribute("aria-invalid");
  try {
    const person = await patch(`/api/v1/evacuees/${shown.id}`, { ...changes, version: shown.version });
    hooks.changed(person);
    if (person.status === "left") addLeftRow(person);
    await openPerson(person.id);
    msg.textContent = TEXT.saved;
    announce(TEXT.saved);
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
    view.innerHTML = `<h3>${TEXT.household(household.id, household.count)}</h3><ul class="household-list">`
      + household.members.map((m) => `<li>${escapeHtml(m.full_name)} ${escapeHtml(born(m))} – ${TEXT.status[m.status] || m.status}`
        + `${m.destination ? ` (${escapeHtml(m.destination)})` : ""} `
        + `<button type="button" data-open-person="${Number(m.id)}">${TEXT.open}<span class="sr-only"> ${escapeHtml(m.full_name)}</span></button></li>`).join("")
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
    + `<td class="actions"><button type="button" data-checkin="${Number(person.id)}">${TEXT.checkIn}<span class="sr-only"> ${escapeHtml(person.full_name)}</span></button> `
    + `<button type="button" data-open-person="${Number(person.id)}">${TEXT.history}<span class="sr-only"> ${escapeHtml(person.full_name)}</span></button></td>`;
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

const NONE_LEFT = `<tr class="empty"><td colspan="5" class="muted">${TEXT.noneLeft}</td></tr>`;

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
    announce(TEXT.checkedIn);
    (document.getElementById("m0-name") || document.getElementById("people-filter")).focus();
  } catch (err) {
    document.getElementById("left-msg").textContent = err.message;
  }
});
