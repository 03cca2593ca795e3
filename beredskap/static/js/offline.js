// Offline state the user can trust, on every logged-in page: registers the service worker, shows the banner
// «Frakoblet – viser data fra HH:MM · N ikke sendt» and the list of unsent writes, sends the outbox when the network
// returns, and warns before a logout would throw unsent writes away.
import { clear, discard, entries, expire, flush, isExpired, isValid, onChange, retry } from "/static/js/outbox.js";
import { escapeHtml, formatTime } from "/static/js/api.js";
import { t } from "/static/js/i18n.js";

const DATA_AT = "beredskap:data-at";
let liveState = "connecting";

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
}

function dataTime() {
  const at = Number(localStorage.getItem(DATA_AT));
  return at ? formatTime(new Date(at).toISOString()) : "–";
}

function markFresh() {
  if (navigator.onLine && liveState === "connected") localStorage.setItem(DATA_AT, String(Date.now()));
}

function ensureUi() {
  let banner = document.getElementById("offline-banner");
  if (!banner) {
    banner = document.createElement("div");
    banner.id = "offline-banner";
    banner.className = "offline-banner";
    banner.setAttribute("role", "status");
    banner.setAttribute("aria-live", "polite");
    banner.hidden = true;
    const main = document.getElementById("main");
    main.parentNode.insertBefore(banner, main);
  }
  let panel = document.getElementById("outbox-panel");
  if (!panel) {
    panel = document.createElement("section");
    panel.id = "outbox-panel";
    panel.className = "outbox-panel";
    panel.setAttribute("aria-labelledby", "outbox-h");
    panel.hidden = true;
    panel.innerHTML = `<h2 id="outbox-h">${t("Ikke sendt")}</h2><ol id="outbox-list" class="outbox-list"></ol>`;
    panel.addEventListener("click", onPanelClick);
    banner.after(panel);
  }
  return { banner, panel };
}

function stateText(entry) {
  if (!isValid(entry) || entry.state === "corrupt") return t("skadet – sendes ikke");
  if (entry.state === "failed") return t("avvist av serveren: %(error)s", { error: entry.error || "" });
  return t("ikke sendt");
}

// What the list says a write is. Writes with personal data (EPS registration, check-out, inquiries) are named by
// kind and count only: the list is on every page, and names belong on the EPS desk alone (which shows them inline).
const PERSONAL = [
  [/^\/api\/v1\/eps\/\d+\/(evacuees|households)$/, (n) => (n === 1 ? t("Registrering (EPS): 1 person") : t("Registrering (EPS): %(n)s personer", { n }))],
  [/^\/api\/v1\/evacuees\/\d+\/checkout$/, () => t("Utsjekk (EPS)")],
  [/^\/api\/v1\/eps\/\d+\/inquiries$/, () => t("Henvendelse fra pårørende (EPS)")],
  [/^\/api\/v1\/inquiries\/\d+\/reunite$/, () => t("Gjenforening (EPS)")],
  [/^\/api\/v1\/inquiries\/\d+\/close$/, () => t("Henvendelse avsluttet (EPS)")],
];
const PERSONAL_ANY = /^\/api\/v1\/(eps\/\d+\/|evacuees|inquiries|households)/;

export function describe(entry) {
  const url = String(entry?.url || "");
  const items = Number.isInteger(entry?.items) && entry.items > 0 ? entry.items : 1;
  for (const [re, label] of PERSONAL) if (re.test(url)) return label(items);
  if (PERSONAL_ANY.test(url)) return t("Endring (EPS)");
  return entry?.label || url || "?";
}

// Many changes arrive at once during a replay: draw at most every 250 ms, not once per write.
let drawing = null;
function render() {
  if (!drawing) drawing = new Promise((resolve) => setTimeout(() => { drawing = null; draw().finally(resolve); }, 250));
  return drawing;
}

function itemHtml(entry) {
  const broken = !isValid(entry) || entry.state === "corrupt";
  const failed = entry.state === "failed";
  const when = Number.isFinite(entry?.createdAt) ? formatTime(new Date(entry.createdAt).toISOString()) : "";
  const buttons = [
    failed ? `<button type="button" data-retry="${entry.id}">${t("Send på nytt")}</button>` : "",
    failed || broken ? `<button type="button" data-discard="${entry.id}">${t("Forkast")}</button>` : "",
  ].join(" ");
  return {
    state: broken ? "corrupt" : failed ? "failed" : "pending",
    html: `<span class="outbox-when">${escapeHtml(when)}</span> <span class="outbox-label">${escapeHtml(describe(entry))}</span> `
      + `<span class="outbox-state">${escapeHtml(stateText(entry))}</span> ${buttons}`,
  };
}

