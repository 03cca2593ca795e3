"""Evaluering av øvelse (exercise evaluation report) PDF: goal attainment, observations, lessons, action plan.

Input (`build_evaluation(data)`):

    {
        "plan": {"title": "Flom i Otra", "form": "spilløvelse", "date": date | datetime,
                 "location": str?, "purpose": str?, "organiser": str?, "participants": [str]?},
        "objectives": [{"id": "M1", "text": "…",
                        "rating": "oppnådd" | "delvis oppnådd" | "ikke oppnådd" | None,
                        # also "achieved" | "partially_achieved" | "not_achieved"
                        "reasoning": "…"}],
        "observations": [{"objective": "M1" | None, "text": "…", "observer": str?, "at": datetime?}],
        "lessons": [{"text": "…", "kind": "bevare" | "forbedre" | None}],   # læringspunkter
        "action_plan": [{"action": "…", "owner": "…", "deadline": date | None,
                         "status": "planlagt" | "pågår" | "utført" | str}],
        "summary": str?,                   # sammendrag
        "exercise": bool?,                 # ØVELSE marking; default True (it is exercise material)
        "draft": bool?, "generated_at": datetime?,
    }
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from beredskap.reports.flowables import bullet_list, data_table, key_value_block, paragraph, section_heading, text_block
from beredskap.reports.formatting import format_date, format_datetime, to_datetime
from beredskap.reports.page import ReportMeta, render_pdf
from beredskap.vocabulary import ACTION_STATUS_TITLES, EXERCISE_FORM_TITLES, RATING_TITLES, ActionStatus, Rating

# The ratings, and the English words a caller may send for them.
RATINGS: dict[str, str] = {
    **RATING_TITLES,
    "achieved": RATING_TITLES[Rating.ACHIEVED],
    "partially_achieved": RATING_TITLES[Rating.PARTIAL],
    "not_achieved": RATING_TITLES[Rating.NOT_ACHIEVED],
}
NOT_RATED = "Ikke vurdert"
RATING_TINT = {
    "Oppnådd": colors.HexColor("#dcefdc"),
    "Delvis oppnådd": colors.HexColor("#fbf0c9"),
    "Ikke oppnådd": colors.HexColor("#f6d5d5"),
}
FORMS = EXERCISE_FORM_TITLES
# The action plan's statuses as the PDF words them: an open action is «Planlagt».
ACTION_STATUS = {
    "planned": "Planlagt",
    "planlagt": "Planlagt",
    "started": ACTION_STATUS_TITLES[ActionStatus.IN_PROGRESS],
    "in_progress": ACTION_STATUS_TITLES[ActionStatus.IN_PROGRESS],
    "pågår": ACTION_STATUS_TITLES[ActionStatus.IN_PROGRESS],
    "done": ACTION_STATUS_TITLES[ActionStatus.DONE],
    "utført": ACTION_STATUS_TITLES[ActionStatus.DONE],
}
LESSON_KINDS = (("bevare", "Dette fungerte og bør bevares"), ("forbedre", "Dette bør forbedres"))


def rating_label(rating: str | None) -> str:
    """Return the Norwegian label of a goal rating; raise ValueError for an unknown rating."""
    if rating is None or rating == "":
        return NOT_RATED
    label = RATINGS.get(str(rating).strip().lower())
    if label is None:
        raise ValueError(f"ukjent vurdering av måloppnåelse: {rating!r}")
    return label


def build_evaluation(data: dict[str, Any]) -> bytes:
    """Return the evaluation report of an exercise as PDF bytes."""
    plan = data.get("plan") or {}
    objectives = data.get("objectives") or []
    ratings = [rating_label(objective.get("rating")) for objective in objectives]
    form = FORMS.get(str(plan.get("form") or "").lower(), plan.get("form"))

    meta = ReportMeta(
        title=f"Evaluering – {plan.get('title') or 'øvelse'}",
        subtitle=" · ".join(
            part for part in (form, format_date(plan.get("date")) if plan.get("date") else None) if part
        )
        or None,
        exercise=bool(data.get("exercise", True)),
        draft=bool(data.get("draft", False)),
        generated_at=to_datetime(data.get("generated_at")),
    )

    story: list[Flowable] = [
        *section_heading("1. Om øvelsen"),
        key_value_block(
            [
                ("Øvelse", plan.get("title")),
                ("Øvelsesform", form),
                ("Dato", format_date(plan.get("date"))),
                ("Sted", plan.get("location")),
                ("Øvingsleder / arrangør", plan.get("organiser")),
                ("Deltakere", ", ".join(plan.get("participants") or []) or None),
                ("Formål", plan.get("purpose")),
            ]
        ),
    ]
    if data.get("summary"):
        story += [*section_heading("Sammendrag", level=2), *text_block(data["summary"])]

    story += _objective_section(objectives, ratings)
    story += _observation_section(data.get("observations") or [])
    story += _lesson_section(data.get("lessons") or [])
    story += _action_plan_section(data.get("action_plan") or [])
    return render_pdf(meta, story)


def _objective_section(objectives: list[dict[str, Any]], ratings: list[str]) -> list[Flowable]:
    counts = Counter(ratings)
    summary = ", ".join(
        f"{counts[label]} {label.lower()}"
        for label in ("Oppnådd", "Delvis oppnådd", "Ikke oppnådd", NOT_RATED)
        if counts[label] or label != NOT_RATED
    )
    rows = [
        [objective.get("id"), objective.get("text"), rating, objective.get("reasoning")]
        for objective, rating in zip(objectives, ratings, strict=True)
    ]
    # The rating is written out in words; the tint only repeats it.
    tints = [
        ("BACKGROUND", (2, row), (2, row), RATING_TINT[rating])
        for row, rating in enumerate(ratings, start=1)
        if rating in RATING_TINT
    ]
    story: list[Flowable] = [*section_heading("2. Øvingsmål og måloppnåelse")]
    if objectives:
        story.append(paragraph(f"{len(objectives)} øvingsmål: {summary}."))
    story.append(
        data_table(
            ["Mål", "Beskrivelse", "Vurdering", "Begrunnelse"],
            rows,
            col_widths=[0.08, 0.36, 0.16, 0.40],
            extra_styles=tints,
            empty="Ingen øvingsmål er registrert.",
        )
    )
    return story


def _observation_section(observations: list[dict[str, Any]]) -> list[Flowable]:
    ordered = sorted(observations, key=_observation_order)
    rows = [
        [
            observation.get("objective") or "Generelt",
            format_datetime(observation.get("at"), with_year=False) if observation.get("at") else None,
            observation.get("observer"),
            observation.get("text"),
        ]
        for observation in ordered
    ]
    return [
        *section_heading("3. Observasjoner"),
        data_table(
            ["Mål", "Tid", "Observatør", "Observasjon"],
            rows,
            col_widths=[0.1, 0.14, 0.18, 0.58],
            empty="Ingen observasjoner er registrert.",
        ),
    ]


def _observation_order(observation: dict[str, Any]) -> tuple[Any, ...]:
    # By objective (general ones last), then by time (untimed last).
    at = to_datetime(observation.get("at"))
    objective = observation.get("objective")
    return (objective is None, str(objective or ""), at is None, at.timestamp() if at else 0.0)


def _lesson_section(lessons: list[dict[str, Any]]) -> list[Flowable]:
    story: list[Flowable] = [*section_heading("4. Læringspunkter")]
    if not lessons:
        return [*story, paragraph("Ingen læringspunkter er registrert.", "small")]
    known = {kind for kind, _ in LESSON_KINDS}
    for kind, heading in LESSON_KINDS:
        texts = [lesson.get("text") for lesson in lessons if lesson.get("kind") == kind]
        if texts:
            story += [*section_heading(heading, level=2), *bullet_list(texts)]
    other = [lesson.get("text") for lesson in lessons if lesson.get("kind") not in known]
    if other:
        if len(story) > 2:
            story += section_heading("Andre læringspunkter", level=2)
        story += bullet_list(other)
    return story


def _action_plan_section(actions: list[dict[str, Any]]) -> list[Flowable]:
    rows = [
        [
            str(number),
            action.get("action"),
            action.get("owner"),
            format_date(action.get("deadline")),
            ACTION_STATUS.get(str(action.get("status") or "").lower(), action.get("status") or "Planlagt"),
        ]
        for number, action in enumerate(actions, start=1)
    ]
    return [
        *section_heading("5. Tiltaksplan"),
        data_table(
            ["Nr.", "Tiltak", "Ansvarlig", "Frist", "Status"],
            rows,
            col_widths=[0.06, 0.44, 0.24, 0.13, 0.13],
            empty="Ingen tiltak er registrert.",
        ),
    ]
