// The offline base map: water, coast, roads by class and zoom, place and street names without overlaps.
// Draws the derived files of /maps/basemap/ (built from maps/basemap/, see docs/OPERATIONS.md) with Leaflet's
// canvas renderer; a detail level is fetched only when the map first reaches the zoom where it is drawn.
// Leaflet is the global L (classic script). Nothing here needs the network beyond the app.
import { escapeHtml } from "/static/js/api.js";

const BASE = "/maps/basemap/";
const ROAD_COLORS = {
  motorway: "#d9772b", motorway_link: "#d9772b", trunk: "#e08a3c", trunk_link: "#e08a3c",
  primary: "#e9a94f", primary_link: "#e9a94f", secondary: "#f0c86a", secondary_link: "#f0c86a",
  tertiary: "#fbfbf7", tertiary_link: "#fbfbf7",
  E: "#e08a3c", R: "#e9a94f", F: "#f0c86a", K: "#fbfbf7", P: "#fbfbf7",
};
const ROAD_BASE_WEIGHT = {
  motorway: 4, trunk: 4, primary: 3.5, secondary: 3, tertiary: 2.6, E: 3.2, R: 2.8, F: 2.2, K: 1.6, P: 1.2,
  residential: 2, unclassified: 2, living_street: 1.8, pedestrian: 1.8, road: 1.6, service: 1, raceway: 1,
};
const CASING = "#9d9585";
const WATER = "#a9cfe0";
const MAX_LABELS = 220;

function roadWeight(cls, zoom) {
  const base = ROAD_BASE_WEIGHT[cls] || 1;
  return Math.max(0.6, Math.min(base * Math.pow(1.3, zoom - 14), base * 2.6));
}

function roadStyle(feature, zoom) {
  const cls = feature.properties.c || "";
  if (["footway", "path", "cycleway", "steps", "track", "bridleway"].includes(cls)) {
    return { color: "#9a7b56", weight: Math.max(0.8, zoom - 15), dashArray: "3 3", opacity: 0.8 };
  }
  const color = ROAD_COLORS[cls] || "#fbfbf7";
  return { color, weight: roadWeight(cls, zoom), opacity: feature.properties.t ? 0.45 : 1, lineCap: "round" };
}

