// Player view: the injects addressed to the chosen role, arriving live on the exercise incident channel.
import { getLive } from "/static/js/live.js";
import { pageData, injectCard, injectFromEvent } from "/static/js/exercise_common.js";
import { EV } from "/static/js/generated/events.js";
import { t } from "/static/js/i18n.js";

const root = document.getElementById("player");
const role = root.dataset.role;
const incidentId = root.dataset.incidentId;
const feed = document.getElementById("inject-feed");
const seen = new Set();

function count() {
  document.getElementById("inject-count").textContent = `(${seen.size})`;
}

function show(inject, fresh) {
  if (seen.has(inject.no)) return;
  seen.add(inject.no);
  feed.querySelector(".empty")?.remove();
  feed.insertAdjacentHTML("afterbegin", `<li>${injectCard(inject)}</li>`);
  if (fresh) {
    feed.firstElementChild.querySelector(".inject-card").classList.add("new");
    document.getElementById("player-status").textContent = inject.from ? t("Nytt innspill %(n)s fra %(from)s.", { n: inject.no, from: inject.from }) : t("Nytt innspill %(n)s.", { n: inject.no });
  }
  count();
}

const initial = pageData("player-data").injects || [];
for (const inject of initial) show(inject, false);
if (!initial.length) feed.innerHTML = `<li class="muted empty">${t("Ingen innspill ennå.")}</li>`;
count();

if (incidentId) {
  getLive().subscribe(`incident:${incidentId}`, (event) => {
    if (event.type !== EV.INJECT_DELIVERED) return;
    if (role && event.data.to !== role) return;
    show(injectFromEvent(event.data), true);
  }, Number(root.dataset.since || 0));
}
