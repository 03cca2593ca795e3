// The shared map: layers, resources by kind, incidents, open EPS (live), and zone analysis by circle or polygon.
// Leaflet is loaded as a classic script before this module (global L). Data comes from data-* and the API.
import { get, escapeHtml, exerciseTag, announce, formatTime } from "/static/js/api.js";
import { getLive } from "/static/js/live.js";
import { addBaseMap } from "/static/js/basemap.js";
import { addMapSearch } from "/static/js/mapsearch.js";
import { createEpsMarkers } from "/static/js/map_eps.js";
import { createZoneTool } from "/static/js/map_zone_tool.js";
import { zoneLayer as incidentZoneLayer } from "/static/js/mapzones.js";
import { EV } from "/static/js/generated/events.js";
import { intlLocale, t } from "/static/js/i18n.js";

const root = document.getElementById("map-app");
const cfg = {
  mode: root.dataset.mode,
  since: Number(root.dataset.since || 0),
  tileUrl: root.dataset.tileUrl || "",
  tileAttribution: root.dataset.tileAttribution || "",
  attribution: root.dataset.attribution || "",
  canEdit: root.dataset.canEditResources === "1",
  canEps: root.dataset.canReadEps === "1",
  canIncidents: root.dataset.canReadIncidents === "1",
  kinds: JSON.parse(root.dataset.kinds || "{}"),
};
const live = cfg.mode === "live";
const fmt = new Intl.NumberFormat(intlLocale());

const KIND_COLORS = {
  tilfluktsrom: "#c25a00", skole: "#1f5fa8", idrett: "#1d7a32", kultur: "#7b3fa0", religios: "#7a4b2a",
  barnehage: "#b4367f", sykehjem: "#5f6368", primaerhelse: "#0b7a86", sykehus: "#b3121d", beredskap: "#8a6d00",
  hoyskole: "#2f3580", overnatting: "#4f6b12", annet: "#333333",
};
const DEFAULT_LAYERS = new Set(["kommune", "bydeler"]);
const DEFAULT_KINDS = new Set(["beredskap"]);
const LAND = "#f3f1ea";

// --- the map ---

const map = L.map("map", { attributionControl: false, zoomSnap: 0.5, keyboard: true }).setView([58.16, 7.9], 10);
window.beredskapMap = map; // for tests and the browser console
const attributionControl = L.control.attribution({ prefix: '<a href="https://leafletjs.com">Leaflet</a>' }).addAttribution(escapeHtml(cfg.attribution)).addTo(map);
L.control.scale({ imperial: false }).addTo(map);
if (cfg.tileUrl) {
  map.createPane("tiles").style.zIndex = 150;
  L.tileLayer(cfg.tileUrl, { pane: "tiles", attribution: escapeHtml(cfg.tileAttribution), maxZoom: 19 }).addTo(map);
} else {
  map.getContainer().classList.add("no-tiles");
}

// One pane per layer (with its own SVG renderer) so layers stack predictably and can be told apart.
const PANES = ["kommune", "grunnkretser", "delomrader", "bydeler", "imported", "zone", "resources", "tilfluktsrom",
  "candidates", "eps", "incidents"];
const renderers = {};
PANES.forEach((name, i) => {
  map.createPane(name).style.zIndex = 300 + i * 10;
  renderers[name] = name === "resources" ? L.canvas({ pane: name }) : L.svg({ pane: name });
});
// Offline roads, water and names; ?basemap=0 leaves them out (the benchmark's page without a base map).
if (new URLSearchParams(window.location.search).get("basemap") !== "0") {
  addBaseMap(map, { attribution: attributionControl, underTiles: Boolean(cfg.tileUrl) });
}
addMapSearch(map);
const incidentZones = cfg.canIncidents ? incidentZoneLayer(map, { pane: "zone" }) : null; // zones of open incidents, live
map.getPane("eps").style.zIndex = 670; // occupancy text above incident markers and labels
map.getPane("incidents").style.zIndex = 660;
map.getPane("candidates").style.zIndex = 630;

