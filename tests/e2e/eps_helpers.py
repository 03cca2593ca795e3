"""Shared steps of the EPS e2e tests: a desk says why it reads personal data before any name is shown."""


def pick_purpose(page, server, eps_id: int, index: int = 0) -> None:
    """Pick a purpose for the centre in this browser session, as the desk's purpose form does (issue 17).

    Through the page's own request context, so the choice lands in the browser's session cookie."""
    token = page.evaluate("document.querySelector('meta[name=csrf-token]').content")
    listed = page.request.get(f"{server.url}/api/v1/eps/{eps_id}/purpose").json()["purposes"]
    response = page.request.post(
        f"{server.url}/api/v1/eps/{eps_id}/purpose",
        data={"purpose_id": listed[index]["id"]},
        headers={"X-CSRFToken": token},
    )
    assert response.status == 200, response.text()
