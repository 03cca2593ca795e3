// EPS registration desk: keyboard-first check-in (alone or as a household), people present with check-out,
// next-of-kin inquiries with ranked candidates and an explicit reunification button. Personal data is only
// fetched through the audited API; live events carry ids and counts, never names.
import { getLive } from "/static/js/live.js";
import { announce, escapeHtml, exerciseTag, formatTime, get, post } from "/static/js/api.js";
import * as outbox from "/static/js/outbox.js";
import { EV } from "/static/js/generated/events.js";

const root = document.getElementById("eps-desk");
const epsId = Number(root.dataset.epsId);
const capacity = Number(root.dataset.capacity);
const exercise = root.dataset.exercise === "true";
const REASON = "reason=" + encodeURIComponent("Registreringsskranke EPS");
const NEEDS = { helse: "Helse/medisiner", kost: "Kost", sprak: "Språk/tolk", mobilitet: "Mobilitet", kjaeledyr: "Kjæledyr" };

const form = document.getElementById("reg-form");
const extra = document.getElementById("extra-members");
const peopleRows = document.getElementById("people-rows");
const inquiryList = document.getElementById("inquiry-list");
const detail = document.getElementById("inq-detail");
const detailBody = document.getElementById("inq-detail-body");
const mine = { evacuees: new Set(), inquiries: new Set() };
let inFlight = 0;
const deferred = [];
let inquiriesInFlight = 0;
const deferredInquiries = [];
let nextMember = 1;
let openInquiryId = null;
let newInquiries = 0;

// --- small helpers ---

function showDate(value) {
  if (!value) return "";
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  return iso ? `${iso[3]}.${iso[2]}.${iso[1]}` : String(value);
}

function matches(count) {
  return count === 1 ? "1 mulig treff" : `${count} mulige treff`;
}

function fold(text) {
  return String(text || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function setOccupancy(present) {
  document.getElementById("occ-figure").textContent = `${present} av ${capacity} til stede`;
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
    set.querySelector(":scope > legend").textContent = `Person ${index + 1}`;
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
    let created;
    let household = null;
    const label = `Registrering: ${people.map((p) => p.full_name).join(", ")}`;
    if (people.length === 1) {
      const result = await outbox.post(`/api/v1/eps/${epsId}/evacuees`, { ...people[0], ...(address ? { address } : {}) }, { label, items: people.length });
      created = [result];
      household = result.household_id;
    } else {
      const result = await outbox.post(`/api/v1/eps/${epsId}/households`, { members: people, ...(address ? { address } : {}) }, { label, items: people.length });
      created = result.evacuees;
      household = result.household_id;
    }
    if (created[0]?.queued || created?.queued) {
      // Kept on this device and listed as «ikke sendt» until the network is back.
      resetForm();
      announce(`Ikke sendt ennå: ${people.length} ${people.length === 1 ? "person" : "personer"} lagret på denne enheten.`);
      return;
    }
    const now = new Date().toISOString();
    created.forEach((evacuee, index) => {
      mine.evacuees.add(evacuee.id);
      addPersonRow({ ...people[index], ...evacuee, household_id: household, registered_at: now, exercise });
    });
    updatePresentCount();
    resetForm();
    announce(`Registrert: ${created.length} ${created.length === 1 ? "person" : "personer"}.`);
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
    + `<td>${person.household_id ? `#${Number(person.household_id)}` : "–"}</td>`
    + `<td>${escapeHtml(needs)}${person.needs_note ? ` <span class="muted">(${escapeHtml(person.needs_note)})</span>` : ""}</td>`
    + `<td>${escapeHtml(formatTime(person.registered_at))}</td>`
    + `<td class="actions"><button type="button" data-checkout="${Number(person.id)}">Sjekk ut<span class="sr-only"> ${escapeHtml(person.full_name)}</span></button></td>`;
}

function addPersonRow(person) {
  if (peopleRows.querySelector(`tr[data-evacuee-id="${person.id}"]`)) return;
  peopleRows.querySelector(".empty")?.remove();
  const row = document.createElement("tr");
  row.dataset.evacueeId = person.id;
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
    const data = await get(`/api/v1/eps/${epsId}/evacuees?status=present&${REASON}`);
    peopleRows.innerHTML = "";
    for (const person of data.evacuees.slice().reverse()) addPersonRow(person);
    if (!data.evacuees.length) peopleRows.innerHTML = '<tr class="empty"><td colspan="6" class="muted">Ingen til stede.</td></tr>';
    updatePresentCount();
  } catch (err) {
    document.getElementById("people-msg").textContent = err.message;
  }
}

peopleRows.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-checkout]");
  if (button) openCheckout(button);
  if (event.target.closest("button.cancel-checkout")) closeCheckout(event.target.closest("tr"));
});

