// EPS centre page: live occupancy (counts), the status flow, departments with leaders, staffing and action cards.
import { getLive } from "/static/js/live.js";
import { announce, api, escapeHtml, formatDateTime, get, patch, post } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("eps-centre");
const epsId = Number(root.dataset.epsId);
const state = JSON.parse(document.getElementById("eps-data").textContent);
const STATUS = { besluttet: t("Besluttet"), "\u00e5pnet": t("Åpnet"), i_drift: t("I drift"), avviklet: t("Avviklet") };
const FLOW = ["besluttet", "\u00e5pnet", "i_drift", "avviklet"];

for (const el of document.querySelectorAll("time.js-datetime")) el.textContent = formatDateTime(el.getAttribute("datetime"));

function showOccupancy(counts) {
  const c = Object.assign(state.centre, counts);
  document.getElementById("occ-figure").textContent = t("%(present)s av %(capacity)s til stede", { present: c.present, capacity: c.capacity });
  const share = c.capacity > 0 ? Math.min(1, c.present / c.capacity) : 0;
  const fill = document.getElementById("occ-fill");
  fill.style.width = `${Math.round(share * 100)}%`;
  fill.classList.toggle("full", c.present >= c.capacity);
  document.getElementById("occ-full").hidden = c.present < c.capacity;
  document.getElementById("c-registered").textContent = c.registered;
  document.getElementById("c-left").textContent = c.left;
  document.getElementById("c-free").textContent = Math.max(0, c.capacity - c.present);
  document.getElementById("c-open").textContent = c.open_inquiries;
}

function showStatus(status) {
  state.centre.status = status;
  const el = document.getElementById("centre-status");
  el.textContent = STATUS[status] || status;
  el.className = `eps-status eps-status-${status}`;
  const flow = document.getElementById("status-flow");
  if (!flow) return;
  const current = FLOW.indexOf(status);
  for (const button of flow.querySelectorAll("button")) {
    const index = FLOW.indexOf(button.dataset.status);
    button.disabled = index <= current;
    if (index === current) button.setAttribute("aria-current", "step");
    else button.removeAttribute("aria-current");
  }
}

document.getElementById("status-flow")?.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-status]");
  if (!button) return;
  const msg = document.getElementById("flow-msg");
  try {
    const centre = await patch(`/api/v1/eps/${epsId}`, { status: button.dataset.status, version: state.centre.version });
    state.centre.version = centre.version;
    showStatus(centre.status);
    document.dispatchEvent(new CustomEvent("eps:centre", { detail: centre }));
    msg.textContent = t("Status: %(status)s.", { status: STATUS[centre.status] });
  } catch (err) {
    msg.textContent = err.message;
  }
});

function personOptions(selectedId) {
  const options = [`<option value="">– ${t("skriv navn")} –</option>`];
  for (const person of state.roster) {
    options.push(`<option value="${person.id}"${person.id === selectedId ? " selected" : ""}>${escapeHtml(person.name)}</option>`);
  }
  return options.join("");
}

function roleFields(d, role, title) {
  const id = `${role}-${d.id}`;
  const nameValue = state.with_names ? escapeHtml(d[`${role}_name`] || "") : "";
  const rosterField = state.roster.length
    ? `<div class="field"><label for="${id}-person">${t("%(role)s fra kriseorganisasjonen", { role: title })}</label><select id="${id}-person" name="${role}_person_id">${personOptions(d[`${role}_person_id`])}</select></div>`
    : "";
  return `${rosterField}<div class="field"><label for="${id}-name">${t("%(role)s (navn)", { role: title })}</label><input id="${id}-name" name="${role}_name" maxlength="200" value="${nameValue}" autocomplete="off"></div>`;
}

