// The board's map panel: the incident on the offline base map, set by search or a click (PATCH with version),
// its zones (preset radius, a circle dragged on the map, or a drawn polygon) with their analysis, its EPS, and
// «Åpne EPS her» on a candidate.
import { get, post, patch, escapeHtml, announce } from "/static/js/api.js";
import { getLive } from "/static/js/live.js";
import { addBaseMap } from "/static/js/basemap.js";
import { searchBox } from "/static/js/mapsearch.js";
import { zoneLayer } from "/static/js/mapzones.js";
import { EV } from "/static/js/generated/events.js";
import { intlLocale, t } from "/static/js/i18n.js";

const el = document.getElementById("board-map");
const snapshot = JSON.parse(document.getElementById("board-data").textContent);
const incidentId = Number(el.dataset.incidentId);
const canWrite = el.dataset.canWrite === "1";
const fmt = new Intl.NumberFormat(intlLocale());
let incident = snapshot.incident;
let tool = null;
let polygon = [];
let preview = null;
let circleStart = null;

const map = L.map(el, { zoomSnap: 0.5 }).setView([58.146, 7.995], 12);
window.beredskapBoardMap = map; // for tests and the console
addBaseMap(map, { attribution: map.attributionControl });
const zones = zoneLayer(map);
const zoneData = new Map();
const marker = L.marker([0, 0], { title: t("Hendelsen"), keyboard: false });
const epsLayer = L.layerGroup().addTo(map);

function msg(text) {
  const p = document.getElementById("board-map-msg");
  if (p) p.textContent = text;
}

async function describe(location) {
  const place = document.getElementById("board-map-place");
  if (!location) { place.textContent = t("Hendelsen har ikke noe sted ennå."); return; }
  const [lon, lat] = location.coordinates;
  try {
    const r = await get(`/api/v1/maps/reverse?lon=${lon}&lat=${lat}`);
    const where = [r.label, r.bydel].filter(Boolean).join(", ");
    place.textContent = where ? t("Sted: ved %(where)s", { where }) : t("Sted satt i kartet.");
  } catch (err) {
    place.textContent = err.status === 404 ? t("Stedet ligger utenfor Kristiansand kommune.") : t("Sted satt i kartet.");
  }
}

function showIncident(centre) {
  const loc = incident.location;
  if (loc?.coordinates) {
    const [lon, lat] = loc.coordinates;
    marker.setLatLng([lat, lon]).addTo(map);
    if (centre) map.setView([lat, lon], Math.max(map.getZoom(), 15));
  } else {
    marker.remove();
  }
  el.dataset.incidentLocation = loc?.coordinates ? loc.coordinates.join(",") : "";
  describe(loc);
}

async function setLocation(lon, lat) {
  try {
    const body = await patch(`/api/v1/incidents/${incidentId}`, { location: { type: "Point", coordinates: [lon, lat] }, version: incident.version });
    incident = body;
    showIncident(true);
    msg(body.warnings?.length ? body.warnings.map((w) => w.message).join(" ") : t("Stedet er lagret."));
  } catch (err) {
    msg(err.status === 409 ? t("Hendelsen er endret av noen andre. Last inn siden på nytt.") : err.message);
  }
}

function renderZones() {
  const box = document.getElementById("board-zones");
  const items = [...zoneData.values()];
  box.innerHTML = items.map((z) => {
    const a = z.analysis || {};
    const candidates = (a.eps_candidates || []).slice(0, 3).map((c, i) =>
      `<li>${escapeHtml(c.name)} – ${fmt.format(Math.round(c.distance_m))} m, ${t("%(n)s ledige plasser", { n: fmt.format(c.free_capacity) })}` +
      (canWrite ? ` <button type="button" class="open-eps" data-zone="${z.id}" data-index="${i}">${t("Åpne EPS her")}</button>` : "") + "</li>").join("");
    return `<article class="zone-card" data-zone-id="${z.id}"><h3>${escapeHtml(z.label)} <span class="small">(${escapeHtml(z.kind)})</span></h3>` +
      `<p>${t("Anslått %(people)s personer; %(resources)s ressurser innenfor.", { people: fmt.format(a.population_estimate || 0), resources: (a.resources_inside || []).length })}</p>` +
      (candidates ? `<p class="small">${t("EPS-kandidater utenfor sonen:")}</p><ol class="eps-candidates">${candidates}</ol>` : "") + "</article>";
  }).join("");
}

async function loadZones() {
  const { zones: list } = await get(`/api/v1/incidents/${incidentId}/zones`);
  list.forEach((z) => { zoneData.set(z.id, z); zones.show(z); });
  renderZones();
}

async function loadEps() {
  try {
    const { centres } = await get(`/api/v1/incidents/${incidentId}/eps`);
    epsLayer.clearLayers();
    for (const c of centres || []) {
      const loc = c.location?.coordinates;
      if (loc) L.marker([loc[1], loc[0]], { title: `EPS ${c.name}` }).bindTooltip(`EPS ${escapeHtml(c.name)}`).addTo(epsLayer);
    }
  } catch { /* no EPS read access */ }
}

async function addZone(body) {
  try {
    const z = await post(`/api/v1/incidents/${incidentId}/zones`, body);
    zoneData.set(z.id, z);
    zones.show(z);
    renderZones();
    const a = z.analysis || {};
    msg(t("%(zone)s er lagret: anslått %(population)s personer, %(resources)s ressurser innenfor.", {
      zone: z.label, population: fmt.format(a.population_estimate || 0), resources: (a.resources_inside || []).length,
    }));
  } catch (err) {
    msg(err.message);
  }
}

