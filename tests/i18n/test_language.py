"""The chosen language reaches the page (<html lang>, server text) and the scripts (the served catalogue)."""

from tests.conftest import login


def test_the_script_catalogue_is_served_with_an_etag(client):
    first = client.get("/i18n/en.json")
    assert first.status_code == 200
    strings = first.get_json()
    assert strings["tilkoblet"] == "connected"
    assert strings["Ingen forbindelse med serveren. Prøv igjen når nettet er tilbake."].startswith("No connection")
    # Only what the scripts use: a template-only string stays out of the scripts' catalogue.
    assert "Hopp til innholdet" not in strings
    again = client.get("/i18n/en.json", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    script = client.get("/i18n/en.js")
    assert script.mimetype == "text/javascript"
    assert script.get_data(as_text=True).startswith("window.BEREDSKAP_I18N = {")


def test_norwegian_needs_no_catalogue_and_unknown_languages_are_404(client):
    assert client.get("/i18n/nb.json").get_json() == {}
    assert client.get("/i18n/xx.json").status_code == 404


def test_the_english_switch_sets_html_lang_and_loads_the_catalogue(client, users):
    _id, username, password, _token = users["coordinator"]
    login(client, username, password)
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="nb">' in page
    assert "/i18n/" not in page
    client.get("/lang/en?next=/")
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert 'src="/i18n/en.js"' in page
    assert "Skip to content" in page and "Hopp til innholdet" not in page
    assert ">Incidents<" in page  # the navigation, translated at request time


def test_template_dates_follow_the_language(app):
    from datetime import date

    from flask import render_template_string, session
    from flask_babel import refresh

    with app.test_request_context("/"):
        assert render_template_string("{{ d|dateformat(date_pattern) }}", d=date(2026, 12, 3)) == "03.12.2026"
        session["lang"] = "en"
        refresh()  # the locale is chosen once a request; the language link does it in its own request
        assert render_template_string("{{ d|dateformat(date_pattern) }}", d=date(2026, 12, 3)) == "3 Dec 2026"