function openCheckout(button) {
  const id = button.dataset.checkout;
  const cell = button.closest("td");
  cell.dataset.original = cell.innerHTML;
  cell.innerHTML = `<form class="checkout-form" data-evacuee-id="${id}">`
    + `<div class="field"><label for="dest-${id}">Reisemål</label><input id="dest-${id}" name="destination" maxlength="300" required autocomplete="off"></div>`
    + `<button type="submit" class="primary">Bekreft utsjekk</button><button type="button" class="cancel-checkout">Avbryt</button></form>`;
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
    await post(`/api/v1/evacuees/${id}/checkout`, { destination });
    removePersonRow(id);
    announce("Sjekket ut.");
    (document.getElementById("m0-name") || document.getElementById("people-filter")).focus();
  } catch (err) {
    document.getElementById("people-msg").textContent = err.message;
    checkout.querySelector("input").setAttribute("aria-invalid", "true");
    checkout.querySelector("input").focus();
  }
});

async function fetchRemotePerson(id) {
  if (mine.evacuees.has(id) || peopleRows.querySelector(`tr[data-evacuee-id="${id}"]`)) return;
  try {
    const person = await get(`/api/v1/evacuees/${id}?${REASON}`);
    if (person.status === "present") addPersonRow(person);
    updatePresentCount();
  } catch (err) {
    document.getElementById("people-msg").textContent = err.message;
  }
}

function flushDeferred() {
  while (deferred.length) fetchRemotePerson(deferred.shift());
}

// --- inquiries ---

function inquiryItem(inquiry) {
  const count = (inquiry.candidates || []).length;
  const year = inquiry.sought_birth_year ? ` (f. ${Number(inquiry.sought_birth_year)})` : "";
  return `<span><strong>${escapeHtml(inquiry.sought_name)}</strong>${year}<br>`
    + `<span class="muted">fra ${escapeHtml(inquiry.inquirer_name)}, ${escapeHtml(inquiry.relation)}</span></span>`
    + `<span class="tag" data-field="count">${matches(count)}</span>`
    + `<button type="button" data-open-inquiry="${Number(inquiry.id)}">Vis treff<span class="sr-only"> for ${escapeHtml(inquiry.sought_name)}</span></button>`;
}

function addInquiryItem(inquiry, first = true) {
  inquiryList.querySelector(".empty")?.remove();
  const li = document.createElement("li");
  li.dataset.inquiryId = inquiry.id;
  li.innerHTML = inquiryItem(inquiry);
  if (first) inquiryList.prepend(li);
  else inquiryList.append(li);
}

function setOpenCount(count) {
  document.getElementById("open-count").textContent = count;
}

async function loadInquiries() {
  const data = await get(`/api/v1/eps/${epsId}/inquiries?status=open&${REASON}`);
  inquiryList.innerHTML = "";
  for (const inquiry of data.inquiries) addInquiryItem(inquiry, false);
  if (!data.inquiries.length) inquiryList.innerHTML = '<li class="empty muted">Ingen åpne henvendelser.</li>';
  setOpenCount(data.inquiries.length);
  newInquiries = 0;
  document.getElementById("new-inquiries").hidden = true;
}

