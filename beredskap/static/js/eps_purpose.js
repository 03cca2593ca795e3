// EPS desk: why personal data is read. The user picks a purpose from the list the EPS-leder keeps (with an
// optional note) before any name is shown; the server keeps the choice for the session and this centre and
// writes it into every audit record, so it is asked once, not at every click, and can be changed.
import { announce, escapeHtml, get, post } from "/static/js/api.js";
import { t } from "/static/js/i18n.js";

const card = document.getElementById("purpose-card");
const form = document.getElementById("purpose-form");
const select = document.getElementById("purpose-select");
const chosenBox = document.getElementById("purpose-chosen");
let current = null;
let waiting = [];

export const hasPurpose = () => current !== null;
export const PICK_FIRST = t("Velg formål for å se personopplysninger.");

function show(purpose) {
  current = purpose;
  if (purpose) {
    document.getElementById("purpose-title").textContent = purpose.title;
    document.getElementById("purpose-note").textContent = purpose.note ? `– ${purpose.note}` : "";
    chosenBox.hidden = false;
    form.hidden = true;
    card.classList.remove("needs-purpose");
    const resolved = waiting;
    waiting = [];
    for (const resolve of resolved) resolve(purpose);
  } else {
    chosenBox.hidden = true;
    form.hidden = false;
    card.classList.add("needs-purpose");
  }
}

function fill(purposes, selected) {
  select.innerHTML = purposes
    .map((p) => `<option value="${Number(p.id)}"${p.id === selected ? " selected" : ""}>${escapeHtml(p.title)}</option>`)
    .join("");
}

/** Resolves with the purpose once one is chosen (at once when the session already has one for this centre). */
export async function whenPurpose(epsId) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("purpose-error");
    error.textContent = "";
    try {
      const note = document.getElementById("purpose-note-input").value.trim();
      const data = await post(`/api/v1/eps/${epsId}/purpose`, { purpose_id: Number(select.value), note });
      show(data.purpose);
      announce(t("Formål valgt: %(title)s.", { title: data.purpose.title }));
      document.getElementById("purpose-change").focus();
    } catch (err) {
      error.textContent = err.message;
      select.focus();
    }
  });
  document.getElementById("purpose-change").addEventListener("click", async () => {
    try {
      const data = await get(`/api/v1/eps/${epsId}/purpose`);
      fill(data.purposes, current?.purpose_id);
      document.getElementById("purpose-note-input").value = current?.note || "";
    } catch (err) {
      document.getElementById("purpose-error").textContent = err.message;
    }
    chosenBox.hidden = true;
    form.hidden = false;
    select.focus();
  });
  const data = await get(`/api/v1/eps/${epsId}/purpose`);
  fill(data.purposes, data.purpose?.purpose_id);
  show(data.purpose);
  if (data.purpose) return data.purpose;
  return new Promise((resolve) => waiting.push(resolve));
}
