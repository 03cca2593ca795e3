"""Errors answered as the JSON envelope of CONTRACT §2 on the API, as pages elsewhere."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from beredskap.domain_errors import Conflict, DomainError, Forbidden, Invalid, Malformed, NotFound

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "internal_error",
}
_MESSAGES = {
    400: _l("Ugyldig forespørsel."),
    401: _l("Du må logge inn."),
    403: _l("Du har ikke tilgang til dette."),
    404: _l("Fant ikke det du ba om."),
    405: _l("Metoden er ikke tillatt her."),
    409: _l("Konflikt: ressursen er endret av noen andre."),
    413: _l("Forespørselen er for stor."),
    415: _l("Ugyldig innholdstype."),
    422: _l("Ugyldige data."),
    429: _l("For mange forsøk. Vent litt og prøv igjen."),
    500: _l("Noe gikk galt på serveren."),
}


def _status_message(status: int) -> str:
    """The generic message of a status in the request's language (a plain str: jsonify cannot take a LazyString)."""
    message = _MESSAGES.get(status)
    return str(message) if message is not None else gettext("Feil.")


class ApiError(Exception):
    """A client error with a status, a snake_case code, a human message and optional per-field errors."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None, existing: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        # What the request collides with (e.g. the open EPS at the same venue), so a client can link to it.
        self.existing = existing


# The HTTP status of each kind of domain error; the services know nothing of HTTP.
DOMAIN_STATUS: dict[type[DomainError], int] = {
    NotFound: 404,
    Forbidden: 403,
    Conflict: 409,
    Invalid: 422,
    Malformed: 400,
}


def domain_status(err: DomainError) -> int:
    """The HTTP status a domain error answers with (422 for a kind without its own)."""
    return next((status for kind, status in DOMAIN_STATUS.items() if isinstance(err, kind)), 422)


# What a page catches to show a refusal beside its form instead of an error page: a parse or a domain error.
REFUSALS = (ApiError, DomainError)


def refusal_status(err: ApiError | DomainError) -> int:
    """The HTTP status of a refusal, whichever layer raised it."""
    return err.status if isinstance(err, ApiError) else domain_status(err)


def error_body(
    status: int,
    code: str | None = None,
    message: str | None = None,
    fields: dict | None = None,
    existing: dict | None = None,
):
    body: dict = {"code": code or _CODES.get(status, "error"), "message": message or _status_message(status)}
    if fields:
        body["fields"] = fields
    if existing:
        body["existing"] = existing
    return {"error": body}


def _wants_json() -> bool:
    if request.path.startswith("/api/") or request.path == "/healthz":
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _respond(
    status: int,
    code: str | None = None,
    message: str | None = None,
    fields: dict | None = None,
    existing: dict | None = None,
):
    if _wants_json():
        return jsonify(error_body(status, code, message, fields, existing)), status
    text = message or _status_message(status)
    return render_template("errors/error.html", status=status, message=text), status


def register_errorhandlers(app: Flask) -> None:
    """Every error, however it arises, gets the envelope or an error page; never a stack trace."""

    @app.errorhandler(ApiError)
    def handle_api_error(err: ApiError):
        return _respond(err.status, err.code, err.message, err.fields, err.existing)

    @app.errorhandler(DomainError)
    def handle_domain_error(err: DomainError):
        return _respond(domain_status(err), err.code, err.message, err.fields, err.existing)

    @app.errorhandler(HTTPException)
    def handle_http(err: HTTPException):
        status = err.code or 500
        if status == 400 and "CSRF" in (err.description or ""):
            return _respond(
                400, "csrf_failed", gettext("Skjemaet er utløpt eller mangler CSRF-nøkkel. Last siden på nytt.")
            )
        message = _status_message(status) if status >= 500 else None
        response = _respond(status, None, message)
        if status == 405 and getattr(err, "valid_methods", None):
            response[0].headers["Allow"] = ", ".join(err.valid_methods)
        return response

    @app.errorhandler(StaleDataError)
    def handle_stale(err: StaleDataError):
        from beredskap.extensions import db

        db.session.rollback()
        return _respond(
            409, "version_conflict", gettext("Noen andre har endret dette i mellomtiden. Last inn på nytt.")
        )

    @app.errorhandler(Exception)
    def handle_unexpected(err: Exception):
        from beredskap.extensions import db

        db.session.rollback()
        # The type only: messages can carry user input, and logs must stay free of personal data.
        detail = ""
        diag = getattr(getattr(err, "orig", None), "diag", None)
        if diag is not None:
            # Constraint and table names only: these identify the fault without quoting any data.
            detail = f" constraint={diag.constraint_name} table={diag.table_name}"
        app.logger.error("unhandled %s on %s %s%s", type(err).__name__, request.method, request.path, detail)
        return _respond(500)
