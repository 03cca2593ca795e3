"""Malformed input gets a clear 4xx on every database, never a driver error (R6)."""


def test_huge_ids_are_unknown_not_errors(any_app, users):
    from tests.conftest import Api, gen_user

    token = gen_user(any_app, "admin")[3]
    api = Api(any_app.test_client(), token)
    for path in ("/api/v1/incidents/99999999999", "/api/v1/tasks/2147483648", "/api/v1/eps/99999999999999999999"):
        response = api.get(path)
        assert response.status_code in (404, 405), path
    response = api.patch("/api/v1/tasks/99999999999", json={"version": 1})
    assert response.status_code in (404, 405) and response.json["error"]["message"]


def test_nul_characters_nan_and_huge_numbers_are_refused(any_app):
    from tests.conftest import Api, gen_user

    api = Api(any_app.test_client(), gen_user(any_app, "coordinator")[3])
    assert api.post("/api/v1/incidents", json={"title": "Nul\x00tegn"}).status_code == 422
    big = api.post("/api/v1/incidents", json={"title": "Stor", "severity": 10**30})
    assert big.status_code == 422
    nan = api.client.post(
        "/api/v1/incidents",
        data='{"title": "x", "severity": NaN}',
        headers={"Authorization": f"Bearer {api.token}", "Content-Type": "application/json"},
    )
    assert nan.status_code == 422
    nested: list = [1]
    for _ in range(25):
        nested = [nested]
    deep = api.post("/api/v1/incidents", json={"title": "dyp", "x": nested})
    assert deep.status_code == 400
    listing = api.get("/api/v1/incidents").json["incidents"]
    assert listing == []
