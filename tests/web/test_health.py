"""/healthz and /readyz for load balancers."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from portal import create_app
from portal.database import MIGRATIONS
from portal.extensions import db

from ..factories import free_port

pytestmark = pytest.mark.db
HEAD = ScriptDirectory(MIGRATIONS).get_current_head()
UNREACHABLE = f"postgresql://postgres@127.0.0.1:{free_port()}/nothing"  # connection refused


def test_healthz_answers_without_the_database(app_config, instance_dir):
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": UNREACHABLE},
                     instance_path=instance_dir)
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "alive"}


def test_readyz_reports_schema_articles_and_index_lag(app, client, sample_articles):
    client.get("/search?q=退款")  # builds the index from the files
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ready" and body["schema"] == HEAD
    assert body["articles"] == 7 and body["index_lag_seconds"] == 0


def test_readyz_is_503_while_the_schema_is_behind(app, client):
    with app.app_context():
        with db.engine.begin() as conn:
            conn.execute(sa.text("UPDATE alembic_version SET version_num = '0004'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "not ready" and response.get_json()["schema"] == "0004"


def test_readyz_is_503_when_the_database_does_not_answer(app_config, instance_dir):
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": UNREACHABLE},
                     instance_path=instance_dir)
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and response.get_json()["database"].startswith("unavailable")
