// One search box for every map and form: addresses, streets, places, districts, resources and EPS
// (GET /api/v1/maps/search). A listbox under the input; arrow keys, Enter and Escape work; a pick calls onPick.
import { get, escapeHtml } from "/static/js/api.js";
import { t } from "/static/js/i18n.js";

const KIND_TEXT = {
  address: t("Adresse"), street: t("Gate/vei"), place: t("Sted"), grunnkrets: t("Grunnkrets"), delomrade: t("Delområde"),
  bydel: t("Bydel"), resource: t("Ressurs"), eps: "EPS",
};
let counter = 0;

/** Build a search box inside `container`; returns the input. onPick(result) gets {label, kind, lon, lat, bbox?}. */
export function searchBox(container, { onPick, placeholder = t("Søk adresse, gate, sted …"), label = t("Søk i kartet") } = {}) {
  const id = `mapsearch-${++counter}`;
  container.classList.add("mapsearch");
  container.innerHTML =
    `<label for="${id}" class="sr-only">${escapeHtml(label)}</label>` +
    `<input id="${id}" type="search" role="combobox" aria-autocomplete="list" aria-expanded="false" ` +
    `aria-controls="${id}-list" autocomplete="off" maxlength="200" placeholder="${escapeHtml(placeholder)}">` +
    `<ul id="${id}-list" role="listbox" class="mapsearch-results" hidden></ul>`;
  const input = container.querySelector("input");
  const list = container.querySelector("ul");
  let results = [];
  let active = -1;
  let timer = null;
  let asked = 0;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function render() {
    list.innerHTML = results.length
      ? results.map((r, i) =>
        `<li id="${id}-opt-${i}" role="option" aria-selected="${i === active}" data-index="${i}">` +
        `<span class="mapsearch-label">${escapeHtml(r.label)}</span> ` +
        `<span class="mapsearch-kind">${escapeHtml(KIND_TEXT[r.kind] || r.kind)}${r.detail ? " · " + escapeHtml(r.detail) : ""}</span></li>`).join("")
      : `<li class="mapsearch-empty" role="option" aria-disabled="true">${t("Ingen treff")}</li>`;
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    if (active >= 0) input.setAttribute("aria-activedescendant", `${id}-opt-${active}`);
  }

  async function run() {
    const q = input.value.trim();
    if (!q) { close(); return; }
    const mine = ++asked;
    try {
      const body = await get(`/api/v1/maps/search?limit=8&q=${encodeURIComponent(q)}`);
      if (mine !== asked) return; // a later keystroke has asked again
      results = body.results;
      active = results.length ? 0 : -1;
      render();
    } catch (err) {
      if (mine === asked) { results = []; list.innerHTML = `<li role="option" aria-disabled="true">${escapeHtml(err.message)}</li>`; list.hidden = false; }
    }
  }

  function pick(i) {
    const r = results[i];
    if (!r) return;
    input.value = r.label;
    close();
    if (onPick) onPick(r);
  }

  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 150); });
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown" && results.length) { active = (active + 1) % results.length; render(); e.preventDefault(); }
    else if (e.key === "ArrowUp" && results.length) { active = (active - 1 + results.length) % results.length; render(); e.preventDefault(); }
    else if (e.key === "Enter") { e.preventDefault(); if (!list.hidden && active >= 0) pick(active); else run(); }
    else if (e.key === "Escape") close();
  });
  list.addEventListener("mousedown", (e) => {
    const li = e.target.closest("li[data-index]");
    if (li) { e.preventDefault(); pick(Number(li.dataset.index)); }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  return input;
}

/** Put a search box on a Leaflet map (top right); a pick zooms there and marks the place. */
export function addMapSearch(map, { onPick } = {}) {
  const Control = L.Control.extend({
    onAdd() {
      const div = L.DomUtil.create("div", "leaflet-control mapsearch-control");
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      let marker = null;
      searchBox(div, {
        onPick: (r) => {
          if (r.bbox && r.kind !== "address") {
            map.fitBounds([[r.bbox[1], r.bbox[0]], [r.bbox[3], r.bbox[2]]], { maxZoom: 17 });
          } else {
            map.setView([r.lat, r.lon], 17);
          }
          if (marker) marker.remove();
          marker = L.circleMarker([r.lat, r.lon], { radius: 7, color: "#1b1b1b", weight: 2, fillColor: "#ffd400", fillOpacity: 1 })
            .bindTooltip(r.label).addTo(map);
          if (onPick) onPick(r);
        },
      });
      return div;
    },
  });
  const control = new Control({ position: "topright" });
  control.addTo(map);
  return control;
}
