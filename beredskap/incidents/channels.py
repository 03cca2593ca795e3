"""The incident channels (`incident:<id>`), registered with realtime by the domain that owns them."""

import re

from beredskap.auth.permissions import Perm
from beredskap.extensions import db
from beredskap.incidents.models import Incident
from beredskap.realtime.channels import register_channel

MAX_ID = 2**31 - 1


def _incident_exists(match: re.Match[str]) -> bool:
    incident_id = int(match.group(1))
    return incident_id <= MAX_ID and db.session.get(Incident, incident_id) is not None


def register_channels() -> None:
    register_channel("incident", r"incident:([1-9][0-9]{0,9})", Perm.INCIDENT_READ, _incident_exists)
