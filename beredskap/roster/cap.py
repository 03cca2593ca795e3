"""CAP 1.2 (OASIS Common Alerting Protocol) XML of an alert, from plain data (pure)."""

import re
from datetime import datetime

from lxml import etree

from beredskap.vocabulary import OSLO

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
SEVERITY_BY_LEVEL = {1: "Minor", 2: "Moderate", 3: "Severe"}


def cap_time(value: datetime) -> str:
    """CAP's dateTime: seconds, numeric offset; local time so UTC's forbidden '+00:00' never appears."""
    return value.astimezone(OSLO).replace(microsecond=0).isoformat()


def cap_token(text: str) -> str:
    """CAP forbids spaces, commas and '<' '&' in identifiers and sender."""
    return re.sub(r"[\s,<&]+", "-", text.strip()) or "ukjent"


def cap_address(text: str) -> str:
    """One entry of the space-separated <addresses> list; entries with spaces are quoted."""
    text = text.replace('"', "'").strip()
    return f'"{text}"' if " " in text else text


def build_cap(alert: dict) -> bytes:
    """Return the CAP 1.2 <alert> document as UTF-8 bytes.

    `alert`: identifier, sender, sent (aware datetime), exercise (bool), addresses (list of str),
    restriction?, incidents?, note?, event, headline, description, sender_name, severity_level? (1–3),
    instruction?, expires? (datetime), web?, contact?, category? (default "Safety").
    """
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})

    def add(parent: etree._Element, name: str, text: str | None) -> None:
        if text is None or text == "":
            return
        etree.SubElement(parent, f"{{{CAP_NS}}}{name}").text = text

    add(root, "identifier", cap_token(alert["identifier"]))
    add(root, "sender", cap_token(alert["sender"]))
    add(root, "sent", cap_time(alert["sent"]))
    add(root, "status", "Exercise" if alert.get("exercise") else "Actual")
    add(root, "msgType", "Alert")
    addresses = [cap_address(a) for a in alert.get("addresses") or [] if a and a.strip()]
    if addresses:
        add(root, "scope", "Private")
        add(root, "addresses", " ".join(addresses))
    else:
        add(root, "scope", "Restricted")
        restriction = "Kun for kommunens kriseorganisasjon."  # i18n: CAP document
        add(root, "restriction", alert.get("restriction") or restriction)
    add(root, "note", alert.get("note"))
    add(root, "incidents", cap_token(alert["incidents"]) if alert.get("incidents") else None)

    info = etree.SubElement(root, f"{{{CAP_NS}}}info")
    add(info, "language", "no-NO")
    add(info, "category", alert.get("category") or "Safety")
    add(info, "event", alert["event"])
    add(info, "responseType", "Prepare")
    add(info, "urgency", "Immediate")
    level = alert.get("severity_level")
    add(info, "severity", SEVERITY_BY_LEVEL.get(level, "Unknown") if isinstance(level, int) else "Unknown")
    add(info, "certainty", "Observed")
    add(info, "audience", alert.get("audience"))
    if alert.get("expires"):
        add(info, "expires", cap_time(alert["expires"]))
    add(info, "senderName", alert["sender_name"])
    add(info, "headline", alert["headline"][:160])
    add(info, "description", alert["description"])
    add(info, "instruction", alert.get("instruction"))
    add(info, "web", alert.get("web"))
    add(info, "contact", alert.get("contact"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