function departmentCard(d) {
  const understaffed = d.staff_count < d.staff_needed;
  const who = (name, set) => (state.with_names ? escapeHtml(name || t("ikke satt")) : (set ? t("satt") : t("ikke satt")));
  const staff = d.staff.map((m) => `<li>${state.with_names ? escapeHtml(m.name) : t("mannskap")}${m.role ? ` – ${escapeHtml(m.role)}` : ""}`
    + (state.can_manage ? ` <button type="button" class="linkbutton dark" data-remove-staff="${m.id}">${t("fjern")}<span class="sr-only"> ${escapeHtml(t("fra %(department)s", { department: d.title }))}</span></button>` : "")
    + "</li>").join("");
  const actions = d.actions.map((a, i) => {
    const id = `act-${d.id}-${i}`;
    if (state.can_manage) {
      return `<li><label class="choice"><input type="checkbox" id="${id}" data-action-index="${i}"${a.done ? " checked" : ""}> <span class="${a.done ? "done-text" : ""}">${escapeHtml(a.text)}</span></label></li>`;
    }
    return `<li>${a.done ? `✓ ${t("Utført:")} ` : "☐ "}<span class="${a.done ? "done-text" : ""}">${escapeHtml(a.text)}</span></li>`;
  }).join("");
  const editing = state.can_manage ? `
    <details><summary>${t("Endre ledelse og bemanningsbehov")}</summary>
      <form class="dept-form" data-department-id="${d.id}">
        ${roleFields(d, "leader", t("Leder"))}
        ${roleFields(d, "deputy", t("Stedfortreder"))}
        <div class="field"><label for="need-${d.id}">${t("Bemanningsbehov")}</label><input id="need-${d.id}" name="staff_needed" inputmode="numeric" value="${d.staff_needed}"></div>
        <button type="submit">${t("Lagre")}</button>
      </form>
    </details>
    <details><summary>${t("Legg til mannskap")}</summary>
      <form class="staff-form" data-department-id="${d.id}">
        ${state.roster.length ? `<div class="field"><label for="staff-person-${d.id}">${t("Fra kriseorganisasjonen")}</label><select id="staff-person-${d.id}" name="person_id">${personOptions(null)}</select></div>` : ""}
        <div class="field"><label for="staff-name-${d.id}">${t("Navn")}</label><input id="staff-name-${d.id}" name="name" maxlength="200" autocomplete="off"></div>
        <div class="field"><label for="staff-role-${d.id}">${t("Oppgave (valgfritt)")}</label><input id="staff-role-${d.id}" name="role" maxlength="120" autocomplete="off"></div>
        <button type="submit">${t("Legg til")}</button>
      </form>
    </details>` : "";
  return `<article class="card department" data-department-id="${d.id}" aria-labelledby="dep-h-${d.id}">
    <h3 id="dep-h-${d.id}">${escapeHtml(d.title)}</h3>
    <dl>
      <dt>${t("Leder")}</dt><dd>${who(d.leader_name, d.leader_set)}</dd>
      <dt>${t("Stedfortreder")}</dt><dd>${who(d.deputy_name, d.deputy_set)}</dd>
      <dt>${t("Bemanning")}</dt><dd>${t("%(n)s av %(needed)s", { n: d.staff_count, needed: d.staff_needed })}${understaffed ? `<span class="understaffed">${t("underbemannet")}</span>` : ""}</dd>
    </dl>
    ${staff ? `<ul class="staff-list">${staff}</ul>` : ""}
    <h4>${t("Tiltakskort (%(done)s av %(total)s utført)", { done: d.actions_done, total: d.actions.length })}</h4>
    <ul class="actioncard">${actions}</ul>
    ${editing}
  </article>`;
}

function renderDepartments() {
  const container = document.getElementById("departments");
  container.innerHTML = state.departments.map(departmentCard).join("");
}

async function reloadDepartments() {
  const data = await get(`/api/v1/eps/${epsId}/departments`);
  state.departments = data.departments;
  const focused = document.activeElement?.id;
  renderDepartments();
  if (focused) document.getElementById(focused)?.focus();
}

