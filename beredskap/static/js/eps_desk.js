// EPS registration desk: keyboard-first check-in (alone or as a household), people present with check-out,
// next-of-kin inquiries with ranked candidates and an explicit reunification button. Personal data is only
// fetched through the audited API; live events carry ids and counts, never names.
import { getLive } from "/static/js/live.js";
import { announce, escapeHtml, exerciseTag, formatTime, get } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import * as outbox from "/static/js/outbox.js";
import { onInquiryEvent, showDate, startInquiries } from "/static/js/eps_inquiries.js";
import { mark, watch } from "/static/js/pending.js";
import { hasPurpose, PICK_FIRST, whenPurpose } from "/static/js/eps_purpose.js";
import * as fix from "/static/js/eps_desk_fix.js";
import "/static/js/eps_inquiry_fix.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("eps-desk");
const epsId = Number(root.dataset.epsId);
const capacity = Number(root.dataset.capacity);
const exercise = root.dataset.exercise === "true";
const NEEDS = { helse: t("Helse/medisiner"), kost: t("Kost"), sprak: t("Språk/tolk"), mobilitet: t("Mobilitet"), kjaeledyr: t("Kjæledyr") };

const form = document.getElementById("reg-form");
const extra = document.getElementById("extra-members");
const peopleRows = document.getElementById("people-rows");
const mine = { evacuees: new Set() };
let inFlight = 0;
const deferred = [];
let nextMember = 1;

// --- small helpers ---

