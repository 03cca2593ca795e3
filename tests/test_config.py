"""Configuration: secret key handling and SQLite set-up for concurrent writers."""

import os
import stat

import pytest
from sqlalchemy import text

from beredskap import create_app
from beredskap.config import load_config
from beredskap.extensions import db


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("BEREDSKAP_ENV", raising=False)
    first = load_config(str(tmp_path))["SECRET_KEY"]
    second = load_config(str(tmp_path))["SECRET_KEY"]
    assert first == second and len(first) >= 40
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def test_production_requires_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("BEREDSKAP_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        load_config(str(tmp_path))
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_to_start_without_public_base_url(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("BEREDSKAP_ENV", "production")
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
        load_config(str(tmp_path))
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://beredskap.kristiansand.kommune.no")
    assert load_config(str(tmp_path))["PUBLIC_BASE_URL"] == "https://beredskap.kristiansand.kommune.no"
    monkeypatch.delenv("BEREDSKAP_ENV")
    monkeypatch.delenv("PUBLIC_BASE_URL")
    assert load_config(str(tmp_path))["PUBLIC_BASE_URL"] == "http://127.0.0.1:5000"


def test_sqlite_runs_in_wal_mode_with_busy_timeout(app):
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() >= 1000
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("BEREDSKAP_INSTANCE_PATH", str(tmp_path / "inst"))
    app = create_app({"SECRET_KEY": "k" * 32})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(tmp_path / "inst" / "beredskap.db")
