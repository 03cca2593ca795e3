// Cooperation pages: forms that talk JSON to the API, and live refresh of the page's regions from the
// `cooperation` channel. The server renders every region; on a change we fetch the page again and swap the
// regions in place, so the markup has one source and nothing is drawn twice.
import { ApiError, api, announce } from "/static/js/api.js";
import { getLive } from "/static/js/live.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("coop-page");

// --- forms -----------------------------------------------------------------------------------------------

function parsePeople(text) {
  return text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name, organisation = "", fn = ""] = line.split(";").map((part) => part.trim());
      return { name, organisation, function: fn };
    });
}

function setPath(target, path, value) {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) node = node[part] ??= {};
  node[parts.at(-1)] = value;
}

function formBody(form) {
  const body = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    const type = el.dataset.type || "";
    const empty = el.dataset.empty || "";
    let value = el.value;
    if (type === "checkbox-value") {
      if (!el.checked) continue;
    } else if (type === "bool") {
      value = el.checked;
    } else if (type === "int-list") {
      value = [...el.selectedOptions].map((o) => Number.parseInt(o.value, 10));
    } else if (type === "people") {
      value = parsePeople(value);
    } else if (value === "") {
      if (empty === "omit") continue;
      if (empty === "null") value = null;
    } else if (type === "int") {
      value = Number.parseInt(value, 10);
    } else if (type === "number") {
      value = Number(value.replace(",", "."));
    }
    setPath(body, el.name, value);
  }
  return body;
}

function showError(form, message) {
  let box = form.querySelector(".form-error");
  if (!box) {
    box = document.createElement("p");
    box.className = "form-error";
    box.setAttribute("role", "alert");
    form.prepend(box);
  }
  box.textContent = message;
  box.hidden = !message;
}

// A file form (the meeting's attachments) goes as multipart; the server checks type, size and content.
async function upload(form) {
  const token = document.querySelector('meta[name="csrf-token"]')?.content || "";
  const response = await fetch(form.dataset.url, {
    method: "POST",
    body: new FormData(form),
    headers: { Accept: "application/json", "X-CSRFToken": token },
    credentials: "same-origin",
  });
  const data = response.headers.get("Content-Type")?.includes("json") ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

async function submit(form, event) {
  event.preventDefault();
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
  const button = form.querySelector("button[type=submit]");
  const method = form.dataset.method || "POST";
  showError(form, "");
  if (button) button.disabled = true;
  try {
    const result = form.hasAttribute("data-multipart")
      ? await upload(form)
      : await api(method, form.dataset.url, method === "DELETE" ? undefined : formBody(form));
    delete form.dataset.dirty;
    if (form.dataset.redirect && result?.id) {
      window.location.assign(form.dataset.redirect.replace("{id}", result.id));
      return;
    }
    if (form.dataset.resultTarget) {
      const output = document.getElementById(form.dataset.resultTarget);
      output.value = result[form.dataset.resultField];
      output.closest("[hidden]")?.removeAttribute("hidden");
      output.focus();
      output.select();
    }
    if (form.hasAttribute("data-reset")) form.reset();
    announce(form.dataset.success || t("Lagret."));
    if (!form.hasAttribute("data-no-refresh")) await refresh();
  } catch (err) {
    showError(form, err.message || t("Noe gikk galt."));
    announce(err.message || t("Noe gikk galt."), "error");
  } finally {
    if (button && button.isConnected) button.disabled = false;
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.coop-api-form");
  if (form) submit(form, event);
});
// A form the user is typing in must not be replaced under their fingers by a live refresh.
document.addEventListener("input", (event) => {
  const form = event.target.closest("form.coop-api-form");
  if (form) form.dataset.dirty = "1";
});

// --- live refresh ----------------------------------------------------------------------------------------

let refreshing = null;
let again = false;

function regionBusy(region) {
  return Boolean(region.querySelector("form[data-dirty]"));
}

async function refreshOnce() {
  const response = await fetch(window.location.href, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok) return;
  const doc = new DOMParser().parseFromString(await response.text(), "text/html");
  const focusedId = document.activeElement?.id;
  for (const region of document.querySelectorAll("[data-region][id]")) {
    const fresh = doc.getElementById(region.id);
    if (!fresh || regionBusy(region)) continue;
    // Keep open <details> open across the swap.
    const open = [...region.querySelectorAll("details[open]")].map((d) => d.querySelector("summary")?.textContent);
    region.innerHTML = fresh.innerHTML;
    for (const details of region.querySelectorAll("details")) {
      if (open.includes(details.querySelector("summary")?.textContent)) details.open = true;
    }
  }
  if (focusedId && !document.activeElement?.id) document.getElementById(focusedId)?.focus();
}

async function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    do {
      again = false;
      try {
        await refreshOnce();
      } catch (e) {
        console.error(e);
      }
    } while (again);
  })();
  try {
    await refreshing;
  } finally {
    refreshing = null;
  }
}

const MESSAGES = {
  [EV.MEETING_APPROVED]: (d) => (d.by === "kommune"
    ? t("%(title)s: godkjent av kommunedirektørens ledergruppe.", { title: d.title })
    : t("%(title)s: godkjent av politistasjonens ledergruppe.", { title: d.title })),
  [EV.MEETING_SENT]: (d) => t("%(title)s: sakslisten er sendt.", { title: d.title }),
  [EV.MEETING_APPROVALS_RESET]: (d) => t("%(title)s: sakslisten er endret, godkjenningene er trukket tilbake.", { title: d.title }),
  [EV.AGENDA_ITEM_CREATED]: (d) => t("Ny sak %(number)s: %(title)s.", { number: d.number, title: d.title }),
  [EV.DECISION_UPDATED]: () => t("Et vedtak har fått ny status."),
};

let timer = null;
function onEvent(envelope) {
  const meetingId = Number(root?.dataset.meetingId || 0);
  const data = envelope.data || {};
  const concernsMeeting = !meetingId || data.id === meetingId || data.meeting_id === meetingId;
  const message = MESSAGES[envelope.type];
  if (message && concernsMeeting) announce(message(data));
  // Debounced: a burst of events (e.g. fixing a year's dates) costs one fetch.
  clearTimeout(timer);
  timer = setTimeout(refresh, 150);
}

if (root) {
  getLive().subscribe("cooperation", onEvent, Number(root.dataset.since || 0));
}
// Tells tests (and anyone waiting) that the forms are wired up.
document.documentElement.dataset.coopReady = "1";
