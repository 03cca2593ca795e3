// The offline outbox: every write goes into IndexedDB with its own Idempotency-Key before it is sent, so a write
// made without network is kept on this device, shown as «ikke sendt», and sent in order when the network is back.
// The server answers a repeated key with the first answer (CONTRACT §12), so a write is delivered exactly once even
// when a replay is cut off, repeated after a crash or started from two tabs. Tabs of one browser share the outbox;
// the Web Locks API lets one tab at a time send, and a BroadcastChannel tells the others what changed.
// Personal data (an EPS registration) lives here only as the unsent write itself: it is deleted once sent, on
// logout and after 12 hours at the latest.
import { ApiError } from "/static/js/api.js";
import { t } from "/static/js/i18n.js";

const DB_NAME = "beredskap-outbox";
const STORE = "writes";
const LOCK = "beredskap-outbox";
export const MAX_AGE_MS = 12 * 60 * 60 * 1000;
const KEY_RE = /^[\x20-\x7e]{1,200}$/;
const METHODS = new Set(["POST", "PATCH", "PUT", "DELETE"]);

const channel = "BroadcastChannel" in self ? new BroadcastChannel(DB_NAME) : null;
const listeners = new Set();
const sentListeners = new Set();
const outcomes = new Map(); // key → {ok, data | error}, for the writes this tab sent
let csrf = null;

