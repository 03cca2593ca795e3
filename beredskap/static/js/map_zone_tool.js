// Zone analysis on the map page: draw a circle or a polygon (or type a centre and radius), send the zone to the
// server and show who lives there, the resources inside and the nearest EPS candidates outside.
// Leaflet is loaded as a classic script before the page module (global L).
import { post, escapeHtml } from "/static/js/api.js";
import { t } from "/static/js/i18n.js";

// `page`: what the map page shares with the tool (its map, panes, number format, status line and resources).
export function createZoneTool(page) {
  const { map, renderers, fmt, setStatus, live, resources, kindTitle, resourcePopup, formatDistance } = page;

  // --- zone analysis: drawing ---

  let tool = null; // "circle" | "polygon" | null
  const zoneLayer = L.layerGroup().addTo(map);
  const candidateLayer = L.layerGroup().addTo(map);
  let drag = null;
  let lastCircleFinish = 0;

  // A click that ends a drawing must not also open a popup of whatever lies under the pointer.
  function drawingBusy() {
    return Boolean(tool) || Date.now() - lastCircleFinish < 500;
  }
  let polygonPoints = [];
  let polygonPreview = null;
  let rubberBand = null;

  const radiusInput = () => document.getElementById("circle-radius");

  function readRadius() {
    const value = Number(radiusInput()?.value);
    return Number.isFinite(value) && value > 0 ? value : 500;
  }

  function setTool(next) {
    tool = next === tool ? null : next;
    for (const [name, id] of [["circle", "tool-circle"], ["polygon", "tool-polygon"]]) {
      document.getElementById(id)?.setAttribute("aria-pressed", String(tool === name));
    }
    map.getContainer().classList.toggle("is-drawing", Boolean(tool));
    polygonPoints = [];
    polygonPreview = null;
    rubberBand = null;
    if (tool) {
      map.closePopup();
      zoneLayer.clearLayers();
    }
    if (tool === "polygon") map.doubleClickZoom.disable();
    else map.doubleClickZoom.enable();
    if (tool === "circle") setStatus(t("Sirkel: klikk i kartet for sentrum (radius %(radius)s m), eller hold nede og dra for å velge radius.", { radius: fmt.format(readRadius()) }));
    else if (tool === "polygon") setStatus(t("Polygon: klikk hjørnene i kartet. Dobbeltklikk eller trykk Enter for å avslutte, Backspace angrer siste punkt, Esc avbryter."));
    else setStatus("");
  }

  function drawCircle(center, radius) {
    zoneLayer.clearLayers();
    return L.circle(center, { radius, pane: "zone", renderer: renderers.zone, color: "#b2182b", weight: 2.5, fillColor: "#b2182b", fillOpacity: 0.15, dashArray: null })
      .addTo(zoneLayer);
  }

  function finishCircle(center, radius) {
    tool = null;
    setTool(null);
    drawCircle(center, radius);
    const lon = document.getElementById("circle-lon");
    const lat = document.getElementById("circle-lat");
    if (lon && lat) {
      lon.value = center.lng.toFixed(5);
      lat.value = center.lat.toFixed(5);
    }
    if (radiusInput()) radiusInput().value = Math.round(radius);
    analyse({ center: [Number(center.lng.toFixed(6)), Number(center.lat.toFixed(6))], radius_m: Math.round(radius) });
  }

  map.on("mousedown", (e) => {
    if (tool !== "circle") return;
    drag = { start: e.latlng, startPoint: e.containerPoint, moved: false, circle: drawCircle(e.latlng, readRadius()) };
    map.dragging.disable();
  });

  map.on("mousemove", (e) => {
    if (drag) {
      if (e.containerPoint.distanceTo(drag.startPoint) > 8) drag.moved = true;
      if (drag.moved) {
        const radius = Math.max(1, drag.start.distanceTo(e.latlng));
        drag.circle.setRadius(radius);
        setStatus(t("Radius %(radius)s m – slipp for å analysere.", { radius: fmt.format(Math.round(radius)) }));
      }
    } else if (tool === "polygon" && polygonPoints.length) {
      const line = [polygonPoints[polygonPoints.length - 1], e.latlng];
      if (rubberBand) rubberBand.setLatLngs(line);
      else rubberBand = L.polyline(line, { pane: "zone", renderer: renderers.zone, color: "#b2182b", weight: 1.5, dashArray: "4 4", interactive: false }).addTo(zoneLayer);
    }
  });

  map.on("mouseup", (e) => {
    if (!drag) return;
    const { start, moved } = drag;
    drag = null;
    map.dragging.enable();
    lastCircleFinish = Date.now();
    finishCircle(start, moved ? Math.max(1, start.distanceTo(e.latlng)) : readRadius());
  });

  map.on("click", (e) => {
    if (tool === "circle" && Date.now() - lastCircleFinish > 400) {
      finishCircle(e.latlng, readRadius()); // touch screens send a click without mousedown
      return;
    }
    if (tool !== "polygon") return;
    const last = polygonPoints[polygonPoints.length - 1];
    if (last && map.latLngToContainerPoint(last).distanceTo(e.containerPoint) < 4) return; // the double click's repeat
    polygonPoints.push(e.latlng);
    if (!polygonPreview) {
      polygonPreview = L.polygon(polygonPoints, { pane: "zone", renderer: renderers.zone, color: "#b2182b", weight: 2, fillOpacity: 0.1, interactive: false }).addTo(zoneLayer);
    } else {
      polygonPreview.setLatLngs(polygonPoints);
    }
    setStatus(polygonPoints.length === 1 ? t("Polygon: 1 punkt. Dobbeltklikk eller Enter for å avslutte.") : t("Polygon: %(n)s punkter. Dobbeltklikk eller Enter for å avslutte.", { n: polygonPoints.length }));
  });

  map.on("dblclick", () => {
    if (tool === "polygon") finishPolygon();
  });

  function finishPolygon() {
    if (polygonPoints.length < 3) {
      setStatus(t("Et polygon trenger minst tre hjørner."));
      return;
    }
    const ring = polygonPoints.map((p) => [Number(p.lng.toFixed(6)), Number(p.lat.toFixed(6))]);
    ring.push(ring[0]);
    const points = polygonPoints;
    lastCircleFinish = Date.now();
    setTool(null);
    L.polygon(points, { pane: "zone", renderer: renderers.zone, color: "#b2182b", weight: 2.5, fillColor: "#b2182b", fillOpacity: 0.15 }).addTo(zoneLayer);
    analyse({ zone: { type: "Polygon", coordinates: [ring] } });
  }

  document.addEventListener("keydown", (e) => {
    if (!tool) return;
    const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement?.tagName);
    if (e.key === "Escape") {
      setTool(null);
      zoneLayer.clearLayers();
      setStatus(t("Tegningen er avbrutt."));
    } else if (tool === "polygon" && e.key === "Enter" && !typing) {
      e.preventDefault();
      finishPolygon();
    } else if (tool === "polygon" && e.key === "Backspace" && !typing && polygonPoints.length) {
      e.preventDefault();
      polygonPoints.pop();
      polygonPreview?.setLatLngs(polygonPoints);
      setStatus(t("Polygon: %(n)s punkter.", { n: polygonPoints.length }));
    }
  });

  function fillCenterFromMap() {
    const c = map.getCenter();
    const lon = document.getElementById("circle-lon");
    const lat = document.getElementById("circle-lat");
    if (lon && lat) {
      lon.value = c.lng.toFixed(5);
      lat.value = c.lat.toFixed(5);
    }
  }

  function parseDecimal(value) {
    const n = Number(String(value || "").trim().replace(",", "."));
    return String(value || "").trim() === "" ? NaN : n;
  }

  function initTools() {
    if (live) return;
    document.getElementById("tool-circle").addEventListener("click", () => setTool("circle"));
    document.getElementById("tool-polygon").addEventListener("click", () => setTool("polygon"));
    document.getElementById("tool-clear").addEventListener("click", () => {
      setTool(null);
      zoneLayer.clearLayers();
      candidateLayer.clearLayers();
      document.getElementById("analysis").hidden = true;
      setStatus(t("Sonen er fjernet."));
    });
    document.getElementById("circle-center").addEventListener("click", fillCenterFromMap);
    document.getElementById("circle-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const lon = parseDecimal(document.getElementById("circle-lon").value);
      const lat = parseDecimal(document.getElementById("circle-lat").value);
      const radius = Number(radiusInput().value);
      // Out-of-range values go to the server as typed, so its message (e.g. swapped lon/lat) reaches the user.
      if (Number.isFinite(lon) && Number.isFinite(lat) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && radius > 0) {
        drawCircle(L.latLng(lat, lon), radius);
      } else {
        zoneLayer.clearLayers();
      }
      analyse({ center: [lon, lat], radius_m: radius });
    });
    map.whenReady(fillCenterFromMap);
  }

  // --- zone analysis: results ---

  async function analyse(body) {
    const panel = document.getElementById("analysis");
    const out = document.getElementById("analysis-body");
    panel.hidden = false;
    panel.setAttribute("aria-busy", "true");
    out.innerHTML = `<p class="muted">${t("Analyserer sonen …")}</p>`;
    candidateLayer.clearLayers();
    const safe = { ...body };
    if (safe.center) safe.center = safe.center.map((v) => (Number.isFinite(v) ? v : null));
    if (safe.radius_m !== undefined && !Number.isFinite(safe.radius_m)) safe.radius_m = null;
    try {
      const result = await post("/api/v1/maps/zone-analysis", safe);
      renderResult(result);
      setStatus(t("Analysen er ferdig: anslagsvis %(n)s personer i sonen.", { n: fmt.format(result.population_estimate) }));
      const zone = zoneLayer.getLayers()[0];
      // Zoom to the zone when it is small or out of view; otherwise keep the surroundings in sight.
      const view = map.getBounds();
      const small = zone && zone.getBounds().getEast() - zone.getBounds().getWest() < (view.getEast() - view.getWest()) / 5;
      if (zone && (small || !view.contains(zone.getBounds()))) map.fitBounds(zone.getBounds(), { maxZoom: 15, padding: [30, 30] });
      panel.scrollIntoView({ block: "nearest", behavior: "smooth" });
    } catch (err) {
      out.innerHTML = `<p class="flash flash-error" role="alert">${escapeHtml(err.message)}</p>`;
      setStatus(err.message);
    } finally {
      panel.removeAttribute("aria-busy");
    }
  }

  function renderResult(result) {
    const out = document.getElementById("analysis-body");
    const districts = result.districts.map((d) => `<tr><th scope="row">${escapeHtml(d.name)}</th><td class="num">${fmt.format(d.population_inside)}</td></tr>`).join("");
    const byKind = {};
    for (const r of result.resources_inside) byKind[r.kind] = (byKind[r.kind] || 0) + 1;
    const kindList = Object.entries(byKind).sort((a, b) => b[1] - a[1])
      .map(([kind, n]) => `<li>${escapeHtml(kindTitle(kind))}: ${fmt.format(n)}</li>`).join("");
    const resourceItems = result.resources_inside.slice(0, 200)
      .map((r) => `<li><a href="/resources/${r.id}">${escapeHtml(r.name)}</a> <span class="muted">(${escapeHtml(kindTitle(r.kind))})</span></li>`).join("");
    const more = result.resources_inside.length > 200 ? `<li class="muted">… ${t("og %(n)s til", { n: fmt.format(result.resources_inside.length - 200) })}</li>` : "";
    const candidates = result.eps_candidates.map((c, i) =>
      `<li><button type="button" class="linklike" data-candidate="${i}">${escapeHtml(c.name)}</button>` +
      `<span class="muted"> – ${t("%(distance)s unna, %(n)s ledige plasser", { distance: formatDistance(c.distance_m), n: fmt.format(c.free_capacity) })}</span></li>`).join("");

    out.innerHTML = `
      <p class="population"><span class="population-number" id="population-estimate" data-value="${result.population_estimate}">${fmt.format(result.population_estimate)}</span>
        <span>${t("personer bor i sonen")} <strong class="estimate-tag">(${t("anslag")})</strong></span></p>
      <p class="estimate-note"><strong>${t("Anslag:")}</strong> ${escapeHtml(result.note ? t("Befolkningstallet er et anslag: folketallet i hver grunnkrets (SSB) er fordelt likt på boligbyggene i kretsen, og boligbyggene innenfor sonen er talt med.") : t("Befolkningstallet er et anslag."))}</p>
      <table class="table compact">
        <caption>${t("Anslått befolkning per bydel")}</caption>
        <thead><tr><th scope="col">${t("Bydel")}</th><th scope="col" class="num">${t("Personer (anslag)")}</th></tr></thead>
        <tbody>${districts || `<tr><td colspan="2" class="muted">${t("Ingen bosatte i sonen.")}</td></tr>`}</tbody>
      </table>
      <h3>${t("Ressurser i sonen (%(n)s)", { n: fmt.format(result.resources_inside.length) })}</h3>
      ${kindList ? `<ul class="kind-summary">${kindList}</ul><details><summary>${t("Vis alle ressursene i sonen")}</summary><ul class="plain small">${resourceItems}${more}</ul></details>` : `<p class="muted">${t("Ingen registrerte ressurser i sonen.")}</p>`}
      <h3>${t("Nærmeste EPS-kandidater utenfor sonen")}</h3>
      ${candidates ? `<ol class="candidates">${candidates}</ol><p class="small muted">${t("Avstand fra sonens kant, målt i meter (EPSG:25832). Ledig kapasitet = kapasitet minus personer til stede i åpne EPS.")}</p>` : `<p class="muted">${t("Ingen egnede EPS-lokaler med ledig kapasitet utenfor sonen.")}</p>`}`;

    result.eps_candidates.forEach((c, i) => {
      const entry = resources.get(c.resource_id);
      if (!entry) return;
      const icon = L.divIcon({ className: "candidate-marker", html: `<span class="candidate-icon">${i + 1}</span>`, iconSize: [22, 22], iconAnchor: [11, 11] });
      L.marker(entry.latlng, { icon, title: t("EPS-kandidat %(n)s: %(name)s", { n: i + 1, name: c.name }), keyboard: false, pane: "candidates" })
        .bindPopup(`<strong>${i + 1}. ${escapeHtml(c.name)}</strong><br>${t("%(distance)s fra sonen", { distance: formatDistance(c.distance_m) })} · ${t("%(n)s ledige plasser", { n: fmt.format(c.free_capacity) })}`)
        .addTo(candidateLayer);
    });
    out.querySelectorAll("[data-candidate]").forEach((button) => {
      button.addEventListener("click", () => {
        const c = result.eps_candidates[Number(button.dataset.candidate)];
        const entry = resources.get(c.resource_id);
        if (!entry) return;
        map.setView(entry.latlng, Math.max(map.getZoom(), 14));
        L.popup().setLatLng(entry.latlng).setContent(resourcePopup(entry.props)).openOn(map);
      });
    });
  }

  return { drawingBusy, initTools };
}
