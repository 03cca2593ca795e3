// Fetch helpers: JSON in and out, CSRF header for the session cookie, errors as Norwegian messages.
import { intlLocale, t } from "/static/js/i18n.js";

// The session's CSRF token, for every write that is not made through api() (fetch with keepalive, file bodies).
export const csrfToken = () => document.querySelector('meta[name="csrf-token"]')?.content || "";

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message || t("Feil %(status)s", { status }));
    this.status = status;
    this.code = body?.error?.code;
    this.fields = body?.error?.fields;
  }
}

export async function api(method, url, body) {
  const options = { method, headers: { Accept: "application/json" }, credentials: "same-origin" };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  if (method !== "GET") options.headers["X-CSRFToken"] = csrfToken();
  let response;
  try {
    response = await fetch(url, options);
  } catch (_) {
    // The browser's own text ("Failed to fetch") means nothing to a user: say what happened, in words.
    throw new ApiError(0, { error: { code: "offline", message: t("Ingen forbindelse med serveren. Prøv igjen når nettet er tilbake.") } });
  }
  const data = response.headers.get("Content-Type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

export const get = (url) => api("GET", url);
export const post = (url, body) => api("POST", url, body ?? {});
export const patch = (url, body) => api("PATCH", url, body);

export function escapeHtml(text) {
  return String(text ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// The exercise marker in front of a title (CONTRACT: exercise data is always marked).
export const exerciseTag = (isExercise) => (isExercise ? `<span class="tag tag-exercise">${t("ØVELSE")}</span> ` : "");

export function formatTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleTimeString(intlLocale(), { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Oslo" });
}

export function formatDateTime(iso) {
  if (!iso) return "";
  return new Date(iso).toLocaleString(intlLocale(), { dateStyle: "short", timeStyle: "short", timeZone: "Europe/Oslo" });
}

export function announce(message, kind = "status") {
  let region = document.getElementById("announcer");
  if (!region) {
    region = document.createElement("div");
    region.id = "announcer";
    region.className = "announcer";
    region.setAttribute("role", kind === "error" ? "alert" : "status");
    region.setAttribute("aria-live", "polite");
    document.body.appendChild(region);
  }
  region.textContent = message;
  region.dataset.kind = kind;
  // Messages clear themselves so they never cover buttons for long; errors stay a little longer.
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { region.textContent = ""; }, kind === "error" ? 12000 : 6000);
}