function setTool(name) {
  tool = tool === name ? null : name;
  document.getElementById("board-map-place-tool")?.setAttribute("aria-pressed", String(tool === "place"));
  document.getElementById("board-zone-polygon")?.setAttribute("aria-pressed", String(tool === "polygon"));
  document.getElementById("board-zone-circle")?.setAttribute("aria-pressed", String(tool === "circle"));
  polygon = [];
  preview?.remove();
  circleStart = null;
  if (tool === "circle") map.dragging.disable(); else map.dragging.enable();
  if (tool) document.getElementById("board-map-panel")?.scrollIntoView({ block: "center" });
  msg({
    place: t("Klikk i kartet der hendelsen er."),
    polygon: t("Klikk hjørnene, dobbeltklikk eller Enter for å lagre sonen."),
    circle: t("Dra fra midten av sonen og ut til kanten."),
  }[tool] || "");
}

// The circle tool: press at the centre, drag out to the edge, release — one gesture draws and saves the zone.
function circleGesture() {
  map.on("mousedown", (e) => {
    if (tool !== "circle") return;
    circleStart = e.latlng;
    preview?.remove();
    preview = L.circle(circleStart, { radius: 1, color: "#b2182b", weight: 2, fillOpacity: 0.1, interactive: false }).addTo(map);
  });
  map.on("mousemove", (e) => { if (tool === "circle" && circleStart) preview.setRadius(circleStart.distanceTo(e.latlng)); });
  map.on("mouseup", (e) => {
    if (tool !== "circle" || !circleStart) return;
    const centre = circleStart;
    const radius = Math.round(centre.distanceTo(e.latlng));
    circleStart = null;
    if (radius < 20) { msg(t("Dra ut fra midten for å gi sonen en radius.")); preview?.remove(); return; }
    const kind = document.getElementById("board-zone-kind").value;
    preview?.remove();
    setTool(null);
    addZone({ kind, center: [Number(centre.lng.toFixed(6)), Number(centre.lat.toFixed(6))], radius_m: radius });
  });
}

function finishPolygon() {
  if (polygon.length < 3) { msg(t("En sone trenger minst tre hjørner.")); return; }
  const ring = polygon.map((p) => [p.lng, p.lat]);
  ring.push(ring[0]);
  const kind = document.getElementById("board-zone-kind").value;
  preview?.remove();
  setTool(null);
  addZone({ kind, geometry: { type: "Polygon", coordinates: [ring] } });
}

if (canWrite) {
  searchBox(document.getElementById("board-map-search"), {
    label: t("Søk etter sted for hendelsen"),
    onPick: (r) => setLocation(r.lon, r.lat),
  });
  document.getElementById("board-map-place-tool").addEventListener("click", () => setTool("place"));
  document.getElementById("board-zone-polygon").addEventListener("click", () => setTool("polygon"));
  document.getElementById("board-zone-circle").addEventListener("click", () => setTool("circle"));
  circleGesture();
  document.getElementById("board-zone-preset").addEventListener("click", () => addZone({
    kind: document.getElementById("board-zone-kind").value,
    radius_m: Number(document.getElementById("board-zone-radius").value),
  }));
  map.doubleClickZoom.disable();
  map.on("click", (e) => {
    if (tool === "place") { setTool(null); setLocation(Number(e.latlng.lng.toFixed(6)), Number(e.latlng.lat.toFixed(6))); }
    else if (tool === "polygon") {
      polygon.push(e.latlng);
      preview?.remove();
      preview = L.polygon(polygon, { color: "#b2182b", weight: 2, fillOpacity: 0.1, interactive: false }).addTo(map);
    }
  });
  map.on("dblclick", () => { if (tool === "polygon") finishPolygon(); });
  document.addEventListener("keydown", (e) => { if (tool === "polygon" && e.key === "Enter") finishPolygon(); });
  document.getElementById("board-zones").addEventListener("click", async (e) => {
    const button = e.target.closest(".open-eps");
    if (!button) return;
    const zone = zoneData.get(Number(button.dataset.zone));
    const candidate = zone?.analysis?.eps_candidates?.[Number(button.dataset.index)];
    if (!candidate || !window.confirm(t("Åpne EPS på %(name)s?", { name: candidate.name }))) return;
    try {
      const eps = await post(`/api/v1/incidents/${incidentId}/eps`, candidate.open_eps);
      announce(t("EPS %(name)s er åpnet.", { name: eps.name }));
      msg(t("EPS %(name)s er åpnet.", { name: eps.name }));
      loadEps();
    } catch (err) {
      msg(err.message);
    }
  });
}

getLive().subscribe(`incident:${incidentId}`, (ev) => {
  if (ev.type === EV.INCIDENT_UPDATED) {
    incident = { ...incident, ...ev.data };
    showIncident(false);
  } else if (ev.type.startsWith("zone.")) {
    if (ev.type === EV.ZONE_REMOVED) { zoneData.delete(ev.data.id); zones.hide(ev.data.id); renderZones(); }
    else get(`/api/v1/zones/${ev.data.id}`).then((z) => { zoneData.set(z.id, z); zones.show(z); renderZones(); }).catch(() => {});
  } else if (ev.type.startsWith("eps.")) {
    loadEps();
  }
}, snapshot.since.incident);

showIncident(true);
loadZones();
loadEps();