function setStatus(text) {
  const el = document.getElementById("draw-status");
  if (el) el.textContent = text;
}

function formatDistance(m) {
  return m >= 1000 ? `${(m / 1000).toLocaleString(intlLocale(), { maximumFractionDigits: 1 })} km` : `${fmt.format(m)} m`;
}

// --- shipped and imported layers ---

const layerState = new Map(); // name → {meta, group, loaded, checkbox}

function popupHtml(name, props) {
  const p = props || {};
  if (name === "bydeler") {
    return `<strong>${escapeHtml(p.bydel)}</strong><br>${t("Bydel")} · ${t("%(n)s innbyggere (SSB)", { n: fmt.format(p.folketall || 0) })}` +
      (p.delomrader ? `<br><span class="small">${escapeHtml(t("Delområder: %(names)s", { names: p.delomrader }))}</span>` : "");
  }
  if (name === "delomrader") {
    return `<strong>${escapeHtml(p.delomradenavn)}</strong><br>${escapeHtml(t("Delområde %(n)s", { n: p.delomradenummer }))} · ${escapeHtml(t("bydel %(name)s", { name: p.bydel }))}` +
      `<br>${t("%(n)s innbyggere (SSB)", { n: fmt.format(p.folketall || 0) })}`;
  }
  if (name === "grunnkretser") {
    const people = p.folketall == null ? t("ikke oppgitt") : fmt.format(p.folketall);
    return `<strong>${escapeHtml(p.grunnkretsnavn)}</strong><br>${escapeHtml(t("Grunnkrets %(n)s", { n: p.grunnkretsnummer }))} · ${escapeHtml(p.delomradenavn)}, ${escapeHtml(p.bydel)}<br>${t("Folketall: %(n)s", { n: people })}`;
  }
  if (name === "tilfluktsrom") {
    return `<strong>${escapeHtml(t("Tilfluktsrom %(n)s", { n: p.romnr }))}</strong><br>${escapeHtml(p.adresse || "")}<br>${t("%(n)s plasser", { n: fmt.format(p.plasser || 0) })} · ${escapeHtml(p.bydel || "")}`;
  }
  if (name === "kommune") return `<strong>${escapeHtml(p.kommunenavn || "Kristiansand")}</strong>`;
  const rows = Object.entries(p).slice(0, 8).map(([k, v]) => `${escapeHtml(k)}: ${escapeHtml(v)}`);
  return rows.join("<br>") || escapeHtml(name);
}

function largestPartCenter(layer) {
  // The label of a bydel goes on its largest piece of land, not on the centre of its islands' bounding box.
  let best = null;
  let bestArea = -1;
  const visit = (latlngs) => {
    if (!latlngs.length) return;
    if (latlngs[0] instanceof L.LatLng) {
      const b = L.latLngBounds(latlngs);
      const area = (b.getEast() - b.getWest()) * (b.getNorth() - b.getSouth());
      if (area > bestArea) { bestArea = area; best = latlngs; }
      return;
    }
    if (latlngs[0][0] instanceof L.LatLng) visit(latlngs[0]); // polygon with holes: its outer ring
    else latlngs.forEach(visit);
  };
  visit(layer.getLatLngs());
  return best ? pointInside(best) : layer.getBounds().getCenter();
}

function pointInside(ring) {
  // Midpoint of the widest stretch of a horizontal line through the middle: always inside the ring.
  const bounds = L.latLngBounds(ring);
  const lat = (bounds.getNorth() + bounds.getSouth()) / 2;
  const xs = [];
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if ((a.lat > lat) !== (b.lat > lat)) xs.push(a.lng + ((lat - a.lat) / (b.lat - a.lat)) * (b.lng - a.lng));
  }
  xs.sort((x, y) => x - y);
  let best = null;
  for (let k = 0; k + 1 < xs.length; k += 2) {
    if (!best || xs[k + 1] - xs[k] > best[1] - best[0]) best = [xs[k], xs[k + 1]];
  }
  return best ? L.latLng(lat, (best[0] + best[1]) / 2) : bounds.getCenter();
}

