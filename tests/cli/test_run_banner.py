"""`make run` tells a newcomer where to go: the URL, where the demo passwords are, how to stop (issue 21, point 5)."""

import re

import pytest
import requests

from tests.conftest import REPO, cli

pytestmark = pytest.mark.slow  # real server processes and migrations


def _run_recipe() -> list[str]:
    """The commands of the Makefile's `run` target."""
    text = (REPO / "Makefile").read_text()
    recipe = re.search(r"^run:.*\n((?:\t.*\n)+)", text, re.MULTILINE)
    assert recipe, "Makefile has no run target"
    return [line.strip() for line in recipe.group(1).splitlines()]


def test_make_run_start_up_output_names_the_url_and_the_credentials_file(server_factory, tmp_path):
    recipe = _run_recipe()
    # What `make run` does after migrating: seed the demo, then serve with the start-up block switched on.
    assert recipe[0].endswith("demo seed")
    assert recipe[-1] == "BEREDSKAP_RUN_BANNER=1 $(PY) wsgi.py"

    url = f"sqlite:///{tmp_path / 'server.db'}"
    instance = server_factory.instance
    from tests.conftest import prepare_database

    prepare_database(url, instance, migrations=True)
    seeded = cli(url, instance, "demo", "seed")
    assert seeded.returncode == 0, seeded.stderr
    server = server_factory(url, skip_migrate=True, env={"BEREDSKAP_RUN_BANNER": "1"})
    assert requests.get(server.url + "/login", timeout=10).status_code == 200

    output = server.log_text()
    credentials = (instance / "demo-credentials.txt").resolve()
    assert credentials.exists()
    assert f"Beredskap kjører på {server.url}" in output
    block = output[output.index("=====") :]
    lines = [line for line in block.splitlines() if line.strip()]
    # One block: a rule, the URL, the credentials file, how to stop, a rule.
    assert lines[0] == lines[4] and set(lines[0]) == {"="}
    assert lines[1] == f"Beredskap kjører på {server.url}"
    assert lines[2] == f"Demobrukere og passord: {credentials}"
    assert lines[3] == "Stopp serveren med Ctrl+C."
    assert sum(1 for line in output.splitlines() if line and set(line) == {"="}) == 2


def test_a_plain_server_logs_where_it_runs_but_prints_no_block(server_factory):
    server = server_factory()
    output = server.log_text()
    assert f"Beredskap kjører på {server.url}" in output
    assert "Demobrukere og passord" not in output