function candidateBlock(inquiry, candidate) {
  const pct = Math.round(candidate.score * 100);
  const born = candidate.birth_date ? `f. ${showDate(candidate.birth_date)}` : (candidate.birth_year ? `f. ${candidate.birth_year}` : "fødselsdato ukjent");
  const where = candidate.status === "present"
    ? `Til stede ved ${escapeHtml(candidate.eps_name || "EPS")}`
    : `Har forlatt ${escapeHtml(candidate.eps_name || "EPS")}${candidate.destination ? `, reisemål: ${escapeHtml(candidate.destination)}` : ""}`;
  const button = inquiry.status === "open"
    ? `<button type="button" class="primary" data-reunite="${Number(candidate.evacuee_id)}">Bekreft gjenforening<span class="sr-only"> med ${escapeHtml(candidate.full_name)}</span></button>`
    : "";
  return `<div class="candidate" data-candidate-id="${Number(candidate.evacuee_id)}">
    <div class="candidate-head"><span><strong>${escapeHtml(candidate.full_name)}</strong>, ${escapeHtml(born)}</span>
    <span class="score ${pct >= 85 ? "score-high" : "score-low"}">${pct} % likhet</span></div>
    <p>${exerciseTag(candidate.exercise)}${where}${candidate.household_id ? ` · husstand #${Number(candidate.household_id)}` : ""}</p>
    ${button}
  </div>`;
}

function renderInquiry(inquiry) {
  const year = inquiry.sought_birth_year ? `, f. ${Number(inquiry.sought_birth_year)}` : "";
  const phone = inquiry.sought_phone ? `, tlf. ${escapeHtml(inquiry.sought_phone)}` : "";
  let html = `<p><strong>Søker:</strong> ${escapeHtml(inquiry.sought_name)}${year}${phone}<br>`
    + `<strong>Pårørende:</strong> ${escapeHtml(inquiry.inquirer_name)} (${escapeHtml(inquiry.relation)}), tlf. ${escapeHtml(inquiry.inquirer_phone)}</p>`;
  if (inquiry.status === "reunited") {
    html += '<p class="reunited-note" role="status">Gjenforening bekreftet.</p>';
  } else if (inquiry.status === "closed") {
    html += '<p class="reunited-note" role="status">Henvendelsen er avsluttet.</p>';
  }
  if (inquiry.candidates.length) {
    html += '<p class="help">Forslagene er beregnet fra navn, fødselsår og telefon. Kontroller identiteten før du bekrefter; ingenting slås sammen automatisk.</p>';
    html += inquiry.candidates.map((candidate) => candidateBlock(inquiry, candidate)).join("");
  } else if (inquiry.status === "open") {
    html += "<p>Ingen registrerte treff ennå. Henvendelsen står åpen og sjekkes automatisk mot nye registreringer.</p>";
  }
  if (inquiry.status === "open") {
    html += `<button type="button" data-close-inquiry="${Number(inquiry.id)}">Avslutt henvendelsen uten treff</button>`;
  }
  detailBody.innerHTML = html;
  detail.dataset.inquiryId = inquiry.id;
  detail.hidden = false;
}

async function openInquiry(id, focus = true) {
  openInquiryId = Number(id);
  for (const li of inquiryList.querySelectorAll("li")) li.setAttribute("aria-current", String(Number(li.dataset.inquiryId) === openInquiryId));
  try {
    renderInquiry(await get(`/api/v1/inquiries/${id}?${REASON}`));
    document.getElementById("inq-detail-msg").textContent = "";
    if (focus) detail.focus();
  } catch (err) {
    document.getElementById("inq-detail-msg").textContent = err.message;
  }
}

function dropInquiry(id) {
  inquiryList.querySelector(`li[data-inquiry-id="${id}"]`)?.remove();
  const left = inquiryList.querySelectorAll("li[data-inquiry-id]").length;
  setOpenCount(left);
  if (!left && !inquiryList.querySelector(".empty")) inquiryList.innerHTML = '<li class="empty muted">Ingen åpne henvendelser.</li>';
}

inquiryList.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-open-inquiry]");
  if (button) openInquiry(button.dataset.openInquiry);
});

detail.addEventListener("click", async (event) => {
  const out = document.getElementById("inq-detail-msg");
  const reunite = event.target.closest("button[data-reunite]");
  const close = event.target.closest("button[data-close-inquiry]");
  try {
    if (reunite) {
      const id = Number(detail.dataset.inquiryId);
      await post(`/api/v1/inquiries/${id}/reunite`, { evacuee_id: Number(reunite.dataset.reunite) });
      dropInquiry(id);
      await openInquiry(id, false);
      detail.focus();
      announce("Gjenforening bekreftet.");
    } else if (close) {
      const id = Number(close.dataset.closeInquiry);
      await post(`/api/v1/inquiries/${id}/close`, {});
      dropInquiry(id);
      await openInquiry(id, false);
      announce("Henvendelsen er avsluttet.");
    }
  } catch (err) {
    out.textContent = err.message;
  }
});

const inquiryForm = document.getElementById("inq-form");
inquiryForm?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("inq-error");
  error.textContent = "";
  for (const input of inquiryForm.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  const values = Object.fromEntries(new FormData(inquiryForm));
  const body = {};
  for (const [key, value] of Object.entries(values)) if (String(value).trim()) body[key] = String(value).trim();
  inquiriesInFlight += 1;
  try {
    const result = await post(`/api/v1/eps/${epsId}/inquiries`, body);
    mine.inquiries.add(result.id);
    addInquiryItem({ id: result.id, ...body, candidates: result.candidates });
    setOpenCount(inquiryList.querySelectorAll("li[data-inquiry-id]").length);
    inquiryForm.reset();
    announce(`Henvendelse registrert: ${matches(result.candidates.length)}.`);
    await openInquiry(result.id);
  } catch (err) {
    error.textContent = err.message;
    let first = null;
    for (const key of Object.keys(err.fields || {})) {
      const input = inquiryForm.querySelector(`[name="${key}"]`);
      if (input) {
        input.setAttribute("aria-invalid", "true");
        first = first || input;
      }
    }
    first?.focus();
  } finally {
    inquiriesInFlight -= 1;
    if (!inquiriesInFlight) while (deferredInquiries.length) noteNewInquiry(deferredInquiries.shift());
  }
});

function noteNewInquiry(id) {
  if (mine.inquiries.has(id) || inquiryList.querySelector(`li[data-inquiry-id="${id}"]`)) return;
  newInquiries += 1;
  const button = document.getElementById("show-new-inquiries");
  button.textContent = `${newInquiries} ny${newInquiries === 1 ? "" : "e"} henvendelse${newInquiries === 1 ? "" : "r"} – vis`;
  document.getElementById("new-inquiries").hidden = false;
}

document.getElementById("show-new-inquiries").addEventListener("click", () => loadInquiries());

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
      break;
    case EV.INQUIRY_CREATED:
      // Our own inquiry's event can arrive before the POST answers; decide once it has.
      if (inquiriesInFlight) deferredInquiries.push(data.inquiry_id);
      else noteNewInquiry(data.inquiry_id);
      break;
    case EV.INQUIRY_MATCHES_CHANGED:
      for (const item of data.inquiries || []) {
        const badge = inquiryList.querySelector(`li[data-inquiry-id="${item.id}"] [data-field="count"]`);
        if (badge) badge.textContent = matches(item.candidate_count);
        if (item.id === openInquiryId) openInquiry(item.id, false);
      }
      break;
    case EV.INQUIRY_REUNITED:
    case EV.INQUIRY_CLOSED:
      dropInquiry(data.inquiry_id);
      break;
    default:
      break;
  }
}

setOccupancy(Number(document.getElementById("occ-fill").dataset.present));
loadPeople();
loadInquiries().catch((err) => { inquiryList.innerHTML = `<li class="muted">${escapeHtml(err.message)}</li>`; });
getLive().subscribe(`incident:${root.dataset.incidentId}`, onEvent, Number(root.dataset.since || 0));