function department(id) {
  return state.departments.find((d) => d.id === Number(id));
}

const msg = document.getElementById("dept-msg");
const container = document.getElementById("departments");

container.addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.target;
  const d = department(form.dataset.departmentId);
  const values = Object.fromEntries(new FormData(form));
  try {
    if (form.classList.contains("dept-form")) {
      const body = { version: d.version, staff_needed: Number(values.staff_needed || 0) };
      for (const role of ["leader", "deputy"]) {
        if (values[`${role}_person_id`]) body[`${role}_person_id`] = Number(values[`${role}_person_id`]);
        else body[`${role}_name`] = values[`${role}_name`] || "";
      }
      await patch(`/api/v1/eps/departments/${d.id}`, body);
      msg.textContent = t("%(department)s: lagret.", { department: d.title });
    } else {
      const body = { role: values.role || "" };
      if (values.person_id) body.person_id = Number(values.person_id);
      else body.name = values.name;
      await post(`/api/v1/eps/departments/${d.id}/staff`, body);
      msg.textContent = t("%(department)s: mannskap lagt til.", { department: d.title });
    }
    await reloadDepartments();
  } catch (err) {
    msg.textContent = err.message;
  }
});

container.addEventListener("change", async (event) => {
  const box = event.target.closest("input[data-action-index]");
  if (!box) return;
  const d = department(box.closest("[data-department-id]").dataset.departmentId);
  try {
    await post(`/api/v1/eps/departments/${d.id}/actions/${box.dataset.actionIndex}`, { done: box.checked, version: d.version });
    await reloadDepartments();
  } catch (err) {
    msg.textContent = err.message;
    await reloadDepartments();
  }
});

container.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-remove-staff]");
  if (!button) return;
  try {
    await api("DELETE", `/api/v1/eps/staff/${button.dataset.removeStaff}`);
    msg.textContent = t("Mannskap fjernet.");
    await reloadDepartments();
  } catch (err) {
    msg.textContent = err.message;
  }
});

document.getElementById("delete-exercise")?.addEventListener("click", async (event) => {
  const out = document.getElementById("delete-msg");
  if (!document.getElementById("delete-confirm").checked) {
    out.textContent = t("Kryss av for at du forstår at slettingen ikke kan angres.");
    return;
  }
  try {
    const result = await api("DELETE", `/api/v1/incidents/${event.target.dataset.incidentId}/eps-data`);
    announce(t("Slettet: %(centres)s EPS, %(evacuees)s registrerte, %(inquiries)s henvendelser.", result.deleted));
    window.location.assign("/eps");
  } catch (err) {
    out.textContent = err.message;
  }
});

document.addEventListener("eps:centre-saved", (event) => {
  state.centre.version = event.detail.version;
  showOccupancy({ capacity: event.detail.capacity });
});

showOccupancy({});
showStatus(state.centre.status);
renderDepartments();

getLive().subscribe(`incident:${root.dataset.incidentId}`, (ev) => {
  if (ev.data?.eps_id !== epsId) return;
  if (ev.type === EV.EPS_OCCUPANCY) showOccupancy(ev.data);
  else if (ev.type === EV.EPS_STATUS_CHANGED) {
    state.centre.version = ev.data.version;
    showStatus(ev.data.status);
  } else if (ev.type === EV.EPS_UPDATED) {
    // Name or capacity changed (here, by eps_centre_edit.js, or by someone else): one version for both forms.
    state.centre.version = Math.max(state.centre.version, ev.data.version);
    showOccupancy({ capacity: ev.data.capacity });
    document.dispatchEvent(new CustomEvent("eps:centre", { detail: ev.data }));
  } else if (ev.type === EV.EPS_DEPARTMENT_UPDATED) {
    const d = department(ev.data.department_id);
    if (!d || d.version !== ev.data.version) reloadDepartments();
  }
}, Number(root.dataset.since || 0));
