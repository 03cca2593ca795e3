// EPS centre page: rename and change the capacity (versioned: a stale edit gets the server's 409 message), the
// list of those changes, and the purposes of access the EPS-leder keeps for the registration desk.
import { announce, escapeHtml, formatDateTime, get, patch, post } from "/static/js/api.js";
import { t } from "/static/js/i18n.js";

// Labels of the centre's fields in the list of changes.
const FIELDS = { name: t("Navn"), capacity: t("Kapasitet"), status: t("Status"), leader: t("EPS-leder") };

const root = document.getElementById("eps-centre");
const epsId = Number(root.dataset.epsId);
const edit = document.getElementById("centre-edit");
const form = document.getElementById("centre-form");
let version = Number(edit?.dataset.version || 0);

// --- name and capacity ---

async function loadHistory() {
  const list = document.getElementById("centre-history");
  if (!list) return;
  const data = await get(`/api/v1/eps/${epsId}/history`);
  version = Math.max(version, data.version);
  list.innerHTML = data.changes.length
    ? data.changes.slice().reverse().map((change) => {
      const what = Object.entries(change.changes)
        .filter(([key]) => key !== "leader_user_id")
        .map(([key, c]) => `${FIELDS[key] || escapeHtml(key)}: ${escapeHtml(c.from ?? "–")} → ${escapeHtml(c.to ?? "–")}`)
        .join("; ");
      return `<li><time datetime="${escapeHtml(change.at)}">${escapeHtml(formatDateTime(change.at))}</time> ${escapeHtml(t("av %(name)s", { name: change.actor }))}: ${what}</li>`;
    }).join("")
    : `<li class="muted">${t("Ingen endringer ennå.")}</li>`;
}

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const msg = document.getElementById("centre-msg");
  const name = document.getElementById("centre-name");
  const capacity = document.getElementById("centre-capacity");
  const body = { version };
  if (name.value.trim() !== name.defaultValue) body.name = name.value.trim();
  if (capacity.value !== capacity.defaultValue) body.capacity = capacity.value === "" ? null : Number(capacity.value);
  if (Object.keys(body).length === 1) {
    msg.textContent = t("Ingen endringer å lagre.");
    return;
  }
  for (const input of form.querySelectorAll("[aria-invalid]")) input.removeAttribute("aria-invalid");
  try {
    const centre = await patch(`/api/v1/eps/${epsId}`, body);
    version = centre.version;
    name.defaultValue = centre.name;
    capacity.defaultValue = String(centre.capacity);
    document.dispatchEvent(new CustomEvent("eps:centre-saved", { detail: centre }));
    const saved = t("Endringen er lagret.");
    msg.textContent = saved;
    announce(saved);
    await loadHistory();
  } catch (err) {
    msg.textContent = err.message;
    const field = Object.keys(err.fields || {})[0];
    const input = field && form.querySelector(`[name="${field}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  }
});

// Someone else's change (or the status flow here) moved the version: show it, keep what is being typed.
document.addEventListener("eps:centre", (event) => {
  const centre = event.detail;
  if (!form) return;
  const dirty = [...form.querySelectorAll("input")].some((input) => input.value !== input.defaultValue);
  if (dirty) return; // the user's edit keeps the version it started from: a stale save gets the 409
  version = Math.max(version, centre.version || 0);
  for (const [id, key] of [["centre-name", "name"], ["centre-capacity", "capacity"]]) {
    const input = document.getElementById(id);
    if (centre[key] !== undefined && centre[key] !== null) input.value = input.defaultValue = String(centre[key]);
  }
  loadHistory().catch(() => {});
});

// --- purposes of access (EPS-leder) ---

const purposeList = document.getElementById("purpose-list");

function purposeItem(p) {
  return `<li data-purpose-id="${Number(p.id)}" data-version="${Number(p.version)}">`
    + `<label class="sr-only" for="purpose-title-${Number(p.id)}">${t("Gi nytt navn")}</label>`
    + `<input id="purpose-title-${Number(p.id)}" value="${escapeHtml(p.title)}" maxlength="120">`
    + ` <button type="button" data-rename>${t("Lagre")}<span class="sr-only"> ${escapeHtml(p.title)}</span></button>`
    + ` <button type="button" data-active="${p.active ? "false" : "true"}">${p.active ? t("Deaktiver") : t("Ta i bruk igjen")}<span class="sr-only"> ${escapeHtml(p.title)}</span></button>`
    + `${p.active ? "" : ` <span class="tag">${t("ikke i bruk")}</span>`}</li>`;
}

async function loadPurposes() {
  if (!purposeList) return;
  const data = await get("/api/v1/eps/purposes?all=1");
  purposeList.innerHTML = data.purposes.map(purposeItem).join("");
}

purposeList?.addEventListener("click", async (event) => {
  const item = event.target.closest("li[data-purpose-id]");
  const button = event.target.closest("button");
  if (!item || !button) return;
  const body = { version: Number(item.dataset.version) };
  if (button.hasAttribute("data-rename")) body.title = item.querySelector("input").value.trim();
  else body.active = button.dataset.active === "true";
  const msg = document.getElementById("purposes-msg");
  try {
    await patch(`/api/v1/eps/purposes/${item.dataset.purposeId}`, body);
    msg.textContent = t("Endringen er lagret.");
    await loadPurposes();
  } catch (err) {
    msg.textContent = err.message;
  }
});

document.getElementById("purpose-add")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("purpose-new");
  const msg = document.getElementById("purposes-msg");
  try {
    const purpose = await post("/api/v1/eps/purposes", { title: input.value.trim() });
    input.value = "";
    msg.textContent = t("Formål lagt til: %(title)s.", { title: purpose.title });
    await loadPurposes();
  } catch (err) {
    msg.textContent = err.message;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }
});

loadHistory().catch((err) => {
  const msg = document.getElementById("centre-msg");
  if (msg) msg.textContent = err.message;
});
loadPurposes().catch((err) => {
  document.getElementById("purposes-msg").textContent = err.message;
});
