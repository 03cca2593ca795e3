// A place search on a form (incident form, EPS form): `[data-place-search]` gets a search box whose pick fills
// the inputs named by data-fill-lat / data-fill-lon, selects a venue (data-fill-venue) and fills a name.
import { searchBox } from "/static/js/mapsearch.js";
import { t } from "/static/js/i18n.js";

for (const box of document.querySelectorAll("[data-place-search]")) {
  const byId = (key) => (box.dataset[key] ? document.getElementById(box.dataset[key]) : null);
  searchBox(box, {
    label: box.dataset.label || t("Søk etter sted"),
    onPick: (r) => {
      const lat = byId("fillLat");
      const lon = byId("fillLon");
      if (lat) lat.value = r.lat.toFixed(6);
      if (lon) lon.value = r.lon.toFixed(6);
      const venue = byId("fillVenue");
      if (venue && r.kind === "resource" && [...venue.options].some((o) => o.value === String(r.id))) {
        venue.value = String(r.id);
        venue.dispatchEvent(new Event("change", { bubbles: true }));
      }
      const name = byId("fillName");
      if (name && !name.value && (r.kind === "resource" || r.kind === "eps")) name.value = r.label;
    },
  });
}
