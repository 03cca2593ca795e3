"""Pages: edit a person of the crisis organisation (contact, functions, groups) and deactivate or reactivate them."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from beredskap.api import require_page
from beredskap.auth.permissions import Perm
from beredskap.errors import ApiError
from beredskap.extensions import db
from beredskap.roster import organisation, people
from beredskap.roster.forms import PersonActiveForm, PersonEditForm
from beredskap.roster.models import TEAM_TITLES, SavedGroup, Team

bp = Blueprint("roster_people", __name__)


@bp.route("/roster/people/<int:person_id>/edit", methods=["GET", "POST"])
@require_page(Perm.ROSTER_WRITE)
def person_edit(person_id: int):
    """Name, phone, e-mail, functions and groups of one person."""
    person = organisation.get_person(person_id)
    if request.method == "POST":
        form = PersonEditForm()
        try:
            people.edit_person(person_id, form.changes(), form.version_number(), actor=current_user)
        except ApiError as err:
            db.session.rollback()
            flash(err.message, "error")
            return redirect(url_for("roster_people.person_edit", person_id=person_id))
        flash(_("Personen er oppdatert."), "success")
        return redirect(url_for("roster.manage_page") + f"#person-{person_id}")
    members = people.memberships_of(person)
    return render_template(
        "roster/person_edit.html",
        person=person,
        positions=organisation.list_positions(),
        roles=members.positions,
        groups=list(db.session.scalars(select(SavedGroup).order_by(SavedGroup.title))),
        group_keys=members.groups,
        team_titles={t.value: TEAM_TITLES[t] for t in Team},
        upcoming_shifts=people.upcoming_shifts(person),
    )


@bp.post("/roster/people/<int:person_id>/active")
@require_page(Perm.ROSTER_WRITE)
def person_active(person_id: int):
    """Deactivate (no new alerts or shifts, history kept) or reactivate a person."""
    form = PersonActiveForm()
    try:
        person = people.edit_person(
            person_id, {"active": form.active.data == "1"}, form.version_number(), actor=current_user
        )
    except ApiError as err:
        db.session.rollback()
        flash(err.message, "error")
        return redirect(url_for("roster_people.person_edit", person_id=person_id))
    if person.active:
        flash(_("%(name)s er aktiv igjen og kan varsles.", name=person.name), "success")
    else:
        flash(_("%(name)s er deaktivert: varsles ikke og kan ikke settes på vakt.", name=person.name), "success")
    return redirect(url_for("roster.manage_page") + f"#person-{person_id}")
