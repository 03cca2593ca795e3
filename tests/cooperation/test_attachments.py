"""Saksfremlegg and saksnotater on a meeting: PDF, DOCX and ODT checked by content, size-limited, served with the
right headers and read like the meeting (issue 16)."""

import io
import zipfile

import pytest

from tests.conftest import Api, gen_user

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip([("[Content_Types].xml", b"<Types/>"), ("word/document.xml", b"<w:document/>")])
ODT = _zip([("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"<office:document/>")])


@pytest.fixture
def api(any_app):
    any_app.config["COOP_ATTACHMENT_MAX_BYTES"] = 4096
    client = any_app.test_client()
    tokens = {role: gen_user(any_app, role)[3] for role in ("prevention_coordinator", "viewer")}
    return lambda role: Api(client, tokens[role])


def _upload(api, role, meeting_id, name, data, title="Saksfremlegg"):
    return api(role).client.post(
        f"/api/v1/cooperation/meetings/{meeting_id}/attachments",
        data={"file": (io.BytesIO(data), name), "title": title},
        content_type="multipart/form-data",
        headers={"Authorization": f"Bearer {api(role).token}"},
    )


def test_good_attachments_are_stored_and_served_with_the_right_headers(api):
    meeting = (
        api("prevention_coordinator")
        .post("/api/v1/cooperation/meetings", json={"kind": "politirad", "year": 2027})
        .json
    )
    expected = {
        "saksfremlegg.pdf": "application/pdf",
        "saksnotat.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "notat.odt": "application/vnd.oasis.opendocument.text",
    }
    for (name, content_type), data in zip(expected.items(), (PDF, DOCX, ODT), strict=True):
        response = _upload(api, "prevention_coordinator", meeting["id"], name, data)
        assert response.status_code == 201, response.json
        assert response.json["content_type"] == content_type and response.json["size"] == len(data)

    listed = api("viewer").get(f"/api/v1/cooperation/meetings/{meeting['id']}/attachments").json["attachments"]
    assert [a["filename"] for a in listed] == list(expected)
    download = api("viewer").get(listed[1]["url"])
    assert download.status_code == 200 and download.data == DOCX
    assert download.mimetype == expected["saksnotat.docx"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert "no-store" in download.headers["Cache-Control"]
    # Read like the meeting: anonymous 401; an unknown id 404; a viewer may not upload.
    assert api("viewer").client.get(listed[0]["url"]).status_code == 401
    assert api("viewer").get(f"/api/v1/cooperation/attachments/{listed[-1]['id'] + 1}").status_code == 404
    # A new saksfremlegg is part of the saksliste: it withdraws an approval already given.
    assert (
        api("prevention_coordinator")
        .post(f"/api/v1/cooperation/meetings/{meeting['id']}/approve", json={"by": "kommune"})
        .json["approvals"]["kommune"]
    )
    assert _upload(api, "prevention_coordinator", meeting["id"], "nytt.pdf", PDF).status_code == 201
    assert api("viewer").get(f"/api/v1/cooperation/meetings/{meeting['id']}").json["approvals"]["kommune"] is None
    assert _upload(api, "viewer", meeting["id"], "x.pdf", PDF).status_code == 403


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("program.exe", b"MZ\x90\x00"),  # wrong type
        ("stor.pdf", PDF + b"0" * 5000),  # over the size limit
        ("lyver.pdf", b"<html><script>alert(1)</script></html>"),  # lying extension
        ("lyver.docx", PDF),  # a PDF calling itself DOCX
        ("lyver.odt", DOCX),  # a DOCX calling itself ODT
        ("zip.docx", _zip([("a.txt", b"hei")])),  # a zip that is no DOCX
        ("tom.pdf", b""),
    ],
)
def test_wrong_attachments_get_422_and_nothing_is_stored(api, name, data):
    meeting = (
        api("prevention_coordinator")
        .post("/api/v1/cooperation/meetings", json={"kind": "politirad", "year": 2027})
        .json
    )
    response = _upload(api, "prevention_coordinator", meeting["id"], name, data)
    assert response.status_code == 422, response.json
    assert response.json["error"]["fields"]["file"]
    assert api("viewer").get(f"/api/v1/cooperation/meetings/{meeting['id']}/attachments").json["attachments"] == []
