// EPS desk: correct a next-of-kin inquiry (who asks, whom they seek); the values replaced are kept in its history,
// shown beside the form. An open inquiry is matched again by the server when whom it seeks changed.
import { announce, escapeHtml, formatDateTime, get, patch } from "/static/js/api.js";
import { openInquiry } from "/static/js/eps_inquiries.js";
import { t } from "/static/js/i18n.js";

// The fields that can be corrected, with their labels (also used in the history).
const FIELDS = {
  inquirer_name: t("Innringer / pårørende"),
  inquirer_phone: t("Telefon til pårørende"),
  relation: t("Relasjon"),
  sought_name: t("Navn på den som søkes"),
  sought_birth_year: t("Fødselsår"),
  sought_phone: t("Telefon til den som søkes"),
  note: t("Merknad"),
};

const detail = document.getElementById("inq-detail");
let shown = null;

const value = (v) => (v === null || v === undefined || v === "" ? `<span class="muted">(${t("tomt")})</span>` : escapeHtml(v));

function render(inquiry) {
  shown = inquiry;
  const inputs = Object.entries(FIELDS).map(([name, label]) => `<div class="field"><label for="inqfix-${name}">${label}</label>`
    + `<input id="inqfix-${name}" name="${name}" value="${escapeHtml(inquiry[name] ?? "")}" autocomplete="off"${name === "sought_birth_year" ? ' inputmode="numeric" maxlength="4"' : ""}></div>`);
  const lines = (inquiry.changes || []).map((change) => `<li><time datetime="${escapeHtml(change.at)}">${escapeHtml(formatDateTime(change.at))}</time> `
    + `${escapeHtml(t("av %(name)s", { name: change.actor }))}: ${Object.entries(change.changes).map(([key, c]) => `${FIELDS[key] || escapeHtml(key)}: ${value(c.from)} → ${value(c.to)}`).join("; ")}</li>`);
  document.getElementById("inq-fix").innerHTML = `<form id="inq-fix-form" class="fix-form" novalidate>${inputs.join("")}`
    + `<button type="submit" class="primary">${t("Lagre rettelse")}</button></form>`
    + `<h3>${t("Historikk")}</h3>${lines.length ? `<ol class="fix-history" id="inq-fix-history">${lines.join("")}</ol>` : `<p id="inq-fix-history">${t("Ingen rettelser.")}</p>`}`;
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
    msg.textContent = t("Ingen endringer å lagre.");
    return;
  }
  try {
    const inquiry = await patch(`/api/v1/inquiries/${shown.id}`, { ...changes, version: shown.version });
    await openInquiry(inquiry.id, false);
    render(await get(`/api/v1/inquiries/${inquiry.id}/history`));
    const saved = t("Henvendelsen er rettet; de gamle verdiene står i historikken.");
    msg.textContent = saved;
    announce(saved);
  } catch (err) {
    msg.textContent = err.message;
    const name = Object.keys(err.fields || {})[0];
    event.target.querySelector(`[name="${name}"]`)?.focus();
  }
});