function styleFor(meta) {
  const style = { ...(meta.style || {}) };
  if (meta.name === "kommune" && !cfg.tileUrl) Object.assign(style, { fill: true, fillColor: LAND, fillOpacity: 1 });
  if (meta.kind === "imported") Object.assign(style, { color: "#005a70", weight: 2, fillOpacity: 0.15 });
  return style;
}

function buildLayer(meta, collection) {
  const pane = meta.kind === "shipped" && PANES.includes(meta.name) ? meta.name : "imported";
  const style = styleFor(meta);
  const group = L.geoJSON(collection, {
    pane,
    renderer: renderers[pane],
    style: () => style,
    pointToLayer: (feature, latlng) => L.circleMarker(latlng, {
      ...(meta.name === "tilfluktsrom" ? style : { radius: 5, color: "#005a70", fillColor: "#5fb3c6", fillOpacity: 0.9 }),
      pane, renderer: renderers[pane],
    }),
    onEachFeature: (feature, layer) => {
      layer.on("click", (e) => {
        if (drawingBusy()) return;
        L.popup().setLatLng(e.latlng).setContent(popupHtml(meta.name, feature.properties)).openOn(map);
      });
      if (meta.name === "bydeler") {
        layer.bindTooltip(escapeHtml(feature.properties.bydel), {
          permanent: true, direction: "center", className: "bydel-label", interactive: false,
        });
        layer.once("add", () => layer.getTooltip()?.setLatLng(largestPartCenter(layer)));
      } else if (meta.name === "delomrader" || meta.name === "grunnkretser") {
        const label = meta.name === "delomrader" ? feature.properties.delomradenavn : feature.properties.grunnkretsnavn;
        layer.bindTooltip(escapeHtml(label), { sticky: true, className: "area-label" });
      }
    },
  });
  return group;
}

async function loadLayer(name, { force = false } = {}) {
  const state = layerState.get(name);
  if (!state || (state.loaded && !force)) return state;
  const collection = await get(`/api/v1/maps/layers/${encodeURIComponent(name)}`);
  const wasOn = state.group && map.hasLayer(state.group);
  if (state.group) map.removeLayer(state.group);
  state.group = buildLayer(state.meta, collection);
  state.loaded = true;
  if (wasOn || state.checkbox.checked) state.group.addTo(map);
  tagBydelPaths(name, state.group);
  return state;
}

function tagBydelPaths(name, group) {
  if (name !== "bydeler") return;
  group.eachLayer((layer) => {
    const el = layer.getElement?.();
    if (el) el.dataset.bydel = layer.feature.properties.bydel;
  });
}

async function toggleLayer(name, on) {
  const state = layerState.get(name);
  if (on) {
    await loadLayer(name);
    state.group.addTo(map);
    tagBydelPaths(name, state.group);
  } else if (state.group) {
    map.removeLayer(state.group);
  }
}

async function initLayers() {
  const fieldset = document.getElementById("layer-toggles");
  const layers = await get("/api/v1/maps/layers");
  document.getElementById("layers-loading")?.remove();
  for (const meta of layers) addLayerToggle(fieldset, meta);
  const kommune = await loadLayer("kommune");
  if (kommune?.group) map.fitBounds(kommune.group.getBounds(), { padding: [10, 10] });
  await Promise.all([...DEFAULT_LAYERS].map((name) => (layerState.has(name) ? toggleLayer(name, true) : null)));
  root.dataset.layersReady = "1";
}

function addLayerToggle(fieldset, meta) {
  if (layerState.has(meta.name)) {
    layerState.get(meta.name).meta = meta;
    const count = document.getElementById(`count-layer-${meta.name}`);
    if (count) count.textContent = `(${fmt.format(meta.feature_count)})`;
    return;
  }
  const id = `toggle-layer-${meta.name}`;
  const wrap = document.createElement("div");
  wrap.className = "toggle";
  const suffix = meta.kind === "imported" ? ` <span class="tag">${t("importert")}</span>` : "";
  wrap.innerHTML = `<input type="checkbox" id="${id}" data-layer="${escapeHtml(meta.name)}"${DEFAULT_LAYERS.has(meta.name) ? " checked" : ""}>` +
    `<label for="${id}">${escapeHtml(meta.title)}${suffix} <span class="count" id="count-layer-${escapeHtml(meta.name)}">(${fmt.format(meta.feature_count)})</span></label>`;
  fieldset.appendChild(wrap);
  const checkbox = wrap.querySelector("input");
  layerState.set(meta.name, { meta, group: null, loaded: false, checkbox });
  checkbox.addEventListener("change", () => toggleLayer(meta.name, checkbox.checked).catch(showError));
}

