"""Pages for the rest of issue 16: editing and deactivating people in the directory, the referat's approval, the
formannskap questions, the attachment upload form and the knowledge base on the Oversiktsbilde page."""

import pytest

from beredskap.cooperation import hooks
from tests.conftest import login


@pytest.fixture
def seeded(app):
    with app.app_context():
        hooks.seed_demo()
    return app


def _page(app, users, role: str, path: str) -> str:
    client = app.test_client()
    login(client, users[role][1], users[role][2])
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def _meeting_id(api_for, year: int, key: str) -> int:
    items = api_for("viewer").get(f"/api/v1/cooperation/annual-cycle/{year}").json["items"]
    return next(item["meeting_id"] for item in items if item["key"] == key)


def test_directory_page_edits_and_deactivates_people_for_writers_only(seeded, users, api_for):
    people = api_for("coordinator").get("/api/v1/cooperation/directory").json["people"]
    person = next(p for p in people if p["function"] == "beredskapssjef")
    writer = _page(seeded, users, "coordinator", "/cooperation/directory")
    assert f'id="edit-person-{person["id"]}"' in writer and f'id="deactivate-person-{person["id"]}"' in writer
    assert f'data-url="/api/v1/cooperation/people/{person["id"]}"' in writer
    assert "Sikkerhet- og beredskapskoordinator (Kristiansand kommune)" in writer  # a §4 function to choose
    reader = _page(seeded, users, "viewer", "/cooperation/directory")
    assert "edit-person-" not in reader and "deactivate-person-" not in reader

    gone = api_for("coordinator").patch(
        f"/api/v1/cooperation/people/{person['id']}", json={"active": False, "version": person["version"]}
    )
    assert gone.status_code == 200
    writer = _page(seeded, users, "coordinator", "/cooperation/directory")
    assert 'id="inactive-people"' in writer and f'id="reactivate-person-{person["id"]}"' in writer
    assert f'id="edit-person-{person["id"]}"' not in writer
    assert 'id="inactive-people"' not in _page(seeded, users, "viewer", "/cooperation/directory")


def test_meeting_page_has_referat_approval_questions_and_the_upload_form(seeded, users, api_for):
    # The demo's spring formannskap 2026 is held: its referat waits for both ledergrupper.
    held = _meeting_id(api_for, 2026, "formannskap-var")
    kfk = _page(seeded, users, "prevention_coordinator", f"/cooperation/meetings/{held}")
    police = _page(seeded, users, "police", f"/cooperation/meetings/{held}")
    viewer = _page(seeded, users, "viewer", f"/cooperation/meetings/{held}")
    assert 'id="approve-minutes-kommune"' in kfk and 'id="approve-minutes-politi"' not in kfk
    assert 'id="approve-minutes-politi"' in police and 'id="send-minutes"' in kfk
    assert "approve-minutes-" not in viewer and 'id="send-minutes"' not in viewer
    # Formannskap: its theme with the Oversiktsbilde, and the questions.
    assert 'id="questions-region"' in viewer and "Barne- og ungdomskriminalitet" in viewer
    assert "/cooperation/oversiktsbilde/2026" in viewer
    assert 'id="new-question"' in kfk and 'id="new-question"' not in viewer
    # A held meeting's saksliste is closed: no upload form.
    assert 'id="attachments-region"' in kfk and 'id="attachment-form"' not in kfk

    draft = _meeting_id(api_for, 2027, "politirad-var")
    page = _page(seeded, users, "prevention_coordinator", f"/cooperation/meetings/{draft}")
    assert 'id="attachment-form"' in page and "data-multipart" in page
    assert f'data-url="/api/v1/cooperation/meetings/{draft}/attachments"' in page
    assert 'name="file"' in page and "PDF, DOCX eller ODT, maks 10 MB" in page
    assert 'id="questions-region"' not in page  # a politiråd has no questions from the politicians
    assert 'id="attachment-form"' not in _page(seeded, users, "viewer", f"/cooperation/meetings/{draft}")


def test_oversiktsbilde_page_shows_team_sources_and_the_trusselvurdering(seeded, users, api_for):
    kfk = api_for("prevention_coordinator")
    current = kfk.get("/api/v1/cooperation/oversiktsbilde/2026").json
    kfk.patch(
        "/api/v1/cooperation/oversiktsbilde/2026",
        json={
            "team": [
                {"role": "analytiker_politi", "name": "Analytiker Politi", "organisation": "Agder politidistrikt"}
            ],
            "sources": {"ungdata": {"year": 2025}},
            "version": current["version"],
        },
    )
    kfk.patch(
        "/api/v1/cooperation/trusselvurdering/2026",
        json={
            "summary": "Offentlig versjon.",
            "published_on": "2026-02-12",
            "url": "https://example.no/tv.pdf",
            "version": 0,
        },
    )
    page = _page(seeded, users, "viewer", "/cooperation/oversiktsbilde/2026")
    assert "Analytiker Politi" in page and "Analytiker i politiet" in page
    assert "Ungdomsundersøkelsen: 2025" in page
    assert "Trusselvurdering for Agder 2026" in page and "Offentlig versjon." in page
    assert 'href="https://example.no/tv.pdf"' in page
