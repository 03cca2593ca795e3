// The open EPS on the map page: one marker each with «til stede / plasser», changed in place by eps.occupancy.
// Leaflet is loaded as a classic script before the page module (global L).
import { get, escapeHtml } from "/static/js/api.js";
import { t } from "/static/js/i18n.js";

// `layer`: the group the markers go in; `fmt`: the page's number format; `enabled`: the user may see EPS.
export function createEpsMarkers({ layer: epsLayer, fmt, enabled }) {
  const epsMarkers = new Map(); // EPS id → {marker, props}

  function epsIcon(p) {
    const capacity = p.capacity == null ? "?" : fmt.format(p.capacity);
    const full = p.capacity != null && p.capacity > 0 && p.present >= p.capacity;
    return L.divIcon({
      className: "eps-marker",
      html: `<span class="eps-icon${full ? " is-full" : ""}"><b>EPS</b> ${fmt.format(p.present)}/${capacity}${full ? ` ${t("FULLT")}` : ""}</span>`,
      iconSize: null, iconAnchor: [0, 12],
    });
  }

  function epsLabel(p) {
    const capacity = p.capacity == null ? "?" : fmt.format(p.capacity);
    return t("EPS %(name)s: %(present)s til stede av %(capacity)s plasser", { name: p.name, present: fmt.format(p.present), capacity });
  }

  function epsPopup(p) {
    const capacity = p.capacity == null ? "?" : fmt.format(p.capacity);
    return `<strong>${escapeHtml(p.name)}</strong><br>EPS · ${escapeHtml(p.status)}<br>${t("Til stede: %(present)s av %(capacity)s", { present: fmt.format(p.present), capacity })}` +
      (p.incident_id ? `<br><a href="/incidents/${p.incident_id}">${t("Til hendelsen")}</a>` : "");
  }

  async function loadEps() {
    if (!enabled) return;
    const collection = await get("/api/v1/maps/eps");
    epsLayer.clearLayers();
    epsMarkers.clear();
    for (const feature of collection.features) {
      const p = feature.properties;
      const [lon, lat] = feature.geometry.coordinates;
      const marker = L.marker([lat, lon], { icon: epsIcon(p), title: epsLabel(p), keyboard: true, pane: "eps" })
        .bindPopup(epsPopup(p))
        .addTo(epsLayer);
      epsMarkers.set(p.id, { marker, props: p });
    }
    const el = document.getElementById("count-eps");
    if (el) el.textContent = `(${collection.features.length})`;
  }

  function updateEpsOccupancy(data) {
    // eps.occupancy carries counts only; the marker changes in place, without a round trip.
    const entry = epsMarkers.get(data.eps_id);
    if (!entry) return false;
    Object.assign(entry.props, { present: data.present, capacity: data.capacity ?? entry.props.capacity });
    entry.marker.setIcon(epsIcon(entry.props));
    const icon = entry.marker.getElement();
    if (icon) icon.title = epsLabel(entry.props);
    entry.marker.setPopupContent(epsPopup(entry.props));
    return true;
  }

  return { loadEps, updateEpsOccupancy };
}
