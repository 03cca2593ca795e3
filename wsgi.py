"""Entry point: `app = create_app()`; `python wsgi.py` serves the app and Socket.IO on $HOST:$PORT."""

import gc
import logging
import os
from pathlib import Path

if __name__ == "__main__" and os.environ.get("BEREDSKAP_ASYNC_MODE", "gevent") == "gevent":
    # Patch before anything imports socket or threading; psycopg 3 cooperates with gevent from 3.1.14.
    from gevent import monkey

    monkey.patch_all()
    os.environ.setdefault("BEREDSKAP_ASYNC_MODE", "gevent")

from beredskap import create_app  # noqa: E402
from beredskap.extensions import socketio  # noqa: E402

app = create_app()


def run_banner(host: str, port: int) -> str:
    """The block `make run` shows once the server starts: where to go, where the demo passwords are, how to stop."""
    credentials = Path(app.instance_path, "demo-credentials.txt").resolve()
    note = "" if credentials.exists() else " (finnes ikke: kjør «flask --app wsgi demo seed»)"
    lines = [
        f"Beredskap kjører på http://{host}:{port}",
        f"Demobrukere og passord: {credentials}{note}",
        "Stopp serveren med Ctrl+C.",
    ]
    rule = "=" * max(len(line) for line in lines)
    return "\n".join(["", rule, *lines, rule, ""])


def main() -> None:
    from beredskap.realtime.broadcast import encode_broadcasts_once
    from beredskap.realtime.bus import start_heartbeat
    from beredskap.realtime.sockets import start_socket_recheck
    from beredskap.scheduler import start_scheduler
    from beredskap.serving import enable_tcp_nodelay, make_websocket_sends_whole

    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    if socketio.async_mode == "gevent":
        enable_tcp_nodelay()
    make_websocket_sends_whole()
    # One frame per broadcast text, written as is to every uncompressed socket; it relies on the whole-frame sends
    # above. B7 and tests/realtime/test_broadcast_live.py: no loss, but also no measurable CPU saved (README).
    encode_broadcasts_once()
    start_scheduler(app)
    start_heartbeat(app)
    start_socket_recheck(app)
    # Everything loaded at start-up (modules, mappers, map layers) lives as long as the process: keep it out
    # of the collector's full passes, which otherwise scan it again and again between live events.
    gc.collect()
    gc.freeze()
    # Its own logger at INFO, so the address is logged even where the app's other loggers stay at WARNING.
    started = app.logger.getChild("start")
    started.setLevel(logging.INFO)
    started.info("Beredskap kjører på http://%s:%s", host, port)
    if os.environ.get("BEREDSKAP_RUN_BANNER") == "1":
        print(run_banner(host, port), flush=True)
    socketio.run(
        app, host=host, port=port, log_output=os.environ.get("BEREDSKAP_ACCESS_LOG") == "1", allow_unsafe_werkzeug=True
    )


if __name__ == "__main__":
    main()