function fold(text) {
  return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function setOccupancy(present) {
  document.getElementById("occ-figure").textContent = t("%(present)s av %(capacity)s til stede", { present, capacity });
  const fill = document.getElementById("occ-fill");
  fill.style.width = `${Math.round(Math.min(1, capacity ? present / capacity : 0) * 100)}%`;
  fill.classList.toggle("full", present >= capacity);
}

function updatePresentCount() {
  document.getElementById("present-count").textContent = peopleRows.querySelectorAll("tr[data-evacuee-id]").length;
}

// --- registration ---

function renumberMembers() {
  form.querySelectorAll("fieldset.member").forEach((set, index) => {
    set.querySelector(":scope > legend").textContent = t("Person %(n)s", { n: index + 1 });
  });
}

function addMember() {
  const index = nextMember++;
  const fragment = document.getElementById("member-template").content.cloneNode(true);
  const set = fragment.querySelector("fieldset.member");
  set.dataset.index = index;
  for (const input of set.querySelectorAll("[data-id]")) input.id = `m${index}-${input.dataset.id}`;
  for (const label of set.querySelectorAll("label[data-for]")) label.htmlFor = `m${index}-${label.dataset.for}`;
  const remove = set.querySelector(".remove-member");
  remove.addEventListener("click", () => {
    set.remove();
    renumberMembers();
    document.getElementById("m0-name").focus();
  });
  extra.appendChild(fragment);
  renumberMembers();
  document.getElementById(`m${index}-name`).focus();
}

function memberData(set) {
  const value = (name) => set.querySelector(`[name="${name}"]`)?.value.trim() || "";
  const data = {
    full_name: value("full_name"),
    needs: [...set.querySelectorAll('input[name="need"]:checked')].map((box) => box.value),
  };
  for (const key of ["birth_date", "phone", "needs_note"]) if (value(key)) data[key] = value(key);
  return data;
}

function clearErrors() {
  document.getElementById("reg-error").textContent = "";
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
}

function markErrors(fields, sets) {
  let first = null;
  for (const key of Object.keys(fields || {})) {
    const match = /^members\[(\d+)\]\.(\w+)/.exec(key);
    const set = match ? sets[Number(match[1])] : sets[0];
    const name = match ? match[2] : key.split(".")[0];
    const input = name === "address" ? document.getElementById("reg-address") : set?.querySelector(`[name="${name}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      first = first || input;
    }
  }
  (first || document.getElementById("m0-name")).focus();
}

function resetForm() {
  form.reset();
  extra.innerHTML = "";
  renumberMembers();
  document.getElementById("m0-name").focus();
}

async function register(event) {
  event.preventDefault();
  clearErrors();
  const sets = [...form.querySelectorAll("fieldset.member")];
  const people = sets.map(memberData);
  const address = document.getElementById("reg-address").value.trim();
  const button = document.getElementById("reg-submit");
  button.disabled = true;
  inFlight += 1;
  try {
    // No names in the label: the outbox list is on every page; the names are shown only here, in the list below.
    const label = people.length === 1 ? t("Registrering (EPS): 1 person") : t("Registrering (EPS): %(n)s personer", { n: people.length });
    const body = people.length === 1 ? { ...people[0] } : { members: people };
    if (address) body.address = address;
    const path = people.length === 1 ? `/api/v1/eps/${epsId}/evacuees` : `/api/v1/eps/${epsId}/households`;
    const result = await outbox.post(path, body, { label, items: people.length });
    if (result?.queued) {
      // Kept on this device and listed as «ikke sendt» until the network is back (a household is one write).
      resetForm();
      announce(people.length === 1 ? t("Ikke sendt ennå: 1 person lagret på denne enheten.") : t("Ikke sendt ennå: %(n)s personer lagret på denne enheten.", { n: people.length }));
      return;
    }
    const created = people.length === 1 ? [result] : result.evacuees;
    const household = result.household_id;
    const now = new Date().toISOString();
    created.forEach((evacuee, index) => {
      mine.evacuees.add(evacuee.id);
      addPersonRow({ ...people[index], ...evacuee, household_id: household, registered_at: now, exercise });
    });
    updatePresentCount();
    resetForm();
    announce(created.length === 1 ? t("Registrert: 1 person.") : t("Registrert: %(n)s personer.", { n: created.length }));
  } catch (err) {
    document.getElementById("reg-error").textContent = err.message;
    markErrors(err.fields, sets);
  } finally {
    button.disabled = false;
    inFlight -= 1;
    if (!inFlight) flushDeferred();
  }
}

if (form) {
  form.addEventListener("submit", register);
  // Enter registers from any field, checkboxes included, so the hands never leave the keyboard.
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    const target = event.target;
    if (target.tagName === "BUTTON" || target.tagName === "TEXTAREA") return;
    event.preventDefault();
    form.requestSubmit();
  });
  document.getElementById("add-member").addEventListener("click", addMember);
  document.addEventListener("keydown", (event) => {
    const active = document.activeElement;
    const inDesk = !active || active === document.body || form.contains(active);
    if (inDesk && event.altKey && !event.ctrlKey && event.key.toLowerCase() === "h") {
      event.preventDefault();
      addMember();
    }
  });
}

// --- people present and check-out ---

function personRow(person) {
  const needs = (person.needs || []).map((key) => NEEDS[key] || key).join(", ");
  const born = person.birth_date ? showDate(person.birth_date) : (person.birth_year || "");
  const tag = exerciseTag(person.exercise);
  return `<td>${tag}<span class="person-name">${escapeHtml(person.full_name)}</span></td>`
    + `<td>${escapeHtml(born)}</td>`
    + `<td>${person.household_id ? `<button type="button" class="link-button" data-household="${Number(person.household_id)}">#${Number(person.household_id)}</button>` : "–"}</td>`
    + `<td>${escapeHtml(needs)}${person.needs_note ? ` <span class="muted">(${escapeHtml(person.needs_note)})</span>` : ""}</td>`
    + `<td>${escapeHtml(formatTime(person.registered_at))}</td>`
    + `<td class="actions"><button type="button" data-checkout="${Number(person.id)}">${t("Sjekk ut")}<span class="sr-only"> ${escapeHtml(person.full_name)}</span></button>`
    + ` <button type="button" data-fix="${Number(person.id)}">${t("Rett")}<span class="sr-only"> ${escapeHtml(person.full_name)}</span></button></td>`;
}

function addPersonRow(person) {
  if (peopleRows.querySelector(`tr[data-evacuee-id="${person.id}"]`)) return;
  peopleRows.querySelector(".empty")?.remove();
  const row = document.createElement("tr");
  row.dataset.evacueeId = person.id;
  row.dataset.version = person.version || 0;
  row.dataset.search = fold(`${person.full_name} ${showDate(person.birth_date)} ${person.birth_year || ""}`);
  row.innerHTML = personRow(person);
  peopleRows.prepend(row);
  applyFilter();
}

function removePersonRow(id) {
  peopleRows.querySelector(`tr[data-evacuee-id="${id}"]`)?.remove();
  updatePresentCount();
}

function applyFilter() {
  const needle = fold(document.getElementById("people-filter").value.trim());
  for (const row of peopleRows.querySelectorAll("tr[data-evacuee-id]")) {
    row.hidden = Boolean(needle) && !row.dataset.search.includes(needle);
  }
}

document.getElementById("people-filter").addEventListener("input", applyFilter);

async function loadPeople() {
  try {
    const data = await get(`/api/v1/eps/${epsId}/evacuees?status=present`);
    peopleRows.innerHTML = "";
    for (const person of data.evacuees.slice().reverse()) addPersonRow(person);
    if (!data.evacuees.length) peopleRows.innerHTML = `<tr class="empty"><td colspan="6" class="muted">${t("Ingen til stede.")}</td></tr>`;
    updatePresentCount();
  } catch (err) {
    // Offline: the list of people is never kept on the device; what waits to be sent is still shown.
    document.getElementById("people-msg").textContent = err.message;
  }
  pendingView.refresh();
}

// --- registrations and check-outs made here and not yet sent ---

const REGISTER = new RegExp(`^/api/v1/eps/${epsId}/(evacuees|households)$`);
const CHECKOUT = /^\/api\/v1\/evacuees\/(\d+)\/checkout$/;
const pendingRows = new Map(); // outbox key → its rows (a household has one per person)

function drawPending(list) {
  const registrations = list.filter((e) => REGISTER.test(e.url));
  const keys = new Set(registrations.map((e) => e.key));
  for (const [key, rows] of pendingRows) {
    if (!keys.has(key)) {
      for (const row of rows) row.remove();
      pendingRows.delete(key);
    }
  }
  for (const entry of registrations) {
    const { state, text } = mark(entry);
    const body = entry.body || {};
    const people = Array.isArray(body.members) ? body.members : [body];
    let rows = pendingRows.get(entry.key);
    if (!rows) {
      rows = people.map(() => document.createElement("tr"));
      pendingRows.set(entry.key, rows);
    }
    rows.forEach((row, index) => {
      const person = people[index] || {};
      row.className = "is-pending-row";
      row.dataset.pending = entry.key;
      row.innerHTML = personRow({ ...person, id: 0, registered_at: new Date(entry.createdAt).toISOString(), exercise })
        .replace(/<td class="actions">.*<\/td>$/, `<td class="actions"><span class="tag tag-unsent" data-state="${state}">${escapeHtml(text)}</span></td>`);
      if (!row.isConnected) {
        peopleRows.querySelector(".empty")?.remove();
        peopleRows.prepend(row);
      }
    });
  }
  const leaving = new Map(list.filter((e) => CHECKOUT.test(e.url)).map((e) => [CHECKOUT.exec(e.url)[1], e]));
  for (const row of peopleRows.querySelectorAll("tr[data-evacuee-id]")) {
    const entry = leaving.get(row.dataset.evacueeId);
    const cell = row.querySelector("td.actions");
    if (entry && !cell.querySelector(".tag-unsent")) {
      cell.innerHTML = `<span class="tag tag-unsent">${escapeHtml(t("utsjekk: %(state)s", { state: mark(entry).text }))}</span>`;
    } else if (!entry && cell.querySelector(".tag-unsent")) {
      const person = { id: row.dataset.evacueeId, full_name: row.querySelector(".person-name")?.textContent };
      cell.innerHTML = `<button type="button" data-checkout="${Number(person.id)}">${t("Sjekk ut")}<span class="sr-only"> ${escapeHtml(person.full_name)}</span></button>`;
    }
  }
}

// Sent (here or from another tab): the real rows take the place of the unsent ones at once.
function acknowledged(entry, data) {
  if (CHECKOUT.test(entry.url)) {
    removePersonRow(CHECKOUT.exec(entry.url)[1]);
    return;
  }
  for (const row of pendingRows.get(entry.key) || []) row.remove();
  pendingRows.delete(entry.key);
  if (!data) return;
  const body = entry.body || {};
  const people = Array.isArray(body.members) ? body.members : [body];
  const created = Array.isArray(data.evacuees) ? data.evacuees : [data];
  const now = new Date().toISOString();
  created.forEach((evacuee, index) => {
    if (evacuee?.id == null) return;
    mine.evacuees.add(evacuee.id);
    addPersonRow({ ...people[index], ...evacuee, household_id: data.household_id, registered_at: now, exercise });
  });
  updatePresentCount();
}

const pendingView = watch((e) => e.method === "POST" && (REGISTER.test(e.url) || CHECKOUT.test(e.url)), {
  draw: drawPending,
  sent: acknowledged,
});

peopleRows.addEventListener("click", (event) => {
  const fixButton = event.target.closest("button[data-fix]");
  if (fixButton) fix.openPerson(fixButton.dataset.fix);
  const household = event.target.closest("button[data-household]");
  if (household) fix.openHousehold(household.dataset.household);
  const button = event.target.closest("button[data-checkout]");
  if (button) openCheckout(button);
  if (event.target.closest("button.cancel-checkout")) closeCheckout(event.target.closest("tr"));
});

function openCheckout(button) {
  const id = button.dataset.checkout;
  const cell = button.closest("td");
  cell.dataset.original = cell.innerHTML;
  cell.innerHTML = `<form class="checkout-form" data-evacuee-id="${id}">`
    + `<div class="field"><label for="dest-${id}">${t("Reisemål")}</label><input id="dest-${id}" name="destination" maxlength="300" required autocomplete="off"></div>`
    + `<button type="submit" class="primary">${t("Bekreft utsjekk")}</button><button type="button" class="cancel-checkout">${t("Avbryt")}</button></form>`;
  document.getElementById(`dest-${id}`).focus();
}

function closeCheckout(row) {
  const cell = row.querySelector("td.actions");
  cell.innerHTML = cell.dataset.original;
  cell.querySelector("button[data-checkout]")?.focus();
}

peopleRows.addEventListener("submit", async (event) => {
  event.preventDefault();
  const checkout = event.target;
  const id = Number(checkout.dataset.evacueeId);
  const destination = checkout.querySelector("input").value.trim();
  try {
    const done = await outbox.post(`/api/v1/evacuees/${id}/checkout`, { destination }, { label: t("Utsjekk (EPS)") });
    if (done.queued) {
      closeCheckout(checkout.closest("tr"));
      pendingView.refresh();
      announce(t("Ikke sendt ennå: utsjekken sendes når nettet er tilbake."));
      return;
    }
    removePersonRow(id);
    announce(t("Sjekket ut."));
    (document.getElementById("m0-name") || document.getElementById("people-filter")).focus();
  } catch (err) {
    document.getElementById("people-msg").textContent = err.message;
    checkout.querySelector("input").setAttribute("aria-invalid", "true");
    checkout.querySelector("input").focus();
  }
});

// A registration changed elsewhere (corrected, checked in again): show it as it is now.
async function refreshPersonRow(id, version) {
  const row = peopleRows.querySelector(`tr[data-evacuee-id="${id}"]`);
  if (!hasPurpose() || (row && Number(row.dataset.version) >= version)) return;
  try {
    replacePersonRow(await get(`/api/v1/evacuees/${id}`));
  } catch (err) {
    document.getElementById("people-msg").textContent = err.message;
  }
}

function replacePersonRow(person) {
  if (person.status !== "present") {
    removePersonRow(person.id);
    return;
  }
  peopleRows.querySelector(`tr[data-evacuee-id="${person.id}"]`)?.remove();
  addPersonRow(person);
  updatePresentCount();
}

fix.initFix({ present: replacePersonRow, changed: replacePersonRow });

async function fetchRemotePerson(id) {
  if (!hasPurpose() || mine.evacuees.has(id) || peopleRows.querySelector(`tr[data-evacuee-id="${id}"]`)) return;
  try {
    const person = await get(`/api/v1/evacuees/${id}`);
    if (person.status === "present") addPersonRow(person);
    updatePresentCount();
  } catch (err) {
    document.getElementById("people-msg").textContent = err.message;
  }
}

function flushDeferred() {
  while (deferred.length) fetchRemotePerson(deferred.shift());
}


// --- live ---

function onEvent(ev) {
  const data = ev.data || {};
  if (data.eps_id !== epsId) return;
  switch (ev.type) {
    case EV.EPS_OCCUPANCY:
      setOccupancy(data.present);
      break;
    case EV.EVACUEE_REGISTERED:
      if (inFlight) deferred.push(data.evacuee_id);
      else fetchRemotePerson(data.evacuee_id);
      break;
    case EV.EVACUEE_CHECKED_OUT:
      removePersonRow(data.evacuee_id);
      if (hasPurpose()) fix.personLeft(data.evacuee_id);
      break;
    case EV.EVACUEE_CHECKED_IN_AGAIN:
      fix.removeLeftRow(data.evacuee_id);
      refreshPersonRow(data.evacuee_id, Infinity);
      break;
    case EV.EVACUEE_CORRECTED:
      if (peopleRows.querySelector(`tr[data-evacuee-id="${data.evacuee_id}"]`)) refreshPersonRow(data.evacuee_id, data.version);
      break;
    case EV.INQUIRY_CREATED:
    case EV.INQUIRY_CORRECTED:
    case EV.INQUIRY_MATCHES_CHANGED:
    case EV.INQUIRY_REUNITED:
    case EV.INQUIRY_CLOSED:
      onInquiryEvent(ev);
      break;
    default:
      break;
  }
}

setOccupancy(Number(document.getElementById("occ-fill").dataset.present));
peopleRows.innerHTML = `<tr class="empty"><td colspan="6" class="muted">${PICK_FIRST}</td></tr>`;
whenPurpose(epsId)
  .then(() => {
    loadPeople();
    startInquiries();
    fix.loadLeft();
  })
  .catch((err) => {
    // Offline: nothing can be read anyway; show what waits to be sent and why the lists are missing.
    if (err.status === 0) {
      loadPeople();
      startInquiries();
    } else document.getElementById("people-msg").textContent = err.message;
  });
getLive().subscribe(`incident:${root.dataset.incidentId}`, onEvent, Number(root.dataset.since || 0));
