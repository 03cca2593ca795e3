// The board's log: keyboard-first entry (Enter posts, Alt+1–5 or /b … for category, ! for important),
// corrections shown struck through with links both ways, filters, and the decisions view.
import { post, escapeHtml, announce } from "/static/js/api.js";
import * as outbox from "/static/js/outbox.js";
import { mark, watch } from "/static/js/pending.js";
import { intlLocale, t } from "/static/js/i18n.js";

const CATEGORY_KEYS = ["informasjon", "beslutning", "tiltak", "melding_inn", "melding_ut"];
const PREFIXES = { i: "informasjon", b: "beslutning", t: "tiltak", inn: "melding_inn", ut: "melding_ut" };
const MAX_TEXT = 4000;

const oslo = (iso, opts) => new Date(iso).toLocaleString(intlLocale(), { timeZone: "Europe/Oslo", ...opts });

const OSLO_PARTS = new Intl.DateTimeFormat("nb-NO", { timeZone: "Europe/Oslo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

function osloParts(date) {
  return Object.fromEntries(OSLO_PARTS.formatToParts(date).map((p) => [p.type, p.value]));
}

// "14:05" today, "27.11. 14:05" on other days, always in Norwegian time.
export function shortTime(iso) {
  if (!iso) return "";
  const p = osloParts(new Date(iso));
  const today = osloParts(new Date());
  const time = `${p.hour}:${p.minute}`;
  return p.day === today.day && p.month === today.month && p.year === today.year ? time : `${p.day}.${p.month}. ${time}`;
}

// "/b ! Evakuering besluttet" → category beslutning, important, text "Evakuering besluttet".
export function parseEntry(raw, category, important) {
  let text = raw.trim();
  for (;;) {
    const prefix = text.match(/^\/(inn|ut|i|b|t)(?:\s+|$)/i);
    if (prefix) {
      category = PREFIXES[prefix[1].toLowerCase()];
      text = text.slice(prefix[0].length);
      continue;
    }
    if (text.startsWith("!")) {
      important = true;
      text = text.slice(1).trimStart();
      continue;
    }
    break;
  }
  return { text: text.trim(), category, important };
}

export class BoardLog {
  constructor(board) {
    this.board = board;
    this.entries = new Map(); // id → entry
    this.correctedBy = new Map(); // original id → [correcting ids]
    this.view = "all";
    this.correcting = null;
    this.busy = false;
    this.list = document.getElementById("log-list");
    this.form = document.getElementById("log-form");
    this.field = document.getElementById("log-text");
    this.category = document.getElementById("log-category");
    this.source = document.getElementById("log-source");
    this.important = document.getElementById("log-important");
    this.error = document.getElementById("log-error");
    this.filterCategory = document.getElementById("filter-category");
    this.filterAuthor = document.getElementById("filter-author");
    this.filterImportant = document.getElementById("filter-important");
    this.authors = new Set();
    this.pending = new Map(); // outbox key → li of a line written here and not yet acknowledged
    this.setupControls();
    const url = `/api/v1/incidents/${board.id}/log`;
    watch((e) => e.method === "POST" && e.url === url, {
      draw: (list) => this.drawPending(list),
      sent: (entry, data) => this.acknowledged(entry, data),
    });
  }

  // Lines still in the outbox stand on top of the log, marked «ikke sendt», oldest lowest, as they will be numbered.
  drawPending(list) {
    const keys = new Set(list.map((e) => e.key));
    for (const [key, li] of this.pending) {
      if (!keys.has(key)) {
        li.remove();
        this.pending.delete(key);
      }
    }
    for (const entry of list) {
      const { state, text } = mark(entry);
      let li = this.pending.get(entry.key);
      if (!li) {
        li = document.createElement("li");
        li.dataset.pending = entry.key;
        this.list.prepend(li);
        this.pending.set(entry.key, li);
      }
      if (li.dataset.state === state) continue; // a key's line never changes; only its state can
      const body = entry.body || {};
      const title = this.titles()[body.category] || "";
      li.className = `log-pending cat-${escapeHtml(body.category || "informasjon")}${body.important ? " is-important" : ""}`;
      li.dataset.state = state;
      li.innerHTML = `<div class="log-line"><span class="log-no" title="${t("Får nummer når den er sendt")}">–</span>`
        + `<time>${shortTime(new Date(entry.createdAt).toISOString())}</time>`
        + (title ? `<span class="tag cat-tag cat-tag-${escapeHtml(body.category)}">${escapeHtml(title)}</span>` : "")
        + (body.important ? `<span class="tag tag-important">${t("VIKTIG")}</span>` : "")
        + `<span class="log-text">${escapeHtml(body.text)}</span>`
        + `<span class="tag tag-unsent">${escapeHtml(text)}</span></div>`
        + `<div class="log-meta">${escapeHtml(this.board.me?.name || t("deg"))}${body.source ? ` · ${escapeHtml(t("kilde: %(source)s", { source: body.source }))}` : ""}</div>`;
    }
  }

  // Sent (from this tab or another): the real line takes the place of the unsent one in the same moment.
  acknowledged(entry, data) {
    this.pending.get(entry.key)?.remove();
    this.pending.delete(entry.key);
    if (data && data.id != null && data.number != null) this.upsert(data);
  }

  titles() {
    return this.board.titles.category;
  }

  setupControls() {
    const titles = this.titles();
    CATEGORY_KEYS.forEach((key, index) => {
      this.filterCategory.insertAdjacentHTML("beforeend", `<option value="${key}">${escapeHtml(titles[key])}</option>`);
      this.category?.insertAdjacentHTML("beforeend", `<option value="${key}">${index + 1} ${escapeHtml(titles[key])}</option>`);
    });
    for (const el of [this.filterCategory, this.filterAuthor, this.filterImportant]) el.addEventListener("change", () => this.applyFilters());
    document.getElementById("view-all").addEventListener("click", () => this.setView("all"));
    document.getElementById("view-decisions").addEventListener("click", () => this.setView("decisions"));
    this.list.addEventListener("click", (ev) => this.onListClick(ev));
    if (!this.form) return;
    this.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.submit();
    });
    this.form.addEventListener("keydown", (ev) => this.onKey(ev));
    document.getElementById("log-correct-cancel").addEventListener("click", () => {
      this.cancelCorrection();
      this.field.focus();
    });
  }

  onKey(ev) {
    if (ev.altKey && !ev.ctrlKey && !ev.metaKey && /^Digit[1-5]$/.test(ev.code)) {
      ev.preventDefault();
      const key = CATEGORY_KEYS[Number(ev.code.slice(5)) - 1];
      this.category.value = key;
      announce(t("Kategori: %(category)s", { category: this.titles()[key] }));
      return;
    }
    if (ev.target === this.field && ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      this.submit();
    } else if (ev.key === "Escape" && this.correcting) {
      ev.preventDefault();
      this.cancelCorrection();
    }
  }

  async submit() {
    if (this.busy) return;
    const raw = this.field.value;
    const parsed = parseEntry(raw, this.category.value, this.important.checked);
    if (!parsed.text) {
      this.showError(t("Skriv en tekst før du lagrer."));
      return;
    }
    if (parsed.text.length > MAX_TEXT) {
      this.showError(t("Teksten er for lang (%(n)s tegn, maks %(max)s).", { n: parsed.text.length, max: MAX_TEXT }));
      return;
    }
    this.busy = true;
    this.showError("");
    const body = { ...parsed, source: this.source.value.trim() };
    if (this.correcting) body.corrects = this.correcting;
    // Clear at once so the next line can be typed while this one is saved; restore it if saving fails.
    this.field.value = "";
    try {
      const entry = await outbox.post(`/api/v1/incidents/${this.board.id}/log`, body, { label: t("Logg: %(text)s", { text: parsed.text }) });
      if (entry.queued) {
        // Kept on this device and listed as «ikke sendt»; it arrives as a live event once sent.
        this.cancelCorrection();
        announce(t("Ikke sendt ennå: lagret på denne enheten og sendes når nettet er tilbake."));
        return;
      }
      this.upsert(entry);
      this.category.value = "informasjon";
      this.important.checked = false;
      this.cancelCorrection();
      announce(t("Loggført som nr. %(n)s.", { n: entry.number }));
    } catch (err) {
      if (!this.field.value) this.field.value = raw;
      this.showError(t("Ikke lagret: %(error)s", { error: err.message }));
    } finally {
      this.busy = false;
      this.field.focus();
    }
  }

  showError(message) {
    if (this.error) this.error.textContent = message;
  }

  startCorrection(id) {
    const entry = this.entries.get(id);
    if (!entry || !this.form) return;
    this.correcting = id;
    const box = document.getElementById("log-correcting");
    document.getElementById("log-correcting-text").textContent = t("Korrigerer nr. %(n)s: «%(text)s»", { n: entry.number, text: entry.text.slice(0, 120) });
    box.hidden = false;
    this.category.value = entry.category;
    this.field.value = entry.text;
    this.field.focus();
    this.field.select();
  }

  cancelCorrection() {
    this.correcting = null;
    const box = document.getElementById("log-correcting");
    if (box) box.hidden = true;
  }

  onListClick(ev) {
    const button = ev.target.closest("button.log-correct");
    if (button) {
      this.startCorrection(Number(button.dataset.id));
      return;
    }
    const link = ev.target.closest('a[href^="#log-"]');
    if (link) {
      ev.preventDefault();
      this.reveal(Number(link.getAttribute("href").slice(5)));
    }
  }

  // Jump to an entry even when the filters hide it.
  reveal(id) {
    const el = document.getElementById(`log-${id}`);
    if (!el) return;
    if (el.hidden) {
      this.filterCategory.value = "";
      this.filterAuthor.value = "";
      this.filterImportant.checked = false;
      this.setView("all");
    }
    el.scrollIntoView({ block: "center" });
    el.focus();
  }

  setView(view) {
    this.view = view;
    document.getElementById("view-all").setAttribute("aria-pressed", String(view === "all"));
    document.getElementById("view-decisions").setAttribute("aria-pressed", String(view === "decisions"));
    document.getElementById("log-view-h").textContent = view === "decisions" ? t("Beslutningslogg – alle beslutninger, nyeste først") : t("Hele loggen, nyeste først");
    this.filterCategory.disabled = view === "decisions";
    this.applyFilters();
  }

  matches(entry) {
    if (this.view === "decisions" && entry.category !== "beslutning") return false;
    if (this.view !== "decisions" && this.filterCategory.value && entry.category !== this.filterCategory.value) return false;
    if (this.filterAuthor.value && entry.author !== this.filterAuthor.value) return false;
    if (this.filterImportant.checked && !entry.important) return false;
    return true;
  }

  applyFilters() {
    let shown = 0;
    for (const entry of this.entries.values()) {
      const el = document.getElementById(`log-${entry.id}`);
      const visible = this.matches(entry);
      if (el) el.hidden = !visible;
      if (visible) shown += 1;
    }
    const total = this.entries.size;
    document.getElementById("log-count").textContent = shown === total ? t("%(total)s loggføringer", { total }) : t("Viser %(shown)s av %(total)s loggføringer", { shown, total });
  }

  setClosed(closed) {
    if (!this.form) return;
    for (const el of this.form.elements) el.disabled = closed;
    for (const b of this.list.querySelectorAll("button.log-correct")) b.hidden = closed;
  }

  // Idempotent: an entry seen twice (own POST answer, catch-up, live) is drawn once.
  upsert(entry) {
    const known = this.entries.has(entry.id);
    this.entries.set(entry.id, entry);
    if (entry.corrects != null) {
      const list = this.correctedBy.get(entry.corrects) || [];
      if (!list.includes(entry.id)) list.push(entry.id);
      this.correctedBy.set(entry.corrects, list);
    }
    if (!this.authors.has(entry.author)) {
      this.authors.add(entry.author);
      const options = [...this.authors].sort((a, b) => a.localeCompare(b, intlLocale()));
      const current = this.filterAuthor.value;
      this.filterAuthor.innerHTML = `<option value="">${t("Alle")}</option>` + options.map((a) => `<option>${escapeHtml(a)}</option>`).join("");
      this.filterAuthor.value = current;
    }
    this.draw(entry, known);
    if (entry.corrects != null && this.entries.has(entry.corrects)) this.draw(this.entries.get(entry.corrects), true);
    if (!this.loading) this.applyFilters();
  }

  load(entries) {
    this.loading = true;
    for (const entry of entries) this.upsert(entry);
    this.loading = false;
    this.applyFilters();
  }

  draw(entry, known) {
    const li = known ? document.getElementById(`log-${entry.id}`) : document.createElement("li");
    const corrections = (this.correctedBy.get(entry.id) || []).map((id) => this.entries.get(id)).filter(Boolean);
    const corrected = corrections.length > 0;
    li.id = `log-${entry.id}`;
    li.tabIndex = -1;
    li.dataset.id = entry.id;
    li.dataset.number = entry.number;
    li.className = `log-entry cat-${entry.category}${entry.important ? " is-important" : ""}${corrected ? " is-corrected" : ""}`;
    const title = this.titles()[entry.category] || entry.category;
    const text = escapeHtml(entry.text);
    const original = entry.corrects != null ? this.entries.get(entry.corrects) : null;
    const meta = [escapeHtml(entry.author)];
    if (entry.source) meta.push(`kilde: ${escapeHtml(entry.source)}`);
    if (entry.corrects != null) meta.push(t("korrigerer %(link)s", { link: `<a href="#log-${entry.corrects}">${t("nr. %(n)s", { n: original ? original.number : "?" })}</a>` }));
    if (corrected) meta.push(t("%(corrected)s av %(links)s", { corrected: `<strong>${t("korrigert")}</strong>`, links: corrections.map((c) => `<a href="#log-${c.id}">${t("nr. %(n)s", { n: c.number })}</a>`).join(", ") }));
    const canCorrect = this.form && this.board.incident.status !== "closed";
    li.innerHTML = `<div class="log-line"><span class="log-no" title="${t("Loggføring nummer")}">${entry.number}</span>`
      + `<time datetime="${escapeHtml(entry.created_at)}" title="${escapeHtml(oslo(entry.created_at, { dateStyle: "short", timeStyle: "medium" }))}">${shortTime(entry.created_at)}</time>`
      + `<span class="tag cat-tag cat-tag-${entry.category}">${escapeHtml(title)}</span>`
      + (entry.important ? `<span class="tag tag-important">${t("VIKTIG")}</span>` : "")
      + `<span class="log-text">${corrected ? `<del>${text}</del><span class="sr-only"> (${t("korrigert")})</span>` : text}</span></div>`
      + `<div class="log-meta">${meta.join(" · ")}`
      + (canCorrect ? ` <button type="button" class="linkbutton dark log-correct" data-id="${entry.id}">${t("Korriger")}<span class="sr-only"> ${t("nr. %(n)s", { n: entry.number })}</span></button>` : "")
      + "</div>";
    if (!known) this.insertSorted(li, entry.number);
  }

  // Newest first; an entry that arrives late (catch-up) slots in by its number.
  insertSorted(li, number) {
    for (const child of this.list.children) {
      if (Number(child.dataset.number) < number) {
        this.list.insertBefore(li, child);
        return;
      }
    }
    this.list.appendChild(li);
  }

  refreshTimes() {
    for (const entry of this.entries.values()) {
      const time = document.querySelector(`#log-${entry.id} time`);
      if (time) time.textContent = shortTime(entry.created_at);
    }
  }
}