function openDb() {
  if (!openDb.promise) {
    openDb.promise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return openDb.promise;
}

async function tx(mode, work, durability = "default") {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode, { durability });
    const result = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(result?.result ?? result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/** Every entry, oldest first. */
export async function entries() {
  const db = await openDb();
  return new Promise((resolve, reject) => {
    const request = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
    request.onsuccess = () => resolve(request.result.sort((a, b) => a.id - b.id));
    request.onerror = () => reject(request.error);
  });
}

const put = (entry) => tx("readwrite", (store) => store.put(entry));
const remove = (id) => tx("readwrite", (store) => store.delete(id));
// A delivered write: losing this delete in a crash only means sending it again, which the key makes harmless, so it
// need not wait for the disk (a strict commit per write was the outbox's own cost in B11).
const forget = (id) => tx("readwrite", (store) => store.delete(id), "relaxed");

/** Delete every entry (logout). */
export async function clear() {
  await tx("readwrite", (store) => store.clear());
  changed();
}

export async function discard(id) {
  await remove(id);
  changed();
}

export async function retry(id) {
  const entry = (await entries()).find((e) => e.id === id);
  if (entry && entry.state === "failed") {
    await put({ ...entry, state: "pending", error: null });
    changed();
    flush();
  }
}

/** A corrupted entry (edited, truncated, from an older version) is shown but never sent. */
export function isValid(entry) {
  return Boolean(
    entry && typeof entry.key === "string" && KEY_RE.test(entry.key) && METHODS.has(entry.method) &&
    typeof entry.url === "string" && entry.url.startsWith("/api/v1/") &&
    (entry.body === undefined || (entry.body !== null && typeof entry.body === "object")) &&
    typeof entry.createdAt === "number" && Number.isFinite(entry.createdAt),
  );
}

export function onChange(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Called with (entry, data) when a write is acknowledged, in this tab or another: the page puts the real row in place
 * of the one it showed as «ikke sendt». `data` is the server's answer; it goes to the other tabs in memory only.
 */
export function onSent(listener) {
  sentListeners.add(listener);
  return () => sentListeners.delete(listener);
}

function sent(entry, data, local = true) {
  const { key, method, url, body } = entry;
  for (const listener of sentListeners) {
    try {
      listener({ key, method, url, body }, data);
    } catch (err) {
      console.error(err); // a page's drawing error must not stop the replay
    }
  }
  if (local) channel?.postMessage({ type: "sent", entry: { key, method, url, body }, data });
}

function changed() {
  for (const listener of listeners) listener();
  channel?.postMessage("changed");
}
channel?.addEventListener("message", (event) => {
  if (event.data?.type === "sent") sent(event.data.entry, event.data.data, false);
  for (const listener of listeners) listener();
});

/** Whether an entry is past the 12 hours an unsent write may stay on the device (or has no valid time). */
export function isExpired(entry, now = Date.now()) {
  const at = Number(entry?.createdAt);
  return !Number.isFinite(at) || now - at > MAX_AGE_MS;
}

/** Entries older than 12 hours are deleted with what they hold; returns how many. */
export async function expire(now = Date.now()) {
  let count = 0;
  for (const entry of await entries()) {
    if (isExpired(entry, now)) {
      await remove(entry.id);
      count += 1;
    }
  }
  if (count) changed();
  return count;
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function pageCsrf() {
  return csrf || document.querySelector('meta[name="csrf-token"]')?.content || "";
}

async function refreshCsrf() {
  // A page opened from the offline cache can carry an expired CSRF token: read a fresh one from the start page.
  const response = await fetch("/", { credentials: "same-origin", cache: "no-store" });
  const match = (await response.text()).match(/<meta name="csrf-token" content="([^"]+)"/);
  if (match) csrf = match[1];
  return Boolean(match);
}

async function deliver(entry) {
  const headers = { Accept: "application/json", "Idempotency-Key": entry.key, "X-CSRFToken": pageCsrf() };
  const options = { method: entry.method, headers, credentials: "same-origin" };
  if (entry.body !== undefined) {
    headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(entry.body);
  }
  const response = await fetch(entry.url, options);
  const data = response.headers.get("Content-Type")?.includes("json") ? await response.json().catch(() => null) : null;
  return { status: response.status, data, code: data?.error?.code };
}

/** State of the last flush: "idle", "offline" (network gone), "waiting" (server busy), "login" (session ended). */
export let lastFlush = "idle";

async function flushLocked() {
  const removals = [];
  try {
    await sendInOrder(removals);
  } finally {
    // Every delivered write is deleted before the lock passes to another tab.
    await Promise.allSettled(removals);
  }
}

async function sendInOrder(removals) {
  await expire();
  for (const entry of await entries()) {
    if (entry.state === "failed" || entry.state === "corrupt") continue;
    if (!isValid(entry)) {
      await put({ ...entry, state: "corrupt" });
      changed();
      continue;
    }
    let answer;
    try {
      answer = await deliver(entry);
      if (answer.code === "csrf_failed" && (await refreshCsrf())) answer = await deliver(entry);
    } catch (_) {
      lastFlush = "offline";
      return;
    }
    // Delivered, now or by an earlier attempt whose answer was lost (the server says so, the write stands).
    if ((answer.status >= 200 && answer.status < 300) || answer.code === "idempotency_key_applied") {
      // The delete runs while the next write is sent; IndexedDB orders it before any later read of the store.
      removals.push(forget(entry.id));
      outcomes.set(entry.key, { ok: true, data: answer.data });
      sent(entry, answer.status < 300 ? answer.data : null);
      changed();
      continue;
    }
    if (answer.status >= 500 || answer.status === 429 || answer.code === "idempotency_key_in_progress" ||
        answer.code === "csrf_failed") {
      lastFlush = "waiting";
      return; // not this write's fault: keep it and the order, try again later
    }
    if (answer.status === 401) {
      lastFlush = "login";
      return;
    }
    // The server refused this write (409 conflict, 422 …): the user decides; it is never dropped by itself.
    const message = answer.data?.error?.message || t("Feil %(status)s", { status: answer.status });
    await put({ ...entry, state: "failed", error: message, status: answer.status });
    outcomes.set(entry.key, { ok: false, error: new ApiError(answer.status, answer.data) });
    changed();
  }
  lastFlush = "idle";
}

let flushing = null;

/** Send what is pending, in order; one tab at a time (Web Locks), once per tab at a time. */
export function flush() {
  if (!flushing) {
    const run = navigator.locks ? navigator.locks.request(LOCK, flushLocked) : flushLocked();
    flushing = run.finally(() => { flushing = null; });
  }
  return flushing;
}

/**
 * Send a write through the outbox. Resolves with the server's answer when it was delivered now; with
 * `{queued: true, entry}` when it is kept for later (offline, server busy); rejects with ApiError when the server
 * refused it at once (then it is not kept: the page shows the error as before).
 */
export async function send(method, url, body, { label = "", items = 1 } = {}) {
  // `items`: how many things the write carries (a household of three is three people), for the banner's count.
  const entry = { key: newKey(), method, url, body, label, items, createdAt: Date.now(), state: "pending" };
  entry.id = await put(entry);
  changed();
  if (navigator.onLine !== false) {
    await flush();
    if (flushing) await flushing; // a flush that was running when this write arrived did not see it
    if (!outcomes.has(entry.key) && (await entries()).some((e) => e.id === entry.id)) await flush();
  }
  const outcome = outcomes.get(entry.key);
  if (outcome) {
    outcomes.delete(entry.key);
    if (outcome.ok) return outcome.data;
    await discard(entry.id);
    throw outcome.error;
  }
  return { queued: true, entry };
}

export const post = (url, body, options) => send("POST", url, body ?? {}, options);
export const patch = (url, body, options) => send("PATCH", url, body, options);

/**
 * Replace what a still-unsent write will send (a task's status changed twice while offline: only the last one is
 * meant). Done under the outbox lock, so no tab is sending it meanwhile, and with a new key, so an earlier attempt
 * that did reach the server can never be taken for this one. Resolves false when the write is no longer waiting
 * (sent, refused or being sent now); the caller then sends a write of its own.
 */
export async function revise(id, body, { label } = {}) {
  const work = async (lock) => {
    if (lock === null) return false;
    const entry = (await entries()).find((e) => e.id === id);
    if (!entry || entry.state !== "pending" || !isValid(entry)) return false;
    await put({ ...entry, body, key: newKey(), ...(label ? { label } : {}) });
    changed();
    return true;
  };
  return navigator.locks ? navigator.locks.request(LOCK, { ifAvailable: true }, work) : work(true);
}
