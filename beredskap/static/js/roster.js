// Roster board: send alerts and follow every recipient's answer live through the journal (channel `global`).
import { getLive } from "/static/js/live.js";
import { announce, escapeHtml, formatTime, post } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const STATUS = {
  sent: ["○", t("Sendt – venter på svar")],
  acknowledged: ["✔", t("Kommer")],
  declined: ["✖", t("Kan ikke")],
  escalated: ["↗", t("Eskalert til stedfortreder")],
  failed: ["⚠", t("Feilet")],
};
const DELIVERY = {
  pending: t("I kø"),
  sending: t("Sendes …"),
  sent: t("Levert"),
  failed: t("Feilet, prøver igjen"),
  gave_up: t("Feilet, ga opp"),
  none: t("Ingen kontaktinfo"),
};

const root = document.getElementById("roster-page");
const alertsBox = document.getElementById("alerts");
const canSend = root?.dataset.canSend === "1";

// The newest recipient event seen, so updates that race a card fetch are applied again afterwards.
const latest = new Map();

// Fetch the server-rendered card so the board and a fresh page load always look the same.
async function refreshCard(alertId) {
  const startSeq = getLive().lastSeq("global");
  const response = await fetch(`/roster/alerts/${alertId}/card`, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!response.ok) return;
  const template = document.createElement("template");
  template.innerHTML = (await response.text()).trim();
  const card = template.content.querySelector("article.alert-card");
  if (!card) return;
  const existing = document.getElementById(`alert-${alertId}`);
  if (existing) {
    // Keep keyboard focus where it was when the card is swapped.
    const focused = existing.contains(document.activeElement) ? document.activeElement.dataset.recipientId : null;
    existing.replaceWith(card);
    if (focused) card.querySelector(`.checkin-btn[data-recipient-id="${focused}"]`)?.focus();
  } else {
    document.getElementById("no-alerts")?.remove();
    // Newest first: before the first card that is older than this one.
    const older = [...alertsBox.querySelectorAll("article.alert-card")].find((c) => Number(c.dataset.alertId) < alertId);
    alertsBox.insertBefore(card, older || null);
  }
  for (const envelope of latest.values()) {
    if (envelope.data.alert_id === alertId && envelope.seq > startSeq) updateRecipient(envelope, false);
  }
}

function countsText(c) {
  const waiting = (c.sent || 0) + (c.escalated || 0);
  const failed = c.failed ? ` · ${t("%(n)s feilet", { n: c.failed })}` : "";
  return t("%(coming)s kommer · %(declined)s kan ikke · %(waiting)s venter", { coming: c.acknowledged || 0, declined: c.declined || 0, waiting })
    + failed + ` · ${t("%(n)s på plass", { n: c.checked_in || 0 })}`;
}

const CHANNEL = { sms: "SMS", email: t("e-post") };

function deliveryText(d) {
  if (d.delivery === "sent") return t("Levert (%(channels)s)", { channels: (d.channels || []).map((c) => CHANNEL[c] || c).join(", ") });
  if (d.delivery === "failed") {
    if (d.next_attempt_at) return t("Feilet (%(n)s forsøk) – prøver igjen kl. %(time)s", { n: d.attempts, time: formatTime(d.next_attempt_at) });
    return t("Feilet (%(n)s forsøk) – prøver igjen", { n: d.attempts });
  }
  if (d.delivery === "gave_up") return t("Feilet – ga opp etter %(n)s forsøk", { n: d.attempts });
  return DELIVERY[d.delivery] || null;
}