async function refreshLayerList() {
  const layers = await get("/api/v1/maps/layers");
  const fieldset = document.getElementById("layer-toggles");
  for (const meta of layers) addLayerToggle(fieldset, meta);
}

async function refreshGroupedLayers() {
  await refreshLayerList();
  for (const name of ["bydeler", "delomrader", "grunnkretser", "tilfluktsrom"]) {
    const state = layerState.get(name);
    if (state?.loaded) await loadLayer(name, { force: true });
  }
}

// --- resources ---

const resources = new Map(); // id → {props, latlng, marker}
const kindGroups = new Map(); // kind → L.LayerGroup
const kindCheckboxes = new Map();

function kindTitle(kind) {
  return cfg.kinds[kind] || kind;
}

function resourcePopup(props) {
  const capacity = props.capacity == null ? t("kapasitet ikke oppgitt") : t("%(n)s plasser", { n: fmt.format(props.capacity) });
  const occupied = props.occupied ? `<br>${t("Til stede nå: %(n)s", { n: fmt.format(props.occupied) })}` : "";
  const where = [props.delomrade_name, props.bydel].filter(Boolean).map(escapeHtml).join(", ");
  const edit = cfg.canEdit ? `<br><a href="/resources/${props.id}">${t("Rediger ressursen")}</a>` : `<br><a href="/resources/${props.id}">${t("Vis ressursen")}</a>`;
  return `<strong>${escapeHtml(props.name)}</strong><br>${escapeHtml(kindTitle(props.kind))} · ${capacity}` +
    `<br>${t("Egnet som EPS:")} ${props.eps_suitable ? t("ja") : t("nei")}${occupied}${where ? `<br>${where}` : ""}` +
    (live ? "" : edit);
}

function kindGroup(kind) {
  if (!kindGroups.has(kind)) {
    kindGroups.set(kind, L.layerGroup());
    ensureKindToggle(kind);
  }
  return kindGroups.get(kind);
}

function ensureKindToggle(kind) {
  if (kindCheckboxes.has(kind)) return;
  const fieldset = document.getElementById("resource-toggles");
  const id = `toggle-kind-${kind}`;
  const wrap = document.createElement("div");
  wrap.className = "toggle";
  const color = KIND_COLORS[kind] || KIND_COLORS.annet;
  wrap.innerHTML = `<input type="checkbox" id="${id}" data-kind="${escapeHtml(kind)}"${DEFAULT_KINDS.has(kind) ? " checked" : ""}>` +
    `<label for="${id}"><span class="swatch swatch-dot" data-color="${escapeHtml(kind)}" aria-hidden="true"></span>${escapeHtml(kindTitle(kind))} <span class="count" id="count-kind-${escapeHtml(kind)}"></span></label>`;
  wrap.querySelector(".swatch").style.backgroundColor = color;
  // Keep the list in a stable, alphabetical order however the kinds arrive.
  const after = [...fieldset.querySelectorAll("input[data-kind]")].find((el) => kindTitle(el.dataset.kind).localeCompare(kindTitle(kind), intlLocale()) > 0);
  if (after) fieldset.insertBefore(wrap, after.parentElement);
  else fieldset.appendChild(wrap);
  const checkbox = wrap.querySelector("input");
  kindCheckboxes.set(kind, checkbox);
  checkbox.addEventListener("change", () => {
    const group = kindGroups.get(kind);
    if (checkbox.checked) group.addTo(map);
    else map.removeLayer(group);
  });
}