/** Add the base map under everything else on `map`; returns {ready: Promise, attribution}. */
export function addBaseMap(map, { onReady, attribution, underTiles = false } = {}) {
  const pane = map.createPane("basemap");
  // Over the land fill of the kommune layer (300) and under every data layer (310+); with online tiles it lies
  // under them (150) and shows where a tile fails to load.
  pane.style.zIndex = underTiles ? 140 : 305;
  pane.style.pointerEvents = "none";
  const labelPane = map.createPane("basemap-labels");
  labelPane.style.zIndex = underTiles ? 141 : 420; // over district lines, under markers
  labelPane.style.pointerEvents = "none";
  const renderer = L.canvas({ pane: "basemap", padding: 0.3 });
  const layers = new Map(); // name → {minzoom, layer, data, loading}
  const labelLayer = L.layerGroup([], { pane: "basemap-labels" }).addTo(map);
  let manifest = null;

  function styleFor(name) {
    return (feature) => {
      const zoom = map.getZoom();
      if (name === "water" || name === "water_n1000") return { stroke: false, fillColor: WATER, fillOpacity: 1 };
      if (name === "coast" || name === "coast_n1000") return { color: "#7fb0c6", weight: feature.properties.c === "osm" ? 1 : 0.8 };
      if (name === "waterways") return { color: WATER, weight: feature.properties.c === "river" ? 2.5 : 1.5 };
      if (name === "roads_n1000") {
        // Outside the detailed centre these are the only roads; under it the OSM roads cover them.
        if (zoom >= 13 && feature.properties.i) return { opacity: 0, weight: 0 };
        const style = roadStyle(feature, Math.min(zoom, 14));
        return { ...style, color: zoom >= 12 && (feature.properties.c === "K" || feature.properties.c === "P") ? CASING : style.color };
      }
      const style = roadStyle(feature, zoom);
      if (name === "roads_minor") style.color = zoom >= 16 ? "#fdfdfb" : "#b3ab9b";
      return style;
    };
  }

  async function load(entry) {
    if (entry.loading) return entry.loading;
    entry.loading = fetch(BASE + entry.name + ".json", { credentials: "same-origin" })
      .then((r) => { if (!r.ok) throw new Error(`${entry.name}: HTTP ${r.status}`); return r.json(); })
      .then((data) => {
        entry.data = data;
        if (entry.name === "labels") return;
        entry.layer = L.geoJSON(data, { pane: "basemap", renderer, interactive: false, style: styleFor(entry.name) });
        if (entry.name === "roads_minor" || entry.name === "roads_paths") {
          entry.casing = L.geoJSON(data, {
            pane: "basemap", renderer, interactive: false,
            style: (f) => ({ color: CASING, weight: roadStyle(f, map.getZoom()).weight + 1.6, opacity: 0.9 }),
            filter: () => entry.name === "roads_minor",
          });
        }
      });
    return entry.loading;
  }

  function orderedEntries() {
    return manifest.files.map((f) => layers.get(f.name));
  }

  async function refresh() {
    if (!manifest) return;
    const zoom = map.getZoom();
    const wanted = orderedEntries().filter((e) => zoom >= e.minzoom);
    await Promise.all(wanted.map(load));
    // Re-adding in manifest order keeps water under coast under roads on the shared canvas.
    for (const entry of orderedEntries()) {
      for (const layer of [entry.casing, entry.layer]) {
        if (!layer) continue;
        const show = zoom >= entry.minzoom;
        if (map.hasLayer(layer)) map.removeLayer(layer);
        if (show) {
          layer.addTo(map);
          layer.setStyle(entry.casing === layer
            ? (f) => ({ color: CASING, weight: roadStyle(f, zoom).weight + 1.6, opacity: 0.9 })
            : styleFor(entry.name));
        }
      }
    }
    placeLabels();
  }

  // --- labels: places by rank, street names from zoom 16; a label that would overlap one placed is skipped ---

  function candidates() {
    const zoom = map.getZoom();
    const bounds = map.getBounds().pad(0.05);
    const out = [];
    const labels = layers.get("labels")?.data;
    if (labels) {
      for (const f of labels.features) {
        const p = f.properties;
        if (zoom < p.z) continue;
        const [lon, lat] = f.geometry.coordinates;
        if (!bounds.contains([lat, lon])) continue;
        out.push({ text: p.n, lat, lon, priority: p.r, kind: p.r <= 1 ? "place-major" : "place" });
      }
    }
    if (zoom >= 16) {
      const best = new Map(); // street name → longest visible piece
      for (const name of ["roads_major", "roads_minor"]) {
        const data = layers.get(name)?.data;
        if (!data) continue;
        for (const f of data.features) {
          const street = f.properties.n;
          if (!street || f.geometry.type !== "LineString") continue;
          const coords = f.geometry.coordinates;
          const mid = coords[Math.floor(coords.length / 2)];
          if (!bounds.contains([mid[1], mid[0]])) continue;
          const length = coords.length;
          const previous = best.get(street);
          if (!previous || previous.length < length) best.set(street, { text: street, lat: mid[1], lon: mid[0], length });
        }
      }
      for (const s of best.values()) out.push({ ...s, priority: 10, kind: "street" });
    }
    out.sort((a, b) => a.priority - b.priority || a.text.localeCompare(b.text, "nb"));
    return out;
  }

  function placeLabels() {
    labelLayer.clearLayers();
    const placed = [];
    for (const c of candidates()) {
      if (placed.length >= MAX_LABELS) break;
      const pt = map.latLngToContainerPoint([c.lat, c.lon]);
      const size = c.kind === "place-major" ? 8 : c.kind === "street" ? 6.2 : 6.8;
      const w = c.text.length * size + 8;
      const h = c.kind === "place-major" ? 18 : 15;
      const box = { x0: pt.x - w / 2, x1: pt.x + w / 2, y0: pt.y - h / 2, y1: pt.y + h / 2 };
      if (placed.some((o) => box.x0 < o.x1 && box.x1 > o.x0 && box.y0 < o.y1 && box.y1 > o.y0)) continue;
      placed.push(box);
      L.marker([c.lat, c.lon], {
        pane: "basemap-labels", interactive: false, keyboard: false,
        icon: L.divIcon({ className: `bm-label bm-${c.kind}`, html: `<span>${escapeHtml(c.text)}</span>`, iconSize: [w, h], iconAnchor: [w / 2, h / 2] }),
      }).addTo(labelLayer);
    }
    map.getContainer().dataset.basemapLabels = String(placed.length);
  }

  const ready = fetch(BASE + "manifest.json", { credentials: "same-origin" })
    .then((r) => r.json())
    .then(async (m) => {
      manifest = m;
      for (const f of m.files) layers.set(f.name, { name: f.name, minzoom: f.minzoom });
      (attribution || map.attributionControl)?.addAttribution(escapeHtml(m.attribution));
      await refresh();
      map.getContainer().dataset.basemap = "ready";
      if (onReady) onReady();
    })
    .catch((err) => {
      map.getContainer().dataset.basemap = "error";
      console.warn("The base map could not be loaded", err);
    });
  map.on("zoomend", refresh);
  map.on("moveend", placeLabels);
  return { ready };
}
