"""A web worker refuses to serve when it cannot serve correctly; CLI commands never check."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask_migrate import upgrade

from portal import create_app, serving

from .factories import free_port, sync_articles

pytestmark = pytest.mark.db
ROOT = Path(__file__).resolve().parents[1]


def test_a_migrated_app_may_serve(app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "shared")
    assert serving.refusals(app) == []


def test_a_schema_behind_is_refused_with_the_command_to_run(app_config, instance_dir):
    app = create_app(app_config, instance_path=instance_dir)  # never migrated
    [problem] = [p for p in serving.refusals(app) if "schema" in p]
    assert "portal db upgrade" in problem
    with pytest.raises(SystemExit, match="will not serve"):
        serving.refuse_unless_fit(app)
    with app.app_context():
        upgrade()
    assert not [p for p in serving.refusals(app) if "schema" in p]


def test_postgresql_needs_a_shared_secret_key(app, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    refused = any("SECRET_KEY" in p for p in serving.refusals(app))
    assert refused == (serving.db_dialect(app) == "postgresql")


def test_an_instance_folder_that_cannot_be_written_is_refused(app, tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "shared")
    app.instance_path = str(tmp_path / "not-a-folder")
    (tmp_path / "not-a-folder").write_text("a file where the folder should be")
    [problem] = serving.refusals(app)
    assert "instance folder" in problem and "PORTAL_INSTANCE_DIR" in problem


def test_portal_instance_dir_moves_the_instance_folder(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({k: v for k, v in app_config.items() if k != "SECRET_KEY"})
    assert app.instance_path == str(tmp_path / "elsewhere")
    assert (tmp_path / "elsewhere" / "secret_key").read_text() == app.config["SECRET_KEY"]


def test_gunicorn_refuses_to_start_on_a_database_that_is_behind(tmp_path, sample_articles):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
           "PORTAL_ARTICLES_DIR": str(sample_articles), "PORTAL_INDEX_DIR": str(tmp_path / "ix"),
           "PORTAL_INSTANCE_DIR": str(tmp_path / "instance")}
    started = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", "127.0.0.1:0",
         "-w", "1", "portal:create_app()"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert started.returncode != 0
    assert "Help Portal will not serve: the database schema is at nothing" in started.stderr


def test_gunicorn_loads_the_articles_once_before_forking_its_workers(app, sample_articles,
                                                                     tmp_path):
    sync_articles(app)  # the folder's articles into the database, as `make run` imports them
    port = free_port()
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "SECRET_KEY": "shared", "PORTAL_ARTICLES_DIR": str(sample_articles),
           "PORTAL_INDEX_DIR": app.config["INDEX_DIR"],
           "PORTAL_INSTANCE_DIR": str(tmp_path / "instance")}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "-b", f"127.0.0.1:{port}",
         "-w", "2", "portal:create_app()"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in server.stderr:
            lines.append(line)
            if "Booting worker" in line:
                break
        assert any("loaded 7 articles before forking the workers" in line for line in lines), lines
        page = None
        for _attempt in range(600):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/refunds",
                                            timeout=30) as answer:
                    page = answer.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.1)
        assert page is not None and "退款与退货" in page
    finally:
        server.terminate()
        server.wait(60)
        server.stderr.close()
