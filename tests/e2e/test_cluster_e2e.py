"""The deployment of docs/OPERATIONS.md, run: nginx (deploy/) in front of 3 wsgi.py processes on PostgreSQL and
Redis. 200 followers and one Chromium page live through nginx while two writers post; one process is killed -9
mid-stream; its clients reconnect through nginx to the others and catch up without gap or duplicate; every
acknowledged write is there; the restarted process gets clients again. cluster.log records the run."""

import shutil
import threading
import time
import uuid

import pytest
import requests
from requests.adapters import HTTPAdapter

from bench.followerpool import FollowerProcess, ask_all
from deploy.cluster import Cluster
from tests.conftest import PG_URL, REDIS_URL, output_dir, prepare_database
from tests.e2e.conftest import screenshot

# 3 server start-ups, 220 sockets and a restart: about 2 minutes on an idle 2-core machine, but several
# times that when the machine is shared, so it gets more than the suite's 300 s (its own waits are bounded).
pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.timeout(900)]

FOLLOWERS_PER_SITE = 50
LINES_PER_WRITER = 60
KILL_AFTER = 40  # acknowledged lines in all, before the kill


class SourceAdapter(HTTPAdapter):
    """requests leaving from a given local address, so nginx's ip_hash sees a different client site."""

    def __init__(self, source: str) -> None:
        self.source = source
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(source: str, token: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", SourceAdapter(source))
    session.headers["Authorization"] = f"Bearer {token}"
    return session


class Writer(threading.Thread):
    """Posts log lines through nginx from one client site; keeps what the server acknowledged (201)."""

    def __init__(self, name: str, base: str, source: str, token: str, incident_id: int, counter) -> None:
        super().__init__(daemon=True)
        self.name_ = name
        self.url = f"{base}/api/v1/incidents/{incident_id}/log"
        self.session = session_from(source, token)
        self.acked: dict[int, str] = {}  # entry id → text
        self.failed: list[str] = []
        self.counter = counter

    def run(self) -> None:
        for i in range(LINES_PER_WRITER):
            text = f"{self.name_} linje {i}"
            try:
                response = self.session.post(self.url, json={"text": text}, timeout=30)
                if response.status_code == 201:
                    self.acked[response.json()["id"]] = text
                    self.counter()
                else:
                    self.failed.append(f"{response.status_code}")
            except requests.RequestException as err:
                self.failed.append(type(err).__name__)
            time.sleep(0.05)


def pick_sources(cluster: Cluster, victim: int) -> dict[int, list[str]]:
    """Local addresses 127.0.K.1 grouped by the process nginx sends them to (ip_hash hashes 3 octets)."""
    by_port: dict[int, list[str]] = {port: [] for port in cluster.ports}
    for k in range(1, 60):
        source = f"127.0.{k}.1"
        by_port[cluster.upstream_for(source)].append(source)
        if len(by_port[victim]) >= 3 and all(len(v) >= 1 for v in by_port.values()):
            break
    assert all(by_port.values()), by_port
    return by_port


def test_cluster_survives_kill_of_one_process(browser, pg_schema, tmp_path):
    if not (PG_URL and REDIS_URL):
        pytest.fail("TEST_DATABASE_URL og REDIS_URL må være satt (det gjør .ci/run)")
    if not shutil.which("nginx") and not shutil.which("/usr/sbin/nginx"):
        pytest.fail("nginx mangler: apt-get install -y nginx (.ci/run gjør det)")
    cluster = Cluster(
        tmp_path / "cluster",
        database_url=pg_schema.url,
        redis_url=REDIS_URL,
        env={
            "SOCKETIO_CHANNEL": "beredskap-cluster-" + uuid.uuid4().hex[:8],
            "LOGIN_RATE_LIMIT": "1000 per minute",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        },
    )
    prepare_database(pg_schema.url, cluster.instance)
    sites: list[FollowerProcess] = []
    context = None
    try:
        cluster.start(migrate=False)
        password = "et-passord-for-stab"
        made = cluster.flask(
            "users", "create", "stab", "--role", "coordinator", "--password-stdin", stdin=password + "\n"
        )
        assert made.returncode == 0, made.stderr
        token = cluster.flask("users", "token", "stab").stdout.strip().splitlines()[-1]
        api = session_from("127.0.0.1", token)
        incident = api.post(cluster.url + "/api/v1/incidents", json={"title": "Klyngeprøve"}, timeout=30)
        assert incident.status_code == 201, incident.text
        incident_id = incident.json()["id"]
        channel = f"incident:{incident_id}"

        # The browser leaves from 127.0.0.1: the process nginx sends it to is the one that will be killed.
        victim = cluster.upstream_for("127.0.0.1")
        by_port = pick_sources(cluster, victim)
        others = [port for port in cluster.ports if port != victim]
        site_sources = [by_port[victim][0], by_port[victim][1], by_port[others[0]][0], by_port[others[1]][0]]
        cluster.log(f"offer: :{victim} (nettleseren og {site_sources[:2]}); de andre: {others}")

        context = browser.new_context()
        page = context.new_page()
        page.goto(cluster.url + "/login")
        page.fill("#username", "stab")
        page.fill("#password", password)
        page.click("button[type=submit]")
        page.wait_for_url(lambda u: "/login" not in u)
        page.goto(f"{cluster.url}/incidents/{incident_id}")
        page.locator("#conn-state[data-state=connected]").wait_for(timeout=30000)
        page.evaluate(
            "window.__states = []; document.addEventListener('live:state', (e) => window.__states.push(e.detail))"
        )

        sites = [FollowerProcess(source) for source in site_sources]
        started = time.monotonic()
        ask_all(sites, lambda s: s.connect(cluster.url, token, [channel, "global"], FOLLOWERS_PER_SITE))
        cluster.log(
            f"{FOLLOWERS_PER_SITE * len(sites)} følgere koblet til gjennom nginx ({time.monotonic() - started:.1f} s)"
        )

        acked_total = [0]
        lock = threading.Lock()
        kill_ready = threading.Event()

        def count() -> None:
            with lock:
                acked_total[0] += 1
                if acked_total[0] >= KILL_AFTER:
                    kill_ready.set()

        # Writers on two processes: one from a site nginx sends to the victim, one to another process.
        writers = [
            Writer("A", cluster.url, by_port[victim][2 % len(by_port[victim])], token, incident_id, count),
            Writer("B", cluster.url, by_port[others[0]][0], token, incident_id, count),
        ]
        for writer in writers:
            writer.start()
        assert kill_ready.wait(120), "writers never got going"
        cluster.kill(victim)
        killed_at = time.monotonic()
        # The victim's followers reconnect through nginx to the others while the writers go on.
        while time.monotonic() - killed_at < 60:
            moved = [f for site in ask_all(sites[:2], lambda s: s.status()) for f in site if f["connects"] >= 2]
            if len(moved) == 2 * FOLLOWERS_PER_SITE and all(f["connected"] for f in moved):
                break
            time.sleep(0.5)
        cluster.log(
            f"{len(moved)} av offerets {2 * FOLLOWERS_PER_SITE} følgere koblet til igjen gjennom nginx "
            f"{time.monotonic() - killed_at:.1f} s etter kill, og abonnerer med siste seq de så"
        )
        for writer in writers:
            writer.join(180)
            assert not writer.is_alive()
        cluster.log(
            "skrivere ferdige: "
            + ", ".join(f"{w.name_}: {len(w.acked)} kvittert, {len(w.failed)} feilet {w.failed[:3]}" for w in writers)
        )

        # The killed process comes back (as systemd's Restart=always) and gets clients again through nginx.
        restart_log_offset = cluster.process_log(victim).stat().st_size
        cluster.restart(victim)
        deadline = time.monotonic() + 30
        while cluster.upstream_for(site_sources[0]) != victim and time.monotonic() < deadline:
            time.sleep(0.5)
        assert cluster.upstream_for(site_sources[0]) == victim, "nginx never sent clients to the restarted process"
        late = FollowerProcess(site_sources[0])
        sites.append(late)
        late.connect(cluster.url, token, [channel, "global"], 20)
        for i in range(5):
            assert api.post(f"{cluster.url}/api/v1/incidents/{incident_id}/log", json={"text": f"etter {i}"}).ok
        last_seq = api.get(f"{cluster.url}/api/v1/channels/{channel}/events?since=0&limit=1").json()["last_seq"]

        # Every follower has exactly 1..last_seq in order: no gap, no duplicate, nothing lost.
        expected = list(range(1, last_seq + 1))
        deadline = time.monotonic() + 60
        while True:
            statuses = [f for site in ask_all(sites, lambda s: s.status()) for f in site]
            behind = [f for f in statuses if f["applied"][channel] != expected]
            if not behind or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        caught_up = time.monotonic() - killed_at  # includes the rest of the writes and the restart
        reconnected = [f for f in statuses[: 2 * FOLLOWERS_PER_SITE] if f["connects"] >= 2]
        cluster.log(
            f"innhenting: {len(statuses) - len(behind)}/{len(statuses)} følgere har seq 1..{last_seq} i orden "
            f"{caught_up:.1f} s etter kill; {len(reconnected)} av offerets {2 * FOLLOWERS_PER_SITE} koblet til "
            f"på nytt; "
            f"kastet som allerede sett {sum(f['dropped'] for f in statuses)}, hull oppdaget og hentet "
            f"{sum(f['gaps'] for f in statuses)}"
        )
        for f in behind[:3]:
            cluster.log(f"bak: {f['applied'][channel][-5:]} {f['history']}")
        assert not behind, f"{len(behind)} followers differ, e.g. {behind[0]['applied'][channel][-10:]}"
        assert len(statuses) == 4 * FOLLOWERS_PER_SITE + 20
        assert len(reconnected) == 2 * FOLLOWERS_PER_SITE
        assert all(f["connected"] for f in statuses)

        # The writers' acknowledged lines are all in the journal (and so on every screen above).
        events = api.get(f"{cluster.url}/api/v1/channels/{channel}/events?since=0").json()["events"]
        logged = {e["data"]["id"] for e in events if e["type"] == "log.created"}
        acked = {entry_id for w in writers for entry_id in w.acked}
        assert acked <= logged, f"acknowledged but missing: {sorted(acked - logged)[:10]}"
        assert len(acked) >= KILL_AFTER
        cluster.log(f"alle {len(acked)} kvitterte linjer er i journalen")

        # The restarted process really served those sockets: its own access log shows them (a websocket is
        # logged when it closes, so the late site leaves first).
        late.close()
        sites.remove(late)
        deadline = time.monotonic() + 20
        while True:
            after_restart = cluster.process_log(victim).read_bytes()[restart_log_offset:].decode(errors="replace")
            upgrades = after_restart.count("transport=websocket")
            if upgrades >= 20 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        cluster.log(f"wsgi.py :{victim} etter omstart: {upgrades} websocket-oppkoblinger i egen logg")
        assert upgrades >= 20, after_restart[-1500:]

        # The page reconnected through nginx and caught up: connected, at the last seq, showing lines written
        # while it was away and after.
        page.locator("#conn-state[data-state=connected]").wait_for(timeout=30000)
        states = page.evaluate("window.__states")
        assert "reconnecting" in states and states[-1] == "connected", states
        page.wait_for_function(
            "([c, s]) => window.beredskapLive.lastSeq(c) === s", arg=[channel, last_seq], timeout=30000
        )
        away = writers[1].acked[max(writers[1].acked)]
        page.get_by_text(away, exact=True).first.wait_for(timeout=15000)
        page.get_by_text("etter 4", exact=True).first.wait_for(timeout=15000)
        cluster.log(f"nettleseren: tilkoblet igjen, seq {last_seq}, viser «{away}» og «etter 4»")
        screenshot(page, "cluster", "page-after-kill")
    finally:
        if context:
            context.close()
        for site in sites:
            site.close()
        cluster.stop()
        shutil.copy(cluster.log_path, output_dir("cluster") / "cluster.log")
        print(cluster.log_path.read_text())
