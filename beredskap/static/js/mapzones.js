// Incident zones on a map, kept live from the journal (zone.added|updated|removed on `global` or the incident).
import { get, escapeHtml } from "/static/js/api.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

export const ZONE_STYLE = {
  faresone: { color: "#d95f02", fillColor: "#fdae61", dashArray: "6 4" },
  sperresone: { color: "#b2182b", fillColor: "#ef8a62", dashArray: null },
  evakueringssone: { color: "#6a3d9a", fillColor: "#cab2d6", dashArray: "2 4" },
};
const KIND_TEXT = { faresone: t("Faresone"), sperresone: t("Sperresone"), evakueringssone: t("Evakueringssone") };

/** A layer of zones on `map`; `show(zone)` adds or replaces, `hide(id)` removes. */
export function zoneLayer(map, { pane } = {}) {
  const group = L.layerGroup().addTo(map);
  const byId = new Map();
  function show(zone) {
    hide(zone.id);
    const style = ZONE_STYLE[zone.kind] || ZONE_STYLE.faresone;
    const layer = L.geoJSON(zone.geometry, {
      pane: pane || "overlayPane",
      style: { ...style, weight: 2.5, fillOpacity: 0.18 },
    }).bindTooltip(`${escapeHtml(KIND_TEXT[zone.kind] || zone.kind)}: ${escapeHtml(zone.label)}`);
    layer.zoneId = zone.id;
    layer.getLayers().forEach((l) => l.getElement?.()?.setAttribute?.("data-zone-kind", zone.kind));
    byId.set(zone.id, layer);
    group.addLayer(layer);
    map.getContainer().dataset.zones = String(byId.size);
  }
  function hide(id) {
    const old = byId.get(id);
    if (old) { group.removeLayer(old); byId.delete(id); }
    map.getContainer().dataset.zones = String(byId.size);
  }
  function onEvent(ev) {
    if (ev.type === EV.ZONE_ADDED || ev.type === EV.ZONE_UPDATED) show(ev.data);
    else if (ev.type === EV.ZONE_REMOVED) hide(ev.data.id);
  }
  async function loadFor(incidentIds) {
    for (const id of incidentIds) {
      try {
        const { zones } = await get(`/api/v1/incidents/${id}/zones`);
        zones.forEach(show);
      } catch { /* an incident without read access or gone: nothing to draw */ }
    }
  }
  return { show, hide, onEvent, loadFor, group, byId };
}
