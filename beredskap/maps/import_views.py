"""Page: GIS import — upload a file, see a preview, choose the target layer and confirm (admin and coordinator).

The upload waits in a temp folder between preview and confirm, keyed by a token kept in the session; it is removed
after the import, on cancel, or after an hour. The import itself is one transaction with its audit record.
"""

from flask import Blueprint, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.extensions import db
from beredskap.maps import catalogue, upload
from beredskap.maps.forms import ImportConfirmForm, ImportUploadForm
from beredskap.maps.importer import GeoImportError
from beredskap.security import upload_route

bp = Blueprint("maps_import", __name__)

SESSION_KEY = "gis_import"
NEW_LAYER = "__new__"


def size_text(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MB" if limit >= 1024 * 1024 else f"{max(1, limit // 1024)} kB"


def _page(status: int = 200, *, error: str | None = None, preview: dict | None = None, values: dict | None = None):
    return render_template(
        "maps/import.html",
        error=error,
        preview=preview,
        values=values or {},
        layers=catalogue.imported_layers(),
        new_layer=NEW_LAYER,
        max_size=size_text(current_app.config["MAX_UPLOAD_BYTES"]),
    ), status


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_err):
    """A file over the limit: the import page with a message naming the limit, not a bare error page."""
    limit = size_text(current_app.config["MAX_UPLOAD_BYTES"])
    return _page(413, error=_("Filen er for stor: høyst %(size)s kan lastes opp. Ingenting er lagret.", size=limit))


@bp.get("/maps/import")
@require_page(Perm.DISTRICT_WRITE)
def import_page():
    """Upload form and the layers imported so far."""
    return _page()


@bp.post("/maps/import")
@upload_route
@require_page(Perm.DISTRICT_WRITE)
def import_upload():
    """Check and keep the file, then show its preview."""
    upload.discard(session.pop(SESSION_KEY, None))
    form = ImportUploadForm()
    if not form.validate():
        return _page(422, error=form.first_error())
    try:
        stored = upload.store_upload(form.file.data)
    except GeoImportError as err:
        return _page(422, error=str(err))
    try:
        summary = upload.preview(stored)
    except GeoImportError as err:
        upload.discard(stored.token)
        return _page(422, error=str(err))
    session[SESSION_KEY] = stored.token
    name = upload.suggested_name(stored.source_name)
    return _page(preview=summary, values={"target": NEW_LAYER, "name": name, "title": ""})


@bp.post("/maps/import/confirm")
@require_page(Perm.DISTRICT_WRITE)
def import_confirm():
    """Import the previewed file as the chosen layer: all of it or nothing."""
    form = ImportConfirmForm()
    token = session.get(SESSION_KEY)
    stored = upload.stored_upload(token) if token else None
    if stored is None or form.token.data != token:
        session.pop(SESSION_KEY, None)
        return _page(409, error=_("Opplastingen er utløpt eller allerede importert. Last opp filen på nytt."))
    target, name = form.layer(NEW_LAYER)
    title = form.title.data
    try:
        result = catalogue.import_layer(
            stored.path,
            name,
            title,
            actor=current_user,
            check=upload.check_inside_kristiansand,
            source_name=stored.source_name,
        )
    except (GeoImportError, ValueError) as err:
        db.session.rollback()
        values = {"target": target, "name": name if target == NEW_LAYER else "", "title": title}
        try:
            summary = upload.preview(stored)
        except GeoImportError:
            summary = None
        return _page(422, error=str(err), preview=summary, values=values)
    upload.discard(token)
    session.pop(SESSION_KEY, None)
    verb = _("erstattet") if result["replaced"] else _("importert")
    flash(
        _(
            "Kartlaget «%(name)s» er %(verb)s med %(count)s objekter.",
            name=result["name"],
            verb=verb,
            count=result["feature_count"],
        ),
        "success",
    )
    return redirect(url_for("maps_import.import_page", imported=result["name"]))


@bp.post("/maps/import/cancel")
@require_page(Perm.DISTRICT_WRITE)
def import_cancel():
    """Throw the previewed file away."""
    upload.discard(session.pop(SESSION_KEY, None))
    flash(_("Opplastingen er forkastet."), "success")
    return redirect(url_for("maps_import.import_page"))
