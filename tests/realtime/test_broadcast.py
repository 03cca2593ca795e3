"""One frame per broadcast: the same bytes wsproto would send, built once per text and written to every socket."""

import socket

import pytest
import simple_websocket
from wsproto.frame_protocol import FrameProtocol

from beredskap.realtime import broadcast


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_frame_is_what_wsproto_sends(size):
    text = ("æ" + "x" * size)[:size] if size else ""
    ours = broadcast.text_frame(text)
    theirs = bytes(FrameProtocol(client=False, extensions=[]).send_data(text, True))
    assert ours == theirs


def test_same_text_object_is_framed_once():
    text = '42["event",' + '{"channel":"global","seq":1}' + "]"
    first = broadcast.frame_for(text)
    assert broadcast.frame_for(text) is first
    # An equal text that is another object (another broadcast) gets its own, equal frame.
    other = "".join(list(text))
    assert other is not text
    again = broadcast.frame_for(other)
    assert again == first and again is not first


class _Recorder:
    """The server end of a socket pair as simple-websocket's socket, recording what was sent."""

    def __init__(self):
        self.sent = []

    def send(self, data):
        self.sent.append(data)
        return len(data)


def _server_ws(offer_deflate: bool):
    """A simple-websocket server connection after a real handshake over a socket pair."""
    server_sock, client_sock = socket.socketpair()
    # simple-websocket rebuilds the handshake from the WSGI environ, as under Werkzeug.
    environ = {
        "werkzeug.socket": server_sock,
        "HTTP_HOST": "x",
        "HTTP_UPGRADE": "websocket",
        "HTTP_CONNECTION": "Upgrade",
        "HTTP_SEC_WEBSOCKET_KEY": "dGhlIHNhbXBsZSBub25jZQ==",
        "HTTP_SEC_WEBSOCKET_VERSION": "13",
    }
    if offer_deflate:
        environ["HTTP_SEC_WEBSOCKET_EXTENSIONS"] = "permessage-deflate"
    ws = simple_websocket.Server(environ)
    assert b"101" in client_sock.recv(4096)
    return ws, server_sock, client_sock


@pytest.mark.parametrize("offer_deflate", [False, True])
def test_installed_send_writes_cached_frame_only_without_extensions(offer_deflate):
    broadcast.encode_broadcasts_once()
    ws, server_sock, client_sock = _server_ws(offer_deflate)
    try:
        recorder = _Recorder()
        real = ws.sock
        ws.sock = recorder
        text = '42["event",{"channel":"global","seq":7,"data":{"title":"Flom i Otra"}}]'
        ws.send(text)
        ws.send(text)
        ws.sock = real
        if offer_deflate:
            # Compressed with this connection's context: never the shared plain frame.
            assert all(bytes(frame) != broadcast.text_frame(text) for frame in recorder.sent)
            assert recorder.sent[0][0] & 0x40  # RSV1: compressed
        else:
            # The very frame object built once, not an equal frame built again for this socket.
            frame = broadcast.frame_for(text)
            assert len(recorder.sent) == 2 and all(sent is frame for sent in recorder.sent)
    finally:
        ws.close()
        client_sock.close()
        server_sock.close()
