// The board's «Varsling» panel: the incident's alerts drawn by the server exactly as on the roster page, swapped
// in again on every alert event of the incident's channel, and a short form that calls a group out for this
// incident (the krisestab is chosen, the message is written: one click sends it).
import { announce, get, post } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

export class BoardAlerts {
  constructor(board) {
    this.board = board;
    this.box = document.getElementById("board-alerts");
    this.inFlight = new Map(); // alert id → true while a card is fetched; "again" when an event came meanwhile
    this.box?.addEventListener("click", (event) => this.checkIn(event));
    this.form = document.getElementById("alert-quick");
    this.form?.addEventListener("submit", (event) => this.send(event));
  }

  async load() {
    if (!this.box) return;
    if (this.form) this.loadGroups();
    try {
      const { alerts } = await get(`/api/v1/alerts?incident_id=${this.board.id}&limit=10`);
      await Promise.all(alerts.map((a) => this.refresh(a.id)));
    } catch (_) { /* offline: the next event or a reload brings them */ }
  }

  async loadGroups() {
    const select = this.form.elements.group;
    try {
      const { groups } = await get("/api/v1/roster");
      const wanted = select.value || this.form.dataset.defaultGroup;
      select.innerHTML = "";
      for (const g of groups) {
        const option = new Option(`${g.title} (${g.members.length})`, g.key, false, g.key === wanted);
        select.add(option);
      }
      const { groups: duty } = await get("/api/v1/roster/duty");
      const optgroup = document.createElement("optgroup");
      optgroup.label = t("Vakthavende (fra vaktlisten)");
      for (const g of duty) {
        const who = g.members.map((m) => m.name).filter(Boolean).join(", ");
        optgroup.append(new Option(who ? `${g.title}: ${who}` : g.title, g.key, false, g.key === wanted));
      }
      select.append(optgroup);
    } catch (_) { /* the krisestab stays the one choice */ }
  }

  async refresh(alertId) {
    if (!this.box || !alertId) return;
    if (this.inFlight.has(alertId)) {
      this.inFlight.set(alertId, "again");
      return;
    }
    this.inFlight.set(alertId, true);
    try {
      const response = await fetch(`/roster/alerts/${alertId}/card`, { credentials: "same-origin", headers: { Accept: "text/html" } });
      if (response.ok) this.place(alertId, await response.text());
    } catch (_) { /* offline */ } finally {
      const again = this.inFlight.get(alertId) === "again";
      this.inFlight.delete(alertId);
      if (again) this.refresh(alertId);
    }
  }

  place(alertId, html) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const card = template.content.querySelector("article.alert-card");
    if (!card) return;
    card.classList.add("board-alert-card");
    const existing = document.getElementById(`alert-${alertId}`);
    if (existing) {
      existing.replaceWith(card);
      return;
    }
    document.getElementById("board-alerts-empty")?.remove();
    const older = [...this.box.querySelectorAll("article.alert-card")].find((c) => Number(c.dataset.alertId) < alertId);
    this.box.insertBefore(card, older || null);
  }

  onEvent(type, data) {
    if (type === EV.ALERT_CREATED) this.refresh(data.id);
    else if (type === EV.ALERT_RECIPIENT) {
      this.refresh(data.alert_id);
      if (data.status === "acknowledged" || data.status === "declined") {
        announce(data.status === "acknowledged" ? t("Varsling %(id)s: en mottaker kommer.", { id: data.alert_id }) : t("Varsling %(id)s: en mottaker kan ikke.", { id: data.alert_id }));
      }
    }
  }

  async send(event) {
    event.preventDefault();
    const form = this.form;
    const status = document.getElementById("alert-quick-status");
    const message = form.elements.message.value.trim();
    if (!message) {
      status.textContent = t("Skriv en melding før du sender.");
      form.elements.message.focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const alert = await post("/api/v1/alerts", {
        group: form.elements.group.value,
        message,
        incident_id: this.board.id,
        escalation_minutes: Number(form.elements.escalation_minutes.value),
      });
      status.textContent = t("Varsling %(id)s er sendt til %(n)s mottakere.", { id: alert.id, n: alert.recipients.length });
      await this.refresh(alert.id);
    } catch (err) {
      status.textContent = t("Ikke sendt: %(error)s", { error: err.message });
      announce(err.message, "error");
    } finally {
      button.disabled = false;
    }
  }

  async checkIn(event) {
    const button = event.target.closest(".checkin-btn");
    if (!button) return;
    button.disabled = true;
    try {
      await post(`/api/v1/alerts/${button.dataset.alertId}/recipients/${button.dataset.recipientId}/checkin`);
    } catch (err) {
      announce(err.message, "error");
    }
    await this.refresh(Number(button.dataset.alertId));
  }
}