function upsertResource(props, coordinates) {
  const latlng = L.latLng(coordinates[1], coordinates[0]);
  const existing = resources.get(props.id);
  if (existing) {
    kindGroups.get(existing.props.kind)?.removeLayer(existing.marker);
  }
  const color = KIND_COLORS[props.kind] || KIND_COLORS.annet;
  const marker = L.circleMarker(latlng, {
    pane: "resources", renderer: renderers.resources, radius: props.eps_suitable ? 6 : 4.5,
    color: "#ffffff", weight: 1.2, fillColor: color, fillOpacity: 0.95,
  });
  const merged = { ...(existing?.props || {}), ...props };
  marker.on("click", (e) => {
    if (drawingBusy()) return;
    L.popup().setLatLng(e.latlng).setContent(resourcePopup(merged)).openOn(map);
  });
  resources.set(props.id, { props: merged, latlng, marker });
  const group = kindGroup(props.kind);
  group.addLayer(marker);
  if (kindCheckboxes.get(props.kind)?.checked && !map.hasLayer(group)) group.addTo(map);
}

function updateKindCounts() {
  const counts = {};
  for (const { props } of resources.values()) counts[props.kind] = (counts[props.kind] || 0) + 1;
  for (const kind of kindCheckboxes.keys()) {
    const el = document.getElementById(`count-kind-${kind}`);
    if (el) el.textContent = `(${fmt.format(counts[kind] || 0)})`;
  }
}

async function loadResources() {
  const collection = await get("/api/v1/resources");
  document.getElementById("resources-loading")?.remove();
  for (const group of kindGroups.values()) group.clearLayers();
  resources.clear();
  for (const feature of collection.features) upsertResource(feature.properties, feature.geometry.coordinates);
  for (const [kind, checkbox] of kindCheckboxes) if (checkbox.checked) kindGroups.get(kind).addTo(map);
  updateKindCounts();
}

// --- incidents and open EPS ---

const incidentLayer = L.layerGroup();
const epsLayer = L.layerGroup();

async function loadIncidents() {
  if (!cfg.canIncidents) return;
  const { incidents } = await get("/api/v1/incidents");
  incidentLayer.clearLayers();
  let count = 0;
  for (const incident of incidents) {
    const coords = incident.location?.coordinates;
    if (incident.status !== "open" || !coords) continue;
    count += 1;
    const exercise = incident.kind === "exercise";
    const icon = L.divIcon({
      className: "incident-marker",
      html: `<span class="incident-icon${exercise ? " is-exercise" : ""}" aria-hidden="true">!</span>`,
      iconSize: [26, 26], iconAnchor: [13, 13],
    });
    const label = `${exercise ? `${t("ØVELSE")}: ` : ""}${t("Hendelse: %(title)s", { title: incident.title })}`;
    L.marker([coords[1], coords[0]], { icon, title: label, alt: label, keyboard: true, pane: "incidents" })
      .bindPopup(`${exerciseTag(exercise)}<strong>${escapeHtml(incident.title)}</strong>` +
        `<br>${escapeHtml(t("Alvorlighet %(severity)s", { severity: incident.severity }))} · ${escapeHtml(incident.phase || "")}<br><a href="/incidents/${incident.id}">${t("Åpne tavla")}</a>`)
      .addTo(incidentLayer);
  }
  const el = document.getElementById("count-incidents");
  if (el) el.textContent = `(${count})`;
}

const { loadEps, updateEpsOccupancy } = createEpsMarkers({ layer: epsLayer, fmt, enabled: cfg.canEps });

function bindOverlayToggle(id, layer) {
  const checkbox = document.getElementById(id);
  if (!checkbox) return;
  const apply = () => (checkbox.checked ? layer.addTo(map) : map.removeLayer(layer));
  checkbox.addEventListener("change", apply);
  apply();
}

// --- zone analysis (map_zone_tool.js) ---

const { drawingBusy, initTools } = createZoneTool({
  map, renderers, fmt, setStatus, live, resources, kindTitle, resourcePopup, formatDistance,
});

