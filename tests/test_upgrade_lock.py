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
