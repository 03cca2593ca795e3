// Service worker (served as /sw.js with VERSION and SHELL set in front of this code by the server).
// Keeps the app shell, the vendored libraries, the base map data and the pages of the board, the EPS desk, the
// exercise observer and the live map, so they open with no network. Writes are never handled here: the outbox
// (outbox.js) keeps them. Personal data is never cached: the evacuee and inquiry lists, a person, the audit log,
// the roster and the PFIF export always go to the network and nowhere else.
/* global VERSION, SHELL, I18N */

const SHELL_CACHE = `beredskap-shell-${VERSION}`;
const PAGE_CACHE = "beredskap-pages";
const DATA_CACHE = "beredskap-data";

// Pages that work offline; the page HTML holds no personal data (the desk fetches it through the audited API).
const PAGES = [
  /^\/$/,
  /^\/incidents\/\d+$/,
  /^\/eps\/\d+$/,
  /^\/eps\/\d+\/desk$/,
  /^\/exercises\/\d+\/observe$/,
  /^\/map$/,
  /^\/map\/live$/,
];
// Never cached, whatever else matches: anything that carries personal data or credentials.
const PRIVATE = /\/(evacuees|evacuee|inquiries|households|audit|outbox|pfif|roster|users|presence|auth|token)/;
// Read-only data the offline pages show: counts, log and tasks, the journal, map layers and resources.
const DATA = [
  /^\/api\/v1\/incidents$/,
  /^\/api\/v1\/incidents\/\d+$/,
  /^\/api\/v1\/incidents\/\d+\/(log|tasks|zones|actioncards|eps)$/,
  /^\/api\/v1\/tasks\/\d+$/,
  /^\/api\/v1\/channels\/[^/]+\/events$/,
  /^\/api\/v1\/maps\/(layers|layers\/[^/]+|eps)$/,
  /^\/api\/v1\/resources$/,
  /^\/api\/v1\/eps\/\d+$/,
  /^\/api\/v1\/exercises\/\d+(\/observations)?$/,
];

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const shell = await caches.open(SHELL_CACHE);
    await shell.addAll(SHELL);
    // The base map data, so the maps draw offline (needs a login; without one the map fills in when online).
    try {
      const data = await caches.open(DATA_CACHE);
      const listing = await fetch("/api/v1/maps/layers", { credentials: "same-origin" });
      if (listing.ok) {
        const layers = await listing.clone().json();
        await data.put("/api/v1/maps/layers", listing);
        for (const layer of layers.layers || layers) {
          const url = `/api/v1/maps/layers/${encodeURIComponent(layer.name)}`;
          const response = await fetch(url, { credentials: "same-origin" });
          if (response.ok) await data.put(url, response);
        }
      }
    } catch (_) { /* offline at install: the layers are cached when first shown */ }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("beredskap-shell-") && name !== SHELL_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

function cacheable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

// Network first; the last good copy when the network is gone.
async function networkFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (cacheable(response)) await cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request, { ignoreVary: true });
    if (cached) return cached;
    throw err;
  }
}

// The shell: from the cache at once, refreshed in the background.
async function shellFirst(request) {
  const cached = await caches.match(request, { ignoreSearch: true, ignoreVary: true });
  const refresh = fetch(request).then(async (response) => {
    if (cacheable(response)) await (await caches.open(SHELL_CACHE)).put(request, response.clone());
    return response;
  });
  if (cached) {
    refresh.catch(() => {});
    return cached;
  }
  return refresh;
}

// The worker does not know which language the user chose, so the offline page says it in every language (I18N is
// set in front of this code by the server from the catalogue; t() is the same lookup as i18n.js's).
const t = (key, lang) => (I18N[lang] && I18N[lang][key]) || key;

function offlinePage() {
  const block = (lang) => `<section lang="${lang}"><h1>${t("Frakoblet", lang)}</h1>
<p>${t("Denne siden er ikke lagret for bruk uten nett. Åpne tavla, EPS-registreringen, observatørsiden eller kartet én gang mens du er tilkoblet, så kan de brukes uten nett senere.", lang)}</p></section>`;
  const html = `<!doctype html><html lang="nb"><meta charset="utf-8"><title>${t("Frakoblet", "nb")} – Beredskap</title>
<body style="font-family:sans-serif;margin:2rem">${["nb", ...Object.keys(I18N)].map(block).join("<hr>")}</body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path.startsWith("/static/") || path.startsWith("/i18n/")) {
    event.respondWith(shellFirst(request));
    return;
  }
  if (PRIVATE.test(path)) return;
  if (request.mode === "navigate") {
    if (PAGES.some((re) => re.test(path))) {
      event.respondWith(networkFirst(request, PAGE_CACHE).catch(() => offlinePage()));
    }
    return;
  }
  if (DATA.some((re) => re.test(path))) {
    event.respondWith(networkFirst(request, DATA_CACHE));
  }
});

// Logging out: forget the pages and data (the shell has nothing of the user's and stays).
self.addEventListener("message", (event) => {
  if (event.data?.type === "logout") {
    event.waitUntil(Promise.all([caches.delete(PAGE_CACHE), caches.delete(DATA_CACHE)]));
  }
});
