// EPS centre page: the consent step of the exports to the police (record, withdraw, export on a valid basis).
import { announce, escapeHtml, formatDateTime, get, post } from "/static/js/api.js";
import { intlLocale, t } from "/static/js/i18n.js";

const root = document.getElementById("sharing");
const epsId = Number(root.dataset.epsId);
const base = `/api/v1/eps/${epsId}/share-bases`;
const list = document.getElementById("share-bases");
const form = document.getElementById("share-form");
const message = document.getElementById("share-msg");

function dateText(iso) {
  if (!iso) return "";
  const [year, month, day] = iso.split("-").map(Number);
  return new Date(year, month - 1, day).toLocaleDateString(intlLocale(), { day: "2-digit", month: "2-digit", year: "numeric" });
}

function exportUrl(url, basis, reason) {
  return `${url}?basis=${basis.id}&reason=${encodeURIComponent(reason)}`;
}

function render(bases) {
  list.innerHTML = bases.length
    ? bases.map((b) => `<li data-basis-id="${b.id}" class="share-basis share-${b.status}">
        <strong>${escapeHtml(b.kind_title)}</strong> – <span class="share-status">${escapeHtml(b.status_title)}</span><br>
        ${b.kind === "hjemmel" ? escapeHtml(b.legal_basis) : escapeHtml(t("Samtykke fra %(name)s", { name: b.consent_by }))}
        · ${escapeHtml(b.purpose)}${b.valid_until ? ` · ${t("gyldig til og med %(date)s", { date: dateText(b.valid_until) })}` : ""}
        <br><span class="help">${escapeHtml(t("Registrert av %(name)s %(time)s", { name: b.recorded_by, time: formatDateTime(b.recorded_at) }))}${
          b.withdrawn_at ? `, ${escapeHtml(t("trukket tilbake av %(name)s %(time)s", { name: b.withdrawn_by, time: formatDateTime(b.withdrawn_at) }))}` : ""}</span>
        ${b.valid ? `<button type="button" class="secondary" data-withdraw="${b.id}" data-version="${b.version}">${t("Trekk tilbake")}</button>` : ""}
      </li>`).join("")
    : `<li>${t("Ingen registrert.")}</li>`;
  const current = bases.find((b) => b.valid);
  document.getElementById("share-exports").hidden = !current;
  document.getElementById("share-missing").hidden = Boolean(current);
  if (current) {
    document.getElementById("share-current").textContent = current.label;
    document.getElementById("export-pfif").href = exportUrl(root.dataset.pfifUrl, current, "eksport PFIF til politiet"); // i18n-ignore: the audit reason, stored as written
    document.getElementById("export-csv").href = exportUrl(root.dataset.csvUrl, current, "eksport navneliste til politiet"); // i18n-ignore: the audit reason, stored as written
  }
}

async function load() {
  const data = await get(base);
  render(data.bases);
}

function showKind() {
  const kind = form.elements.kind.value;
  for (const el of form.querySelectorAll("[data-for]")) el.hidden = el.dataset.for !== kind;
  document.getElementById("share-until").required = kind === "samtykke";
  document.getElementById("share-legal").required = kind === "hjemmel";
  document.getElementById("share-by").required = kind === "samtykke";
}

form.addEventListener("change", showKind);
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = Object.fromEntries(new FormData(form).entries());
  if (!body.valid_until) delete body.valid_until;
  try {
    await post(base, body);
    form.reset();
    showKind();
    message.textContent = t("Grunnlaget er registrert.");
    await load();
  } catch (err) {
    message.textContent = err.message;
  }
});

list.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-withdraw]");
  if (!button) return;
  const reason = window.prompt(t("Hvorfor trekkes grunnlaget tilbake? (valgfritt)")) ?? "";
  try {
    await post(`${base}/${button.dataset.withdraw}/withdraw`, { reason, version: Number(button.dataset.version) });
    announce(t("Grunnlaget er trukket tilbake. Eksport er sperret til et nytt er registrert."));
    await load();
  } catch (err) {
    announce(err.message, "error");
  }
});

showKind();
load().catch((err) => { list.innerHTML = `<li>${escapeHtml(err.message)}</li>`; });
