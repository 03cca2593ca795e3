// EPS desk, next-of-kin inquiries: ranked candidates, an explicit reunification button, and inquiries, reunifications
// and closings made offline kept in the outbox and shown in the list at once, marked «ikke sendt».
import { announce, escapeHtml, exerciseTag, get } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import * as outbox from "/static/js/outbox.js";
import { mark, watch } from "/static/js/pending.js";
import { hasPurpose, PICK_FIRST } from "/static/js/eps_purpose.js";
import { intlLocale, t } from "/static/js/i18n.js";

export function showDate(value) {
  if (!value) return "";
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
  if (!iso) return String(value);
  return new Date(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3])).toLocaleDateString(intlLocale(), { day: "2-digit", month: "2-digit", year: "numeric" });
}

function matches(count) {
  return count === 1 ? t("1 mulig treff") : t("%(n)s mulige treff", { n: count });
}

const root = document.getElementById("eps-desk");
const epsId = Number(root.dataset.epsId);
const inquiryList = document.getElementById("inquiry-list");
const detail = document.getElementById("inq-detail");
const detailBody = document.getElementById("inq-detail-body");
const mine = new Set();
let inquiriesInFlight = 0;
const deferredInquiries = [];
let openInquiryId = null;
let newInquiries = 0;
let pendingView = null; // the outbox watch below; redrawn whenever the list is loaded anew

