"""Which channels exist and who may read them, registered by the package that owns each channel kind.

realtime knows no domain: `global` is its own; a domain registers its kinds at composition time
(`beredskap.domains.register_domains`) with a name pattern, an existence check and the permission to read.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from beredskap.auth.permissions import Perm


@dataclass(frozen=True)
class ChannelKind:
    name: str
    pattern: re.Pattern[str]  # the whole channel name, in its one canonical spelling
    permission: Perm
    exists: Callable[[re.Match[str]], bool] | None = None  # None: the channel always exists


_KINDS: dict[str, ChannelKind] = {}


def register_channel(
    name: str,
    pattern: str,
    permission: Perm,
    exists: Callable[[re.Match[str]], bool] | None = None,
) -> None:
    """Register (or replace, when the app is built again) one kind of channel."""
    _KINDS[name] = ChannelKind(name, re.compile(pattern), permission, exists)


def registered_kinds() -> list[str]:
    return list(_KINDS)


register_channel("global", "global", Perm.INCIDENT_READ)


def _match(channel: str) -> tuple[ChannelKind, re.Match[str]] | None:
    if not isinstance(channel, str):
        return None
    for kind in _KINDS.values():
        match = kind.pattern.fullmatch(channel)
        if match is not None:
            return kind, match
    return None


def channel_permission(channel: str) -> Perm | None:
    """The permission needed to subscribe to a channel, or None for an unknown channel name."""
    found = _match(channel)
    return found[0].permission if found else None


def channel_known(channel: str) -> bool:
    """A channel exists when its kind says so (an incident channel once its incident does)."""
    found = _match(channel)
    if found is None:
        return False
    kind, match = found
    return kind.exists is None or bool(kind.exists(match))
