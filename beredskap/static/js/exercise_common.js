// Shared by the exercise pages: clocks, inject cards, page data and file reading.
import { csrfToken, escapeHtml, formatTime } from "/static/js/api.js";
import { t } from "/static/js/i18n.js";

export function pageData(id) {
  const el = document.getElementById(id);
  return el ? JSON.parse(el.textContent) : {};
}

export function formatClock(seconds) {
  if (seconds === null || seconds === undefined) return "–";
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

export function formatCountdown(seconds) {
  if (seconds === null || seconds === undefined) return t("venter (pause)");
  if (seconds <= 0) return t("nå");
  const total = Math.ceil(seconds);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m ? t("om %(m)s min %(s)s s", { m, s }) : t("om %(s)s s", { s });
}

// One inject as a card; `expected` shows what the control room expects (never on the player view).
export function injectCard(inject, { expected = false, extra = "" } = {}) {
  const when = inject.delivered_at ? t("levert %(time)s", { time: formatTime(inject.delivered_at) }) : t("kl. +%(at)s", { at: escapeHtml(inject.at) });
  return `<article class="inject-card" data-no="${inject.no}" aria-label="${t("Innspill %(n)s", { n: inject.no })}">
    <div class="meta"><strong>${t("Innspill %(n)s", { n: inject.no })}</strong><span>${when}</span>
      ${inject.from ? `<span>${escapeHtml(t("Fra: %(who)s", { who: inject.from }))}</span>` : ""}
      ${inject.to ? `<span>${escapeHtml(t("Til: %(who)s", { who: inject.to }))}</span>` : ""}
      ${inject.channel ? `<span>${escapeHtml(t("Kanal: %(channel)s", { channel: inject.channel }))}</span>` : ""}
      ${inject.objective ? `<span>${escapeHtml(t("Mål: %(objective)s", { objective: inject.objective }))}</span>` : ""}
      ${inject.early ? `<span>${t("sendt før tiden")}</span>` : ""}</div>
    <p class="text">${escapeHtml(inject.text)}</p>
    ${expected && inject.expected ? `<p class="expected"><strong>${t("Forventet:")}</strong> ${escapeHtml(inject.expected)}</p>` : ""}
    ${extra}
  </article>`;
}

// The inject.delivered event data as the inject shape used by the cards.
export function injectFromEvent(data) {
  return { ...data, id: data.inject_id, delivered_at: data.delivered_at };
}

export function readFile(input) {
  return new Promise((resolve, reject) => {
    const file = input.files?.[0];
    if (!file) {
      reject(new Error(t("Velg en fil.")));
      return;
    }
    const reader = new FileReader();
    reader.onload = () => resolve({ name: file.name, buffer: reader.result });
    reader.onerror = () => reject(new Error(t("Kunne ikke lese filen.")));
    reader.readAsArrayBuffer(file);
  });
}

// Send a file body as-is (the server decodes it and names the line of any error).
export async function postFile(url, buffer, contentType) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": contentType, Accept: "application/json", "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
    body: buffer,
  });
  const data = response.headers.get("Content-Type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw new Error(data?.error?.message || t("Feil %(status)s", { status: response.status }));
  return data;
}