const drawn = new WeakMap(); // li → its html, to skip unchanged items

async function draw() {
  const { banner, panel } = ensureUi();
  let list = [];
  try {
    // An expired entry is being deleted (expire() runs on load and every 5 s): never show it as waiting.
    list = (await entries()).filter((entry) => !isExpired(entry));
  } catch (_) { /* IndexedDB unavailable (private mode): nothing is queued */ }
  const unsent = list.reduce((sum, e) => sum + (Number.isInteger(e?.items) && e.items > 0 ? e.items : 1), 0);
  const refused = list.filter((e) => e.state === "failed" || e.state === "corrupt" || !isValid(e)).length;
  const offline = !navigator.onLine || liveState === "offline" || liveState === "reconnecting";
  const parts = [];
  if (offline) parts.push(t("Frakoblet – viser data fra %(time)s", { time: dataTime() }));
  if (unsent) parts.push(t("%(n)s ikke sendt", { n: unsent }));
  if (refused) parts.push(t("%(n)s må ses på", { n: refused }));
  banner.textContent = parts.join(" · ");
  banner.hidden = parts.length === 0;
  banner.dataset.offline = offline ? "true" : "false";
  banner.dataset.unsent = String(unsent);
  panel.hidden = unsent === 0;
  // Only what changed is touched: a replay of a long list must not rebuild it every time.
  const ol = document.getElementById("outbox-list");
  const keep = new Set(list.map((entry) => String(entry.id)));
  for (const li of [...ol.children]) if (!keep.has(li.dataset.id)) li.remove();
  let previous = null;
  for (const entry of list) {
    const { state, html } = itemHtml(entry);
    let li = ol.querySelector(`li[data-id="${CSS.escape(String(entry.id))}"]`);
    if (!li) {
      li = document.createElement("li");
      li.className = "outbox-item";
      li.dataset.id = String(entry.id);
      if (previous) previous.after(li);
      else ol.prepend(li);
    }
    if (li.dataset.state !== state || drawn.get(li) !== html) {
      li.dataset.state = state;
      drawn.set(li, html);
      li.innerHTML = html;
    }
    previous = li;
  }
}

async function onPanelClick(event) {
  const retryId = event.target.closest("[data-retry]")?.dataset.retry;
  const discardId = event.target.closest("[data-discard]")?.dataset.discard;
  if (retryId) await retry(Number(retryId));
  if (discardId && window.confirm(t("Forkaste denne endringen? Den blir ikke sendt."))) await discard(Number(discardId));
}

async function sendNow() {
  if (!navigator.onLine) return;
  await flush();
  render();
}

async function forgetDevice() {
  await clear();
  if ("caches" in self) {
    for (const name of ["beredskap-pages", "beredskap-data"]) await caches.delete(name);
  }
  navigator.serviceWorker?.controller?.postMessage({ type: "logout" });
  localStorage.removeItem(DATA_AT);
}

// Logging out deletes what this device keeps; unsent writes would be lost, so ask first.
for (const form of document.querySelectorAll('form[action$="/logout"]')) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.confirmed) return;
    event.preventDefault();
    let unsent = 0;
    try {
      unsent = (await entries()).length;
    } catch (_) { /* nothing to lose */ }
    if (unsent && !window.confirm(
      unsent === 1
        ? t("1 endring er ikke sendt. Logger du ut nå, slettes den fra denne enheten. Logge ut likevel?")
        : t("%(n)s endringer er ikke sendt. Logger du ut nå, slettes de fra denne enheten. Logge ut likevel?", { n: unsent }),
    )) return;
    await forgetDevice();
    form.dataset.confirmed = "true";
    form.submit();
  });
}

onChange(render);
window.addEventListener("online", () => { render(); sendNow(); });
window.addEventListener("offline", render);
document.addEventListener("live:state", (event) => {
  liveState = event.detail;
  markFresh();
  render();
  if (liveState === "connected") sendNow();
});
setInterval(async () => {
  markFresh();
  await expire();
  if ((await entries()).some((e) => e.state === "pending")) sendNow();
}, 5000);
markFresh();
expire().catch(() => {}).finally(() => { render(); sendNow(); });