function inquiryItem(inquiry) {
  const count = (inquiry.candidates || []).length;
  const year = inquiry.sought_birth_year ? ` (${t("f. %(year)s", { year: Number(inquiry.sought_birth_year) })})` : "";
  return `<span><strong>${escapeHtml(inquiry.sought_name)}</strong>${year}<br>`
    + `<span class="muted">${escapeHtml(t("fra %(name)s, %(relation)s", { name: inquiry.inquirer_name, relation: inquiry.relation }))}</span></span>`
    + `<span class="tag" data-field="count">${matches(count)}</span>`
    + `<button type="button" data-open-inquiry="${Number(inquiry.id)}">${t("Vis treff")}<span class="sr-only"> ${escapeHtml(t("for %(name)s", { name: inquiry.sought_name }))}</span></button>`;
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

export async function loadInquiries() {
  const data = await get(`/api/v1/eps/${epsId}/inquiries?status=open`);
  inquiryList.innerHTML = "";
  for (const inquiry of data.inquiries) addInquiryItem(inquiry, false);
  if (!data.inquiries.length) inquiryList.innerHTML = `<li class="empty muted">${t("Ingen åpne henvendelser.")}</li>`;
  setOpenCount(data.inquiries.length);
  newInquiries = 0;
  document.getElementById("new-inquiries").hidden = true;
  pendingView?.refresh();
}

/** Load the open inquiries; offline (the list is never cached) say so and show only what waits to be sent. */
export function startInquiries() {
  loadInquiries().catch((err) => {
    inquiryList.innerHTML = `<li class="muted">${escapeHtml(err.message)}</li>`;
    pendingView?.refresh();
  });
}

function candidateBlock(inquiry, candidate) {
  const pct = Math.round(candidate.score * 100);
  const born = candidate.birth_date ? t("f. %(year)s", { year: showDate(candidate.birth_date) }) : (candidate.birth_year ? t("f. %(year)s", { year: candidate.birth_year }) : t("fødselsdato ukjent"));
  const where = candidate.status === "present"
    ? escapeHtml(t("Til stede ved %(eps)s", { eps: candidate.eps_name || "EPS" }))
    : escapeHtml(t("Har forlatt %(eps)s", { eps: candidate.eps_name || "EPS" })) + (candidate.destination ? `, ${escapeHtml(t("reisemål: %(destination)s", { destination: candidate.destination }))}` : "");
  const button = inquiry.status === "open"
    ? `<button type="button" class="primary" data-reunite="${Number(candidate.evacuee_id)}">${t("Bekreft gjenforening")}<span class="sr-only"> ${escapeHtml(t("med %(name)s", { name: candidate.full_name }))}</span></button>`
    : "";
  return `<div class="candidate" data-candidate-id="${Number(candidate.evacuee_id)}">
    <div class="candidate-head"><span><strong>${escapeHtml(candidate.full_name)}</strong>, ${escapeHtml(born)}</span>
    <span class="score ${pct >= 85 ? "score-high" : "score-low"}">${t("%(pct)s %% likhet", { pct })}</span></div>
    <p>${exerciseTag(candidate.exercise)}${where}${candidate.household_id ? ` · ${t("husstand #%(id)s", { id: Number(candidate.household_id) })}` : ""}</p>
    ${button}
  </div>`;
}

function renderInquiry(inquiry) {
  const year = inquiry.sought_birth_year ? `, ${t("f. %(year)s", { year: Number(inquiry.sought_birth_year) })}` : "";
  const phone = inquiry.sought_phone ? `, ${escapeHtml(t("tlf. %(phone)s", { phone: inquiry.sought_phone }))}` : "";
  let html = `<p><strong>${t("Søker:")}</strong> ${escapeHtml(inquiry.sought_name)}${year}${phone}<br>`
    + `<strong>${t("Pårørende:")}</strong> ${escapeHtml(inquiry.inquirer_name)} (${escapeHtml(inquiry.relation)}), ${escapeHtml(t("tlf. %(phone)s", { phone: inquiry.inquirer_phone }))}</p>`;
  if (inquiry.status === "reunited") {
    html += `<p class="reunited-note" role="status">${t("Gjenforening bekreftet.")}</p>`;
  } else if (inquiry.status === "closed") {
    html += `<p class="reunited-note" role="status">${t("Henvendelsen er avsluttet.")}</p>`;
  }
  if (inquiry.candidates.length) {
    html += `<p class="help">${t("Forslagene er beregnet fra navn, fødselsår og telefon. Kontroller identiteten før du bekrefter; ingenting slås sammen automatisk.")}</p>`;
    html += inquiry.candidates.map((candidate) => candidateBlock(inquiry, candidate)).join("");
  } else if (inquiry.status === "open") {
    html += `<p>${t("Ingen registrerte treff ennå. Henvendelsen står åpen og sjekkes automatisk mot nye registreringer.")}</p>`;
  }
  if (inquiry.status === "open") {
    html += `<button type="button" data-close-inquiry="${Number(inquiry.id)}">${t("Avslutt henvendelsen uten treff")}</button>`;
  }
  html += ` <button type="button" data-fix-inquiry="${Number(inquiry.id)}">${t("Rett henvendelsen")}</button><div id="inq-fix"></div>`;
  // A correction being typed survives a live re-render of the same inquiry (a match found meanwhile, say).
  const openFix = Number(detail.dataset.inquiryId) === Number(inquiry.id) ? document.getElementById("inq-fix") : null;
  detailBody.innerHTML = html;
  if (openFix?.childElementCount) document.getElementById("inq-fix").replaceWith(openFix);
  detail.dataset.inquiryId = inquiry.id;
  detail.hidden = false;
}

export async function openInquiry(id, focus = true) {
  openInquiryId = Number(id);
  for (const li of inquiryList.querySelectorAll("li")) li.setAttribute("aria-current", String(Number(li.dataset.inquiryId) === openInquiryId));
  if (!hasPurpose()) {
    // No name is shown before the desk has said why it reads them.
    detail.hidden = false;
    document.getElementById("inq-detail-msg").textContent = PICK_FIRST;
    document.getElementById("purpose-select")?.focus();
    return;
  }
  try {
    const inquiry = await get(`/api/v1/inquiries/${id}`);
    renderInquiry(inquiry);
    const item = inquiryList.querySelector(`li[data-inquiry-id="${inquiry.id}"]`);
    if (item && inquiry.status === "open") item.innerHTML = inquiryItem(inquiry);
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
  if (!left && !inquiryList.querySelector(".empty")) inquiryList.innerHTML = `<li class="empty muted">${t("Ingen åpne henvendelser.")}</li>`;
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
      const done = await outbox.post(`/api/v1/inquiries/${id}/reunite`, { evacuee_id: Number(reunite.dataset.reunite) }, { label: t("Gjenforening (EPS)") });
      if (done.queued) {
        announce(t("Ikke sendt ennå: gjenforeningen sendes når nettet er tilbake."));
        return;
      }
      dropInquiry(id);
      await openInquiry(id, false);
      detail.focus();
      announce(t("Gjenforening bekreftet."));
    } else if (close) {
      const id = Number(close.dataset.closeInquiry);
      const done = await outbox.post(`/api/v1/inquiries/${id}/close`, {}, { label: t("Henvendelse avsluttet (EPS)") });
      if (done.queued) {
        announce(t("Ikke sendt ennå: avslutningen sendes når nettet er tilbake."));
        return;
      }
      dropInquiry(id);
      await openInquiry(id, false);
      announce(t("Henvendelsen er avsluttet."));
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
    const result = await outbox.post(`/api/v1/eps/${epsId}/inquiries`, body, { label: t("Henvendelse fra pårørende (EPS)") });
    if (result.queued) {
      inquiryForm.reset();
      announce(t("Ikke sendt ennå: henvendelsen er lagret på denne enheten og sendes når nettet er tilbake."));
      return;
    }
    mine.add(result.id);
    // The outbox's acknowledgement may have drawn it already.
    if (!inquiryList.querySelector(`li[data-inquiry-id="${result.id}"]`)) addInquiryItem({ id: result.id, ...body, candidates: result.candidates });
    setOpenCount(inquiryList.querySelectorAll("li[data-inquiry-id]").length);
    inquiryForm.reset();
    announce(t("Henvendelse registrert: %(matches)s.", { matches: matches(result.candidates.length) }));
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
  if (mine.has(id) || inquiryList.querySelector(`li[data-inquiry-id="${id}"]`)) return;
  newInquiries += 1;
  const button = document.getElementById("show-new-inquiries");
  button.textContent = newInquiries === 1 ? t("1 ny henvendelse – vis") : t("%(n)s nye henvendelser – vis", { n: newInquiries });
  document.getElementById("new-inquiries").hidden = false;
}

document.getElementById("show-new-inquiries").addEventListener("click", () => loadInquiries());

// --- unsent inquiries, reunifications and closings ---

const CREATE = `/api/v1/eps/${epsId}/inquiries`;
const DECIDE = /^\/api\/v1\/inquiries\/(\d+)\/(reunite|close)$/;
const pendingNew = new Map(); // outbox key → li

function drawPending(list) {
  const created = list.filter((e) => e.url === CREATE);
  const keys = new Set(created.map((e) => e.key));
  for (const [key, li] of pendingNew) {
    if (!keys.has(key)) {
      li.remove();
      pendingNew.delete(key);
    }
  }
  for (const entry of created) {
    let li = pendingNew.get(entry.key);
    if (!li) {
      li = document.createElement("li");
      li.className = "is-pending-row";
      li.dataset.pending = entry.key;
      pendingNew.set(entry.key, li);
    }
    if (!li.isConnected) {
      inquiryList.querySelector(".empty")?.remove();
      inquiryList.prepend(li);
    }
    const body = entry.body || {};
    const { state, text } = mark(entry);
    li.dataset.state = state;
    li.innerHTML = `<span><strong>${escapeHtml(body.sought_name)}</strong><br><span class="muted">${escapeHtml(t("fra %(name)s, %(relation)s", { name: body.inquirer_name, relation: body.relation }))}`
      + `</span></span><span class="tag tag-unsent">${escapeHtml(text)}</span>`;
  }
  const decided = new Map();
  for (const entry of list) {
    const match = DECIDE.exec(entry.url);
    if (match) decided.set(match[1], [match[2], entry]);
  }
  for (const li of inquiryList.querySelectorAll("li[data-inquiry-id]")) {
    const found = decided.get(li.dataset.inquiryId);
    let tag = li.querySelector("[data-field=unsent]");
    if (!found) {
      tag?.remove();
      continue;
    }
    if (!tag) {
      tag = document.createElement("span");
      tag.className = "tag tag-unsent";
      tag.dataset.field = "unsent";
      li.querySelector("[data-field=count]").after(tag);
    }
    tag.textContent = `${found[0] === "reunite" ? "gjenforening" : "avsluttes"}: ${mark(found[1]).text}`;
  }
}

function acknowledged(entry, data) {
  if (entry.url === CREATE) {
    pendingNew.get(entry.key)?.remove();
    pendingNew.delete(entry.key);
    if (data?.id == null) return;
    mine.add(data.id);
    if (!inquiryList.querySelector(`li[data-inquiry-id="${data.id}"]`)) {
      addInquiryItem({ id: data.id, ...entry.body, candidates: data.candidates || [] });
    }
    setOpenCount(inquiryList.querySelectorAll("li[data-inquiry-id]").length);
    return;
  }
  const id = Number(DECIDE.exec(entry.url)[1]);
  dropInquiry(id);
  if (id === openInquiryId) openInquiry(id, false);
}

pendingView = watch((e) => e.method === "POST" && (e.url === CREATE || DECIDE.test(e.url)), { draw: drawPending, sent: acknowledged });

/** The desk's live events about inquiries. */
export function onInquiryEvent(ev) {
  const data = ev.data || {};
  switch (ev.type) {
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
    case EV.INQUIRY_CORRECTED:
      if (data.inquiry_id === openInquiryId) openInquiry(data.inquiry_id, false);
      break;
    case EV.INQUIRY_REUNITED:
    case EV.INQUIRY_CLOSED:
      dropInquiry(data.inquiry_id);
      break;
    default:
      break;
  }
}