function updateRecipient(envelope, mayRefresh = true) {
  const d = envelope.data;
  if (mayRefresh) latest.set(d.recipient_id, envelope);
  const card = document.getElementById(`alert-${d.alert_id}`);
  const row = card?.querySelector(`tr[data-recipient-id="${d.recipient_id}"]`);
  const missingEscalation = d.escalated_to && !card?.querySelector(`tr[data-recipient-id="${d.escalated_to}"]`);
  if (!row || missingEscalation) {
    if (mayRefresh) refreshCard(d.alert_id);
    if (!row) return;
  }
  const before = row.dataset.status;
  const [icon, label] = STATUS[d.status] || ["", d.status];
  row.dataset.status = d.status;
  row.querySelector("td.status").innerHTML =
    `<span class="status-badge status-${escapeHtml(d.status)}"><span class="icon" aria-hidden="true">${icon}</span> ` +
    `<span class="text">${escapeHtml(label)}</span></span>`;
  const answered = row.querySelector("td.answered");
  if ((d.status === "acknowledged" || d.status === "declined") && !answered.textContent.trim()) {
    answered.textContent = formatTime(envelope.at);
    if (d.eta_at) answered.insertAdjacentHTML("beforeend", `<span class="eta"> · ${escapeHtml(t("ankomst ca. %(t)s", { t: formatTime(d.eta_at) }))}</span>`);
  }
  const delivery = row.querySelector("td.delivery");
  const text = deliveryText(d);
  if (text) delivery.textContent = text;
  const checkin = row.querySelector("td.checkin");
  if (d.checked_in && !checkin.querySelector(".checked-in")) {
    checkin.innerHTML = `<span class="checked-in">✔ ${escapeHtml(t("På plass %(time)s", { time: formatTime(envelope.at) }))}</span>`;
  }
  card.querySelector("[data-counts]").textContent = countsText(d.counts || {});
  if (before !== d.status && (d.status === "acknowledged" || d.status === "declined")) {
    const who = row.querySelector("td")?.textContent.trim() || "";
    announce(t("Varsling %(id)s: %(who)s – %(status)s", { id: d.alert_id, who, status: label }));
  }
}

const form = document.getElementById("alert-form");
if (form && canSend) {
  const status = document.getElementById("alert-form-status");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const message = form.elements.message.value.trim();
    if (!message) {
      status.textContent = t("Skriv en melding før du sender.");
      form.elements.message.focus();
      return;
    }
    const body = { group: form.elements.group.value, message };
    if (form.elements.escalation_minutes) body.escalation_minutes = Number(form.elements.escalation_minutes.value);
    if (form.elements.incident_id.value) body.incident_id = Number(form.elements.incident_id.value);
    const fromCard = form.elements.action_card_id;
    if (fromCard?.value) body.action_card_id = Number(fromCard.value);
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const alert = await post("/api/v1/alerts", body);
      status.textContent = t("Varsling %(id)s er sendt til %(n)s mottakere.", { id: alert.id, n: alert.recipients.length })
        + (body.action_card_id ? ` ${t("Oppgaven fra tiltakskortet er markert som utført.")}` : "");
      form.elements.message.value = "";
      if (fromCard) {
        // The card's task is done now; a second alert from the same form is an ordinary one.
        fromCard.remove();
        document.getElementById("alert-from-card")?.remove();
      }
      await refreshCard(alert.id);
    } catch (err) {
      status.textContent = t("Ikke sendt: %(error)s", { error: err.message });
      announce(err.message, "error");
    } finally {
      button.disabled = false;
    }
  });
}

alertsBox?.addEventListener("click", async (event) => {
  const button = event.target.closest(".checkin-btn");
  if (!button) return;
  button.disabled = true;
  try {
    await post(`/api/v1/alerts/${button.dataset.alertId}/recipients/${button.dataset.recipientId}/checkin`);
  } catch (err) {
    announce(err.message, "error");
  }
  await refreshCard(Number(button.dataset.alertId));
});

document.getElementById("print-roster")?.addEventListener("click", () => window.print());

if (root) {
  const since = Number(root.dataset.since || 0);
  getLive().subscribe(
    "global",
    (envelope) => {
      if (envelope.type === EV.ALERT_CREATED) refreshCard(envelope.data.id);
      else if (envelope.type === EV.ALERT_RECIPIENT) updateRecipient(envelope);
      else if (envelope.type === EV.ROSTER_UPDATED) {
        announce(t("Kriseorganisasjonen er endret. Last siden på nytt for å se endringen."));
      }
    },
    since,
  );
}
