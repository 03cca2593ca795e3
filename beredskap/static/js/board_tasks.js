// The board's tasks: new → started → done, overdue ones marked in words, edits guarded by version (409 → message
// and the task reloaded), and the action cards of the incident type offered as tasks.
import { get, post, patch, escapeHtml, announce } from "/static/js/api.js";
import { shortTime } from "/static/js/board_log.js";
import * as outbox from "/static/js/outbox.js";
import { mark, watch } from "/static/js/pending.js";
import { t } from "/static/js/i18n.js";

const TASK_URL = /^\/api\/v1\/tasks\/(\d+)$/;

const STATUS_ACTIONS = {
  new: [["started", t("Start")], ["done", t("Utført")]],
  started: [["done", t("Utført")], ["new", t("Tilbake til ny")]],
  done: [["started", t("Gjenåpne")]],
};

// datetime-local wants local wall-clock time without offset.
function toLocalInput(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function fromLocalInput(value) {
  return value ? new Date(value).toISOString() : null;
}

export class BoardTasks {
  constructor(board) {
    this.board = board;
    this.tasks = new Map();
    this.drawn = new Map(); // id → last html of the task's main part, to skip redraws that change nothing
    this.cards = new Map();
    this.list = document.getElementById("task-list");
    this.form = document.getElementById("task-form");
    this.showDone = document.getElementById("show-done");
    this.cardList = document.getElementById("card-list");
    this.adoptAll = document.getElementById("adopt-all");
    this.form?.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.create();
    });
    this.showDone.addEventListener("change", () => this.render());
    this.list.addEventListener("click", (ev) => this.onClick(ev));
    this.list.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.saveEdit(ev.target.closest("li").dataset.id);
    });
    this.cardList.addEventListener("click", (ev) => {
      const button = ev.target.closest("button[data-card]");
      if (button) this.adopt([Number(button.dataset.card)], button);
    });
    this.adoptAll?.addEventListener("click", () => this.adopt(null, this.adoptAll));
    // Tasks created and statuses set here that are still in the outbox: shown at once, marked «ikke sendt».
    this.pendingNew = new Map(); // outbox key → li
    this.pendingStatus = new Map(); // task id → the outbox entry that sets its status
    const createUrl = `/api/v1/incidents/${board.id}/tasks`;
    watch((e) => (e.method === "POST" && e.url === createUrl) || (e.method === "PATCH" && TASK_URL.test(e.url) && e.body?.status), {
      draw: (list) => this.drawPending(list, createUrl),
      sent: (entry, data) => this.acknowledged(entry, data),
    });
  }

  drawPending(list, createUrl) {
    const created = list.filter((e) => e.url === createUrl);
    const keys = new Set(created.map((e) => e.key));
    for (const [key, li] of this.pendingNew) {
      if (!keys.has(key)) {
        li.remove();
        this.pendingNew.delete(key);
      }
    }
    for (const entry of created) {
      let li = this.pendingNew.get(entry.key);
      if (!li) {
        li = document.createElement("li");
        li.dataset.pending = entry.key;
        this.pendingNew.set(entry.key, li);
      }
      const { state, text } = mark(entry);
      const body = entry.body || {};
      li.className = "task-pending";
      li.dataset.state = state;
      li.innerHTML = `<div class="task-head"><span class="task-title">${escapeHtml(body.title)}</span>`
        + `<span class="tag tag-unsent">${escapeHtml(text)}</span></div>`
        + `<div class="task-meta">${t("Ansvarlig:")} ${body.assignee ? escapeHtml(body.assignee) : `<em>${t("ikke satt")}</em>`}`
        + ` · ${t("Frist:")} ${body.due ? shortTime(body.due) : t("ingen")}</div>`;
    }
    this.pendingStatus = new Map(list.filter((e) => e.method === "PATCH").map((e) => [Number(TASK_URL.exec(e.url)[1]), e]));
    this.render();
  }

  acknowledged(entry, data) {
    if (entry.method === "POST") {
      this.pendingNew.get(entry.key)?.remove();
      this.pendingNew.delete(entry.key);
    } else {
      const id = Number(TASK_URL.exec(entry.url)[1]);
      if (this.pendingStatus.get(id)?.key === entry.key) this.pendingStatus.delete(id);
    }
    if (data && data.id != null && data.version != null) this.upsert(data);
    else this.render();
  }

  canWrite() {
    return this.board.can.task && this.board.incident.status !== "closed";
  }

  isOverdue(task, now = Date.now()) {
    return task.status !== "done" && task.due && new Date(task.due).getTime() < now;
  }

  // Idempotent and order-safe: an older version never replaces a newer one.
  upsert(task) {
    const known = this.tasks.get(task.id);
    if (known && known.version > task.version) return;
    this.tasks.set(task.id, task);
    this.render();
    this.renderCards();
  }

  load(tasks) {
    for (const task of tasks) this.tasks.set(task.id, task);
    this.render();
  }

  async create() {
    const title = document.getElementById("task-title");
    const assignee = document.getElementById("task-assignee");
    const due = document.getElementById("task-due");
    const error = document.getElementById("task-error");
    if (!title.value.trim()) {
      error.textContent = t("Oppgaven må ha en tittel.");
      title.focus();
      return;
    }
    try {
      const body = { title: title.value.trim(), assignee: assignee.value.trim(), due: fromLocalInput(due.value) };
      const task = await outbox.post(`/api/v1/incidents/${this.board.id}/tasks`, body, { label: t("Oppgave: %(title)s", { title: body.title }) });
      error.textContent = "";
      title.value = "";
      assignee.value = "";
      due.value = "";
      if (task.queued) {
        announce(t("Ikke sendt ennå: oppgaven «%(title)s» er lagret på denne enheten.", { title: body.title }));
      } else {
        this.upsert(task);
        announce(t("Oppgaven «%(title)s» er lagt til.", { title: task.title }));
      }
      title.focus();
    } catch (err) {
      error.textContent = t("Ikke lagret: %(error)s", { error: err.message });
    }
  }

  onClick(ev) {
    const button = ev.target.closest("button[data-action]");
    if (!button) return;
    const li = button.closest("li");
    const id = Number(li.dataset.id);
    const action = button.dataset.action;
    if (action === "status") this.setStatus(id, button.dataset.status);
    else if (action === "edit") this.openEdit(id);
    else if (action === "cancel") this.closeEdit(id);
  }

  message(id, text) {
    const el = document.querySelector(`#task-${id} .task-msg`);
    if (el) el.textContent = text;
  }

  async conflict(id, err) {
    // Someone else saved first: say so plainly and show their version.
    let who = "";
    try {
      const fresh = await get(`/api/v1/tasks/${id}`);
      this.upsert(fresh);
      if (fresh.updated_by) who = ` av ${fresh.updated_by}`;
    } catch (_) { /* the live journal brings the new version too */ }
    this.message(id, t("Oppgaven ble endret%(who)s i mellomtiden, så endringen din ble ikke lagret. Den oppdaterte oppgaven vises nå – se over og prøv igjen.", { who }));
    announce(t("Konflikt: oppgaven ble endret av noen andre."), "error");
    return err;
  }

  async setStatus(id, status) {
    const task = this.tasks.get(id);
    const label = t("Oppgave «%(title)s»: %(status)s", { title: task.title, status: this.board.titles.task_status[status] || status });
    const body = { status, version: task.version };
    this.message(id, "");
    try {
      // A status set offline and changed again before it was sent: only the last one goes (same version).
      const waiting = this.pendingStatus.get(id);
      if (waiting && waiting.state === "pending" && (await outbox.revise(waiting.id, body, { label }))) {
        announce(t("Ikke sendt ennå: %(what)s.", { what: label }));
        return;
      }
      const saved = await outbox.patch(`/api/v1/tasks/${id}`, body, { label });
      if (saved.queued) {
        announce(t("Ikke sendt ennå: %(what)s.", { what: label }));
        return;
      }
      this.upsert(saved);
      announce(`«${task.title}»: ${this.board.titles.task_status[status]}.`);
    } catch (err) {
      if (err.status === 409) await this.conflict(id, err);
      else this.message(id, t("Ikke lagret: %(error)s", { error: err.message }));
    }
  }

  openEdit(id) {
    const task = this.tasks.get(id);
    const form = document.querySelector(`#task-${id} form.task-edit`);
    form.dataset.version = task.version;
    form.elements.title.value = task.title;
    form.elements.assignee.value = task.assignee || "";
    form.elements.due.value = toLocalInput(task.due);
    form.hidden = false;
    form.elements.title.focus();
  }

  closeEdit(id) {
    const form = document.querySelector(`#task-${id} form.task-edit`);
    form.hidden = true;
    document.querySelector(`#task-${id} button[data-action=edit]`)?.focus();
  }

  async saveEdit(idText) {
    const id = Number(idText);
    const form = document.querySelector(`#task-${id} form.task-edit`);
    const body = {
      title: form.elements.title.value.trim(),
      assignee: form.elements.assignee.value.trim(),
      due: fromLocalInput(form.elements.due.value),
      version: Number(form.dataset.version),
    };
    this.message(id, "");
    try {
      this.upsert(await patch(`/api/v1/tasks/${id}`, body));
      this.closeEdit(id);
      announce(t("Oppgaven er lagret."));
    } catch (err) {
      if (err.status === 409) {
        await this.conflict(id, err);
        // The form keeps what the user typed; saving again is a deliberate choice made after seeing the new version.
        form.dataset.version = this.tasks.get(id).version;
      } else {
        this.message(id, t("Ikke lagret: %(error)s", { error: err.message }));
      }
    }
  }

  sorted() {
    const now = Date.now();
    const rank = (t) => (t.status === "done" ? 2 : this.isOverdue(t, now) ? 0 : 1);
    const due = (t) => (t.due ? new Date(t.due).getTime() : Infinity);
    return [...this.tasks.values()].sort((a, b) => rank(a) - rank(b) || due(a) - due(b) || a.id - b.id);
  }

  mainHtml(task, overdue) {
    const statusTitle = this.board.titles.task_status[task.status] || task.status;
    const waiting = this.pendingStatus.get(task.id);
    const shown = waiting?.state === "pending" ? waiting.body.status : task.status;
    const unsent = waiting
      ? `<span class="tag tag-unsent">→ ${escapeHtml(this.board.titles.task_status[waiting.body.status] || waiting.body.status)}: ${escapeHtml(mark(waiting).text)}</span>`
      : "";
    const actions = this.canWrite()
      ? (STATUS_ACTIONS[shown] || []).map(([status, label]) => `<button type="button" data-action="status" data-status="${status}">${label}<span class="sr-only">: ${escapeHtml(task.title)}</span></button>`).join("")
        + `<button type="button" data-action="edit" class="linkbutton dark">${t("Endre")}<span class="sr-only">: ${escapeHtml(task.title)}</span></button>`
      : "";
    return `<div class="task-head"><span class="task-title">${escapeHtml(task.title)}</span>`
      + `<span class="tag task-status task-status-${task.status}">${escapeHtml(statusTitle)}</span>` + unsent
      + (overdue ? `<span class="tag tag-overdue">⚠ ${t("Forsinket")}</span>` : "") + "</div>"
      + `<div class="task-meta">${t("Ansvarlig:")} ${task.assignee ? escapeHtml(task.assignee) : `<em>${t("ikke satt")}</em>`}`
      + ` · ${t("Frist:")} ${task.due ? `<time datetime="${escapeHtml(task.due)}">${shortTime(task.due)}</time>` : t("ingen")}`
      + (task.action_card_id ? ` · ${t("fra tiltakskort")}` : "") + "</div>"
      + (task.description ? `<details class="task-desc"><summary>${t("Beskrivelse")}</summary><p>${escapeHtml(task.description)}</p></details>` : "")
      + (actions ? `<div class="task-actions">${actions}</div>` : "");
  }

  editHtml(task) {
    const p = `te-${task.id}`;
    return `<form class="task-edit" hidden>`
      + `<div class="field"><label for="${p}-title">${t("Tittel")}</label><input id="${p}-title" name="title" maxlength="300" required></div>`
      + `<div class="field"><label for="${p}-assignee">${t("Ansvarlig")}</label><input id="${p}-assignee" name="assignee" list="positions" maxlength="200"></div>`
      + `<div class="field"><label for="${p}-due">${t("Frist")}</label><input id="${p}-due" name="due" type="datetime-local"></div>`
      + `<button type="submit" class="primary">${t("Lagre")}</button> <button type="button" data-action="cancel">${t("Avbryt")}</button></form>`
      + '<p class="task-msg form-error" role="alert"></p>';
  }

  render() {
    const now = Date.now();
    const focused = document.activeElement?.closest?.("#task-list .task-main button");
    const focusKey = focused ? [focused.closest("li").dataset.id, focused.dataset.action, focused.dataset.status] : null;
    const ordered = this.sorted();
    let open = 0;
    let late = 0;
    const items = new Map();
    for (const task of ordered) {
      const overdue = this.isOverdue(task, now);
      if (task.status !== "done") open += 1;
      if (overdue) late += 1;
      let li = this.list.querySelector(`#task-${task.id}`);
      if (!li) {
        li = document.createElement("li");
        li.id = `task-${task.id}`;
        li.dataset.id = task.id;
        li.innerHTML = `<div class="task-main"></div>${this.board.can.task ? this.editHtml(task) : ""}`;
      }
      li.className = `task task-${task.status}${overdue ? " is-overdue" : ""}`;
      li.hidden = task.status === "done" && !this.showDone.checked;
      const html = this.mainHtml(task, overdue);
      const main = li.querySelector(".task-main");
      if (this.drawn.get(task.id) !== html) {
        main.innerHTML = html;
        this.drawn.set(task.id, html);
      }
      items.set(task.id, li);
    }
    // Reorder only when needed: moving a focused element would drop the focus.
    const current = [...this.list.children].filter((li) => li.dataset.id).map((li) => Number(li.dataset.id));
    if (current.join() !== ordered.map((t) => t.id).join()) {
      for (const task of ordered) this.list.appendChild(items.get(task.id));
    }
    // Unsent new tasks last, in the order they were made.
    const pending = [...(this.pendingNew?.values() || [])];
    const tail = [...this.list.children].slice(-pending.length || this.list.children.length);
    if (pending.length && pending.some((li, i) => tail[i] !== li)) for (const li of pending) this.list.appendChild(li);
    if (focusKey) {
      const [id, action, status] = focusKey;
      const selector = `#task-${id} .task-main button[data-action="${action}"]` + (status ? `[data-status="${status}"]` : "");
      (document.querySelector(selector) || document.querySelector(`#task-${id} .task-main button`))?.focus();
    }
    const summary = document.getElementById("task-summary");
    summary.textContent = ordered.length ? (late ? t("(%(open)s åpne, %(late)s forsinket)", { open, late }) : t("(%(open)s åpne)", { open })) : "";
    summary.classList.toggle("has-late", late > 0);
    if (!ordered.length && !pending.length) this.list.innerHTML = `<li class="muted empty-note">${t("Ingen oppgaver ennå.")}</li>`;
    else this.list.querySelector(".empty-note")?.remove();
  }

  // --- action cards ---

  loadCards(cards) {
    this.cards = new Map(cards.map((c) => [c.id, c]));
    this.renderCards();
  }

  adoptedCards() {
    return new Set([...this.tasks.values()].filter((t) => t.action_card_id).map((t) => t.action_card_id));
  }

  renderCards() {
    const adopted = this.adoptedCards();
    const cards = [...this.cards.values()].sort((a, b) => a.position - b.position || a.id - b.id);
    const remaining = cards.filter((c) => !adopted.has(c.id));
    const canAdopt = this.canWrite();
    this.cardList.innerHTML = cards.length ? cards.map((card) => {
      const done = adopted.has(card.id);
      const info = [card.assignee && `${t("Ansvarlig:")} ${escapeHtml(card.assignee)}`, card.due_minutes && t("frist %(n)s min", { n: card.due_minutes })].filter(Boolean).join(" · ");
      return `<li class="action-card${done ? " is-adopted" : ""}"><div class="ac-title">${escapeHtml(card.title)}</div>`
        + (info ? `<div class="muted ac-info">${info}</div>` : "")
        + (card.description ? `<details><summary>${t("Detaljer")}<span class="sr-only">: ${escapeHtml(card.title)}</span></summary><p>${escapeHtml(card.description)}</p></details>` : "")
        + (done ? `<span class="tag tag-done">✓ ${t("Oppgave opprettet")}</span>`
          : canAdopt ? `<button type="button" data-card="${card.id}">${t("Opprett som oppgave")}<span class="sr-only">: ${escapeHtml(card.title)}</span></button>` : "")
        + this.alertLink(card)
        + "</li>";
    }).join("") : `<li class="muted">${t("Ingen tiltakskort for denne typen.")}</li>`;
    const offer = document.getElementById("cards-offer");
    offer.hidden = remaining.length === 0;
    offer.textContent = remaining.length ? t("%(n)s av %(total)s tiltakskort er ikke tatt i bruk ennå.", { n: remaining.length, total: cards.length }) : "";
    if (this.adoptAll) {
      this.adoptAll.hidden = !canAdopt || remaining.length === 0;
      this.adoptAll.textContent = t("Opprett alle gjenstående som oppgaver (%(n)s)", { n: remaining.length });
    }
  }

  // A card whose measure is an alert opens the alert form pre-filled with this incident and the card's team;
  // sending it marks the card's task done (the server does both in one transaction).
  alertLink(card) {
    if (!card.alert_team || !this.board.can.alert || this.board.incident.status === "closed") return "";
    const task = [...this.tasks.values()].find((t) => t.action_card_id === card.id);
    if (task && task.status === "done") return "";
    const query = new URLSearchParams({ incident_id: this.board.id, group: card.alert_team, card: card.id });
    return ` <a class="ac-alert" href="/roster?${query}#send-h">${t("Send varsling nå")}<span class="sr-only">: ${escapeHtml(card.title)}</span></a>`;
  }

  async adopt(cardIds, button) {
    button.disabled = true;
    try {
      const result = await post(`/api/v1/incidents/${this.board.id}/actioncards/adopt`, cardIds ? { card_ids: cardIds } : {});
      for (const task of result.tasks) this.upsert(task);
      announce(result.tasks.length === 1 ? t("Oppgaven er opprettet fra tiltakskortet.") : t("%(n)s oppgaver er opprettet fra tiltakskortene.", { n: result.tasks.length }));
    } catch (err) {
      announce(t("Ikke opprettet: %(error)s", { error: err.message }), "error");
    } finally {
      button.disabled = false;
      this.renderCards();
      // The pressed button is gone after the redraw; keep the keyboard user in the list.
      const next = this.cardList.querySelector("button[data-card]") || (this.adoptAll?.hidden ? null : this.adoptAll);
      (next || document.getElementById("task-list"))?.focus();
    }
  }
}
