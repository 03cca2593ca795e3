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