function showError(err) {
  const message = err?.message || t("Noe gikk galt.");
  setStatus(message);
  announce(message, "error");
}

// --- live updates ---

function debounce(fn, ms = 400) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(() => fn().catch(showError), ms);
  };
}

const refreshIncidents = debounce(loadIncidents);
const refreshEps = debounce(loadEps);
const refreshResources = debounce(loadResources);
const refreshLayers = debounce(refreshGroupedLayers);
const refreshLayerToggles = debounce(refreshLayerList);

const FEED_TEXT = {
  [EV.RESOURCE_CREATED]: (d) => t("Ny ressurs: %(name)s", { name: d.name }),
  [EV.RESOURCE_UPDATED]: (d) => t("Ressurs endret: %(name)s", { name: d.name }),
  [EV.INCIDENT_CREATED]: (d) => t("Ny hendelse: %(title)s", { title: d.title }),
  [EV.INCIDENT_UPDATED]: (d) => (d.status === "closed" ? t("Hendelse avsluttet: %(title)s", { title: d.title }) : t("Hendelse oppdatert: %(title)s", { title: d.title })),
  [EV.DISTRICTS_UPDATED]: () => t("Bydelsinndelingen er endret"),
  [EV.LAYER_IMPORTED]: (d) => t("Nytt kartlag: %(name)s", { name: d.name }),
  [EV.EPS_OPENED]: (d) => (d.name ? t("EPS åpnet: %(name)s", { name: d.name }) : t("EPS åpnet")),
  [EV.EPS_STATUS_CHANGED]: (d) => (d.status ? t("EPS endret status: %(status)s", { status: d.status }) : t("EPS endret status")),
  [EV.EPS_OCCUPANCY]: (d) => t("EPS-belegg: %(present)s av %(capacity)s", { present: d.present, capacity: d.capacity }),
};

function addToFeed(ev, text) {
  const list = document.getElementById("live-feed");
  if (!list) return;
  list.querySelector(".empty")?.remove();
  const li = document.createElement("li");
  li.innerHTML = `<time datetime="${escapeHtml(ev.at)}">${escapeHtml(formatTime(ev.at))}</time> ${escapeHtml(text)}`;
  list.prepend(li);
  while (list.children.length > 12) list.lastElementChild.remove();
}

function isEpsEvent(type) {
  return type.startsWith("eps.");
}

function onGlobal(ev) {
  const d = ev.data || {};
  if ((ev.type === EV.RESOURCE_CREATED || ev.type === EV.RESOURCE_UPDATED) && d.location?.coordinates) {
    upsertResource(d, d.location.coordinates);
    updateKindCounts();
  } else if (ev.type === EV.RESOURCES_SEEDED) {
    refreshResources();
  } else if (ev.type === EV.DISTRICTS_UPDATED) {
    refreshLayers();
    refreshResources();
  } else if (ev.type === EV.LAYER_IMPORTED) {
    refreshLayerToggles();
  } else if (ev.type.startsWith("zone.")) {
    incidentZones?.onEvent(ev);
  } else if (ev.type.startsWith("incident.")) {
    refreshIncidents();
  } else if (ev.type === EV.EPS_OCCUPANCY) {
    if (!updateEpsOccupancy(d)) refreshEps();
  } else if (isEpsEvent(ev.type)) {
    refreshEps();
  }
  const text = FEED_TEXT[ev.type]?.(d);
  if (text) addToFeed(ev, text);
  root.dataset.lastGlobalSeq = String(ev.seq);
}

async function main() {
  initTools();
  bindOverlayToggle("toggle-incidents", incidentLayer);
  bindOverlayToggle("toggle-eps", epsLayer);
  await initLayers();
  await Promise.all([loadResources(), loadIncidents(), loadEps()]);
  getLive().subscribe("global", onGlobal, cfg.since);
  if (incidentZones) {
    const { incidents } = await get("/api/v1/incidents");
    await incidentZones.loadFor(incidents.filter((i) => i.status !== "closed").map((i) => i.id));
  }
  root.dataset.ready = "1";
}

main().catch(showError);
