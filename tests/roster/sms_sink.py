"""A real HTTP SMS gateway stand-in for the tests: `python tests/roster/sms_sink.py PORT DIR`.

Each POST is written to DIR as JSON {"path", "content_type", "body"} and answered 200.
"""

import json
import os
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


def main() -> None:
    port, directory = int(sys.argv[1]), Path(sys.argv[2])
    directory.mkdir(parents=True, exist_ok=True)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server API
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8")
            record = {"path": self.path, "content_type": self.headers.get("Content-Type"), "body": body}
            name = uuid.uuid4().hex
            (directory / f"{name}.tmp").write_text(json.dumps(record), encoding="utf-8")
            os.replace(directory / f"{name}.tmp", directory / f"{name}.json")
            reply = b'{"status": "queued"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
