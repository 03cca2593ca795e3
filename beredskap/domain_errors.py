"""Errors the services raise: what went wrong in domain words; `beredskap.errors` maps them to HTTP."""


class DomainError(Exception):
    """A refused action with a snake_case code, a Norwegian message and optional per-field errors."""

    def __init__(self, code: str, message: str, fields: dict | None = None, existing: dict | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.fields = fields
        # What the action collides with (e.g. the open EPS at the same venue), so a client can link to it.
        self.existing = existing


class NotFound(DomainError):
    """The thing asked for does not exist."""

    def __init__(self, message: str, code: str = "not_found", **kw):
        super().__init__(code, message, **kw)


class Conflict(DomainError):
    """The action does not fit the thing's current state (a stale version, already started, …)."""


class Invalid(DomainError):
    """The data given cannot be accepted."""


class Malformed(DomainError):
    """The input is not in the form asked for (a bad token, an answer that is not one of the choices)."""


class Forbidden(DomainError):
    """The actor may not do this to this thing, although the action itself is allowed to the role."""

    def __init__(self, message: str, code: str = "forbidden", **kw):
        super().__init__(code, message, **kw)
