// EPS desk: correct a next-of-kin inquiry (who asks, whom they seek); the values replaced are kept in its history,
// shown beside the form. An open inquiry is matched again by the server when whom it seeks changed.
import { announce, escapeHtml, formatDateTime, get, patch } from "/static/js/api.js";
import { openInquiry } from "/static/js/eps_inquiries.js";

const TEXT = {
  fields: {
    inquirer_name: "Innringer / pårørende",
    inquirer_phone: "Telefon til pårørende",
    relation: "Relasjon",
    sought_name: "Navn på den som søkes",
    sought_birth_year: "Fødselsår",
    sought_phone: "Telefon til den som søkes",
    note: "Merknad",
  },
  save: "Lagre rettelse",
  saved: "Henvendelsen er rettet; de gamle verdiene står i historikken.",
  nothing: "Ingen endringer å lagre.",
  history: "Historikk",
  noChanges: "Ingen rettelser.",
  by: "av",
  empty: "tomt",
};

const detail = document.getElementById("inq-detail");
let shown = null;

const value = (v) => (v === null || v === undefined || v === "" ? `<span class="muted">(${TEXT.empty})</span>` : escapeHtml(v));

function render(inquiry) {
  shown = inquiry;
  const inputs = Object.entries(TEXT.fields).map(([name, label]) => `<div class="field"><label for="inqfix-${name}">${label}</label>`
    + `<input id="inqfix-${name}" name="${name}" value="${escapeHtml(inquiry[name] ?? "")}" autocomplete="off"${name === "sought_birth_year" ? ' inputmode="numeric" maxlength="4"' : ""}></div>`);
  const lines = (inquiry.changes || []).map((change) => `<li><time datetime="${escapeHtml(change.at)}">${escapeHtml(formatDateTime(change.at))}</time> `
    + `${TEXT.by} ${escapeHtml(change.actor)}: ${Object.entries(change.changes).map(([key, c]) => `${TEXT.fields[key] || key}: ${value(c.from)} → ${value(c.to)}`).join("; ")}</li>`);
  document.getElementById("inq-fix").innerHTML = `<form id="inq-fix-form" class="fix-form" novalidate>${inputs.join("")}`
    + `<button type="submit" class="primary">${TEXT.save}</button></form>`
    + `<h3>${TEXT.history}</h3>${lines.length ? `<ol class="fix-history" id="inq-fix-history">${lines.join("")}</ol>` : `<p id="inq-fix-history">${TEXT.noChanges}</p>`}`;
}

detail.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-fix-inquiry]");
  if (!button) return;
  try {
    render(await get(`/api/v1/inquiries/${Number(button.dataset.fixInquiry)}/history`));
    document.getElementById("inqfix-inquirer_name").focus();
  } catch (err) {
    document.getElementById("inq-detail-msg").textContent = err.message;
  }
});

detail.addEventListener("submit", async (event) => {
  if (event.target.id !== "inq-fix-form") return;
  event.preventDefault();
  const msg = document.getElementById("inq-detail-msg");
  const changes = {};
  for (const input of event.target.querySelectorAll("input[name]")) {
    if (input.value.trim() === String(shown[input.name] ?? "")) continue;
    const text = input.value.trim();
    changes[input.name] = input.name === "sought_birth_year" && /^\d+$/.test(text) ? Number(text) : text;
  }
  if (!Object.keys(changes).length) {
    msg.textContent = TEXT.nothing;
    return;
  }
  try {
    const inquiry = await patch(`/api/v1/inquiries/${shown.id}`, { ...changes, version: shown.version });
    await openInquiry(inquiry.id, false);
    render(await get(`/api/v1/inquiries/${inquiry.id}/history`));
    msg.textContent = TEXT.saved;
    announce(TEXT.saved);
  } catch (err) {
    msg.textContent = err.message;
    const name = Object.keys(err.fields || {})[0];
    event.target.querySelector(`[name="${name}"]`)?.focus();
  }
});
