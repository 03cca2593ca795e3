"""A real SMTP server for the tests: `python -m aiosmtpd -n -c tests.roster.smtp_sink.Sink DIR -l HOST:PORT`.

Every message received is written to DIR as one .eml file (written to a temporary name, then renamed, so a
reader never sees half a message).
"""

import os
import uuid
from pathlib import Path


class Sink:
    def __init__(self, directory: str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)

    @classmethod
    def from_cli(cls, parser, *args):
        if len(args) != 1:
            parser.error("Sink needs one argument: the directory to write messages to")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope):
        name = uuid.uuid4().hex
        temporary = self.directory / f"{name}.tmp"
        content = envelope.original_content or envelope.content
        rcpt = ",".join(envelope.rcpt_tos).encode()
        temporary.write_bytes(b"X-Envelope-To: " + rcpt + b"\r\n" + content)
        os.replace(temporary, self.directory / f"{name}.eml")
        return "250 Message accepted for delivery"
