"""`portal db upgrade` is safe to run twice at once and touches nothing before migrating."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from portal.database import MIGRATIONS

from .factories import PORTAL_CLI

pytestmark = pytest.mark.db
ROOT = Path(__file__).resolve().parents[1]


def test_two_concurrent_upgrades_of_a_fresh_database_both_succeed(database_url, tmp_path,
                                                                   sample_articles):
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "shared",
           "PORTAL_ARTICLES_DIR": str(sample_articles), "PORTAL_INDEX_DIR": str(tmp_path / "ix"),
           "PORTAL_INSTANCE_DIR": str(tmp_path / "instance")}
    runs = [subprocess.Popen([sys.executable, "-c", PORTAL_CLI, "db", "upgrade"], cwd=ROOT, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    for _out, err in outputs:
        assert "no such table" not in err and "rebuilding" not in err
        assert "Error" not in err and "Traceback" not in err
    engine = sa.create_engine(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    engine.dispose()
    assert version == ScriptDirectory(MIGRATIONS).get_current_head()
    assert not [p for p in (tmp_path / "ix").glob("gen-*")]  # the index is not built by it


def test_the_steps_of_make_run_print_no_error_and_a_second_start_changes_nothing(
        database_url, tmp_path, sample_articles):
    """`make run` on a fresh machine: migrate, import the articles folder, build the index;
    then the same again, as a restart does."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "shared",
           "PORTAL_ARTICLES_DIR": str(sample_articles), "PORTAL_INDEX_DIR": str(tmp_path / "ix"),
           "PORTAL_INSTANCE_DIR": str(tmp_path / "instance")}

    def start() -> list[str]:
        outputs = []
        for step in (["db", "upgrade"], ["articles", "import"], ["index", "sync"]):
            run = subprocess.run([sys.executable, "-c", PORTAL_CLI, *step], cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=300)
            assert run.returncode == 0, (step, run.stdout, run.stderr)
            assert "Error" not in run.stderr and "Traceback" not in run.stderr, run.stderr
            outputs.append(run.stdout)
        return outputs

    first = start()
    assert "7 created" in first[1] and "updated" in first[2]
    again = start()
    assert "0 created, 0 updated" in again[1] and "already current" in again[2]
