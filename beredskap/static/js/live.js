// Keeps a page in sync with the journal: one socket, subscriptions with last seq, catch-up, gap
// detection, reconnect with back-off and a visible connection state (tilkoblet / kobler til igjen …).
import { io } from "/static/vendor/socket.io.esm.min.js";
import { t } from "/static/js/i18n.js";

const STATE_TEXT = {
  connected: t("tilkoblet"),
  connecting: t("kobler til …"),
  reconnecting: t("kobler til igjen …"),
  offline: t("frakoblet – prøver igjen"),
  refused: t("ikke innlogget"),
};
const RESYNC_MS = 15000;

class Live {
  constructor() {
    this.channels = new Map(); // channel → {lastSeq, handlers:Set}
    this.socket = io({
      transports: ["websocket", "polling"],
      reconnection: true,
      reconnectionDelay: 500,
      reconnectionDelayMax: 10000,
      randomizationFactor: 0.5,
    });
    this.everConnected = false;
    this.socket.on("connect", () => {
      this.everConnected = true;
      this.setState("connected");
      for (const channel of this.channels.keys()) this.resubscribe(channel);
    });
    this.socket.on("disconnect", () => this.setState("reconnecting"));
    this.socket.on("connect_error", (err) => {
      if (err?.message === "unauthorized") this.setState("refused");
      else this.setState(this.everConnected ? "reconnecting" : "offline");
    });
    this.socket.io.on("reconnect_attempt", () => this.setState("reconnecting"));
    this.socket.on("event", (envelope) => this.receive(envelope));
    // Catch-up asked for with `batch: true` arrives as one message of envelopes in order.
    this.socket.on("events", (batch) => {
      for (const envelope of batch?.events || []) this.receive(envelope);
    });
    // A lost message at the tail shows no gap until the next one: ask for what we missed now and then.
    setInterval(() => {
      if (this.socket.connected) for (const channel of this.channels.keys()) this.resubscribe(channel);
    }, RESYNC_MS);
  }

  setState(state) {
    this.state = state;
    const el = document.getElementById("conn-state");
    if (el) {
      el.textContent = STATE_TEXT[state] || state;
      el.dataset.state = state;
    }
    document.dispatchEvent(new CustomEvent("live:state", { detail: state }));
  }

  subscribe(channel, handler, since = 0) {
    let entry = this.channels.get(channel);
    if (!entry) {
      entry = { lastSeq: since, handlers: new Set(), pending: false };
      this.channels.set(channel, entry);
    }
    entry.handlers.add(handler);
    if (this.socket.connected) this.resubscribe(channel);
    return () => entry.handlers.delete(handler);
  }

  resubscribe(channel) {
    const entry = this.channels.get(channel);
    if (!entry || entry.pending) return;
    entry.pending = true;
    this.socket.timeout(10000).emit("subscribe", { channel, since: entry.lastSeq, batch: true }, (err, ack) => {
      entry.pending = false;
      if (err || !ack?.ok) {
        document.dispatchEvent(new CustomEvent("live:error", { detail: { channel, error: err ? "timeout" : ack?.error } }));
      }
    });
  }

  receive(envelope) {
    const entry = this.channels.get(envelope.channel);
    if (!entry) return;
    if (envelope.seq <= entry.lastSeq) return; // already seen (catch-up racing live)
    if (envelope.seq > entry.lastSeq + 1) {
      this.resubscribe(envelope.channel); // gap: fetch what is missing, in order
      return;
    }
    entry.lastSeq = envelope.seq;
    for (const handler of entry.handlers) {
      try {
        handler(envelope);
      } catch (e) {
        console.error(e);
      }
    }
  }

  lastSeq(channel) {
    return this.channels.get(channel)?.lastSeq ?? 0;
  }
}

let live = null;
export function getLive() {
  if (!live) live = new Live();
  return live;
}

// Every logged-in page shows the connection state, even without subscriptions of its own.
getLive();
window.beredskapLive = getLive();
