"""Socket settings of the gevent server, shared by `wsgi.py` and the benchmarks' bare baseline server."""

import socket


def enable_tcp_nodelay() -> None:
    """Send responses at once: without TCP_NODELAY a keep-alive response waits ~40 ms for a delayed ACK."""
    from gevent import pywsgi

    original = pywsgi.WSGIHandler.handle
    if getattr(original, "tcp_nodelay", False):
        return

    def handle(self):
        try:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        return original(self)

    handle.tcp_nodelay = True
    pywsgi.WSGIHandler.handle = handle


class _WholeFrameSocket:
    """A socket whose `send` sends every byte, one frame at a time.

    simple-websocket writes each frame with a single `sock.send()`. Under gevent a send into a full socket buffer
    (a slow client, a large catch-up) sends only part of the frame and returns the count, which simple-websocket
    ignores: the rest of the frame is lost and the next frame starts inside it, so the client reads garbage from
    there on. `sendall` completes the frame; the lock keeps the writer, the pings and the close frame of the
    reader thread from interleaving their bytes.
    """

    def __init__(self, sock) -> None:
        import threading

        self._sock = sock
        self._lock = threading.Lock()

    def send(self, data) -> int:
        with self._lock:
            self._sock.sendall(data)
        return len(data)

    def sendall(self, data) -> None:
        self.send(data)

    def __getattr__(self, name):
        return getattr(self._sock, name)


def make_websocket_sends_whole() -> None:
    """Patch simple-websocket (Engine.IO's websocket under gevent) so a partial send never drops bytes."""
    from simple_websocket import ws

    original = ws.Base.__init__
    if getattr(original, "whole_frames", False):
        return

    def __init__(self, sock=None, *args, **kwargs):
        if sock is not None and not isinstance(sock, _WholeFrameSocket):
            sock = _WholeFrameSocket(sock)
        original(self, sock, *args, **kwargs)

    __init__.whole_frames = True
    ws.Base.__init__ = __init__
