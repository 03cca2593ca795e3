"""The data step of migration c16b4d2e8a90 on a live database: every politiråd not yet held gets the standing item
«Felles fokusområder og tiltak», and an existing crisis organisation gets the Arbeidsutvalget's leader (issue 16).

Run on SQLite and PostgreSQL through the real `flask db upgrade`, like tests/test_migrations.py."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import MetaData, create_engine, select

from tests.conftest import cli

BEFORE = "b15a0c3e7d21"


def _meeting(kind: str, status: str, **extra) -> dict:
    row = {
        "kind": kind,
        "year": 2027,
        "title": f"{kind} {status}",
        "location": "",
        "chair": "",
        "secretary": "",
        "members": [],
        "invited": [],
        "present": [],
        "absent": [],
        "minutes_notes": "",
        "status": status,
        "approved_kommune_by": "",
        "approved_politi_by": "",
        "approved_politi_station": "",
        "created_at": datetime(2026, 12, 1, tzinfo=UTC),
        "version": 1,
    }
    return {**row, **extra}


def _item(meeting_id: int, number: str, title: str, *, standing: bool = False) -> dict:
    return {
        "meeting_id": meeting_id,
        "position": 1,
        "number": number,
        "title": title,
        "kind": "orientering",
        "note": "",
        "presenter": "",
        "proposal": "",
        "minutes": "",
        "standing": standing,
        "focus_area_ids": [],
        "version": 1,
    }


@pytest.mark.slow  # `flask db upgrade` in a process of its own, twice
@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_upgrade_adds_the_standing_item_to_politirad_meetings_not_yet_held(kind, tmp_path, request):
    url = request.getfixturevalue("pg_schema").url if kind == "postgresql" else f"sqlite:///{tmp_path / 'live.db'}"
    instance = tmp_path / "instance"
    old = cli(url, instance, "db", "upgrade", BEFORE)
    assert old.returncode == 0, old.stderr

    engine = create_engine(url)
    meta = MetaData()
    meta.reflect(engine, only=["coop_meetings", "coop_agenda_items", "roster_positions"])
    meetings, items, positions = (meta.tables[n] for n in ("coop_meetings", "coop_agenda_items", "roster_positions"))
    approved = {"approved_kommune_at": datetime(2026, 12, 1, tzinfo=UTC), "approved_kommune_by": "KFK"}
    with engine.begin() as conn:
        ids = {}
        for name, row in (
            ("draft", _meeting("politirad", "draft", **approved)),
            ("sent", _meeting("politirad", "sent", **approved, approved_politi_by="Politiet")),
            ("held", _meeting("politirad", "held")),
            ("formannskap", _meeting("formannskap", "draft")),
            ("has_it", _meeting("politirad", "draft")),
        ):
            ids[name] = conn.execute(meetings.insert().values(**row)).inserted_primary_key[0]
        conn.execute(items.insert().values(**_item(ids["held"], "1/27", "Trygt uteliv")))
        conn.execute(items.insert().values(**_item(ids["draft"], "2/27", "Skolevegring")))
        conn.execute(
            items.insert().values(**_item(ids["has_it"], "3/27", "Felles fokusområder og tiltak", standing=True))
        )
        conn.execute(
            positions.insert().values(
                key="kriseledelse.ordforer",
                team="kriseledelse",
                title="Ordfører",
                sort_order=0,
                created_at=datetime(2026, 12, 1, tzinfo=UTC),
                version=1,
            )
        )
    engine.dispose()

    new = cli(url, instance, "db", "upgrade")
    assert new.returncode == 0, new.stderr

    engine = create_engine(url)
    with engine.connect() as conn:
        standing = {
            meeting_id: (number, position)
            for meeting_id, number, position in conn.execute(
                select(items.c.meeting_id, items.c.number, items.c.position).where(items.c.standing.is_(True))
            )
        }
        approvals = dict(conn.execute(select(meetings.c.id, meetings.c.approved_kommune_by)).all())
        leader = conn.execute(
            select(positions.c.team, positions.c.title).where(positions.c.key == "arbeidsutvalg_kriseledelse.leder")
        ).one()
    engine.dispose()

    # Numbered after the highest saksnummer of the year's politiråd meetings, first on the saksliste.
    assert standing[ids["draft"]] == ("4/27", 0)
    assert standing[ids["sent"]] == ("5/27", 0)
    assert standing[ids["has_it"]] == ("3/27", 1)  # it had one already: not a second
    assert ids["held"] not in standing and ids["formannskap"] not in standing
    # The draft's saksliste changed, so its approval is withdrawn; a sent saksliste keeps its record.
    assert approvals[ids["draft"]] == "" and approvals[ids["sent"]] == "KFK"
    assert leader == ("arbeidsutvalg_kriseledelse", "Sikkerhet- og beredskapskoordinator (leder)")
