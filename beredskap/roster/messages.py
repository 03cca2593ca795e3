"""The words of an alert: ØVELSE marking, SMS and e-mail texts, the SMS gateway body (pure)."""

import json
import re
from dataclasses import dataclass
from urllib.parse import quote_plus

EXERCISE_PREFIX = "ØVELSE"


def mark_exercise(message: str, exercise: bool) -> str:
    """In an exercise every message starts with ØVELSE, so nobody mistakes it for the real thing."""
    message = message.strip()
    if not exercise or message.upper().startswith(EXERCISE_PREFIX):
        return message
    return f"{EXERCISE_PREFIX} – {message}"


@dataclass(frozen=True)
class MessageText:
    subject: str
    body: str


def compose_message(
    alert_text: str, group_title: str, position_title: str | None, ack_url: str, exercise: bool, channel: str
) -> MessageText:
    """The text one recipient receives; it starts with the alert text (so ØVELSE comes first)."""
    prefix = f"{EXERCISE_PREFIX} – " if exercise else ""
    subject = f"{prefix}Varsling: {group_title}"  # i18n: sent mail/SMS
    if channel == "sms":
        body = f"{alert_text}\nSvar kommer/kan ikke: {ack_url}"  # i18n: sent mail/SMS
    else:
        role = f"Du varsles som {position_title} ({group_title}).\n" if position_title else ""  # i18n: sent mail/SMS
        body = (  # i18n: sent mail/SMS
            f"{alert_text}\n\n{role}"
            f"Svar om du kommer eller ikke kan komme, med din personlige lenke:\n{ack_url}\n\n"
            "Lenken er personlig – ikke del den.\n– Beredskap, Kristiansand kommune"
        )
        if exercise:
            body += f"\n\n{EXERCISE_PREFIX} {EXERCISE_PREFIX} {EXERCISE_PREFIX}"
    return MessageText(subject=subject, body=body)


def render_gateway_body(template: str, *, to: str, text: str, url: str) -> tuple[str, str]:
    """Fill the SMS gateway template; returns (body, content type).

    A JSON template (starting with { or [) gets JSON-escaped values, anything else is form-encoded.
    Placeholders: {to}, {text}, {url}.
    """
    stripped = template.strip()
    if stripped.startswith(("{", "[")):

        def escape(value: str) -> str:
            return json.dumps(value, ensure_ascii=False)[1:-1]

        content_type = "application/json; charset=utf-8"
    else:
        escape = quote_plus
        content_type = "application/x-www-form-urlencoded; charset=utf-8"
    values = {"to": to, "text": text, "url": url}
    # One pass, so a placeholder inside a value is never expanded.
    body = re.sub(r"\{(to|text|url)\}", lambda m: escape(values[m.group(1)]), stripped)
    return body, content_type
