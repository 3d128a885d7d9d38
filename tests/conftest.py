"""Shared fixtures: temporary articles and index, a migrated database, the app and client.

Tests marked `db` run twice: on a fresh SQLite file and on a real PostgreSQL server
(`PORTAL_TEST_POSTGRES_URL`, set by .ci/run). Each run creates its own PostgreSQL
database and drops it at the end.

No test may touch the project's own `instance/` folder (the developer's database, secret
key and write lock): every app gets a temporary instance folder and database, and an
automatic check fails any test that creates or changes anything there.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from portal.accounts import users as accounts
from portal import create_app
from portal.extensions import db

from .factories import PASSWORD, REFUNDS_BODY, CatchingUpClient, sync_articles, write_article

POSTGRES_URL = os.environ.get("PORTAL_TEST_POSTGRES_URL")
PROJECT_INSTANCE = Path(__file__).resolve().parents[1] / "instance"


def folder_state(folder: Path) -> dict[str, tuple[int, int]] | None:
    """(mtime, size) of everything under folder, or None when it does not exist."""
    if not folder.exists():
        return None
    return {path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.stat().st_size)
            for path in folder.rglob("*")}


@pytest.fixture(autouse=True)
def project_instance_untouched():
    """Fail a test that created or changed anything in the project's instance/ folder."""
    before = folder_state(PROJECT_INSTANCE)
    yield
    assert folder_state(PROJECT_INSTANCE) == before, (
        f"the test touched {PROJECT_INSTANCE}: give its app instance_path=instance_dir "
        "and a temporary database")


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames and metafunc.definition.get_closest_marker("db"):
        metafunc.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def postgres_server_url():
    """A throw-away PostgreSQL database for this test run, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests need PORTAL_TEST_POSTGRES_URL (set by .ci/run)")
    admin = sa.create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1),
                             isolation_level="AUTOCOMMIT")
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = admin.url.set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.execute(sa.text(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture
def database_url(request, tmp_path):
    """SQLite by default; PostgreSQL as the second run of tests marked `db`."""
    if getattr(request, "param", "sqlite") == "postgresql":
        url = request.getfixturevalue("postgres_server_url")
        engine = sa.create_engine(url)
        with engine.begin() as conn:  # every test starts from an empty schema
            conn.execute(sa.text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
        return url
    return f"sqlite:///{tmp_path / 'portal.sqlite3'}"


@pytest.fixture
def instance_dir(tmp_path):
    """The app's instance folder (secret key, write lock) for one test, never the project's."""
    return str(tmp_path / "instance")


@pytest.fixture
def articles_dir(tmp_path):
    """An empty articles folder for one test."""
    folder = tmp_path / "articles"
    folder.mkdir()
    return folder


@pytest.fixture
def sample_articles(articles_dir):
    """A small help centre: public, draft, archived and internal articles."""
    write_article(articles_dir, "orders/refunds.md", "退款与退货", REFUNDS_BODY, slug="refunds",
                  category="订单与支付", tags=["退款", "退货"], aliases=["钱什么时候退回来"])
    write_article(articles_dir, "orders/invoice.md", "发票说明",
                  "## 怎么开发票？\n\n在订单详情页申请电子发票。", slug="invoice",
                  category="订单与支付", tags=["发票", "退款"])
    write_article(articles_dir, "account/password-en.md", "Reset your password",
                  "## How do I reset my password?\n\nUse *Forgot password* on the sign-in page.",
                  slug="password-en", category="账户与安全", lang="en")
    write_article(articles_dir, "account/login-hant.md", "登入問題",
                  "## 帳號無法登入怎麼辦？\n\n請先重設密碼。", slug="login-hant",
                  category="账户与安全", lang="zh-Hant")
    write_article(articles_dir, "draft.md", "未发布的草稿", "## 草稿问题？\n\n草稿内容。",
                  slug="secret-draft", status="draft", category="订单与支付")
    write_article(articles_dir, "archived.md", "旧文章", "## 旧问题？\n\n旧内容。",
                  slug="old-article", status="archived", category="订单与支付")
    write_article(articles_dir, "internal.md", "退款安抚话术", "## 客户催退款怎么回复？\n\n"
                  "{{customer_name}} 您好。", slug="refund-canned", audience="internal",
                  category="订单与支付")
    return articles_dir


@pytest.fixture
def app_config(tmp_path, articles_dir, database_url):
    """The settings of the app under test; tests may change them before `app` is built."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "ARTICLES_DIR": str(articles_dir),
        "INDEX_DIR": str(tmp_path / "search_index"),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RESCAN_SECONDS": 0,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
    }


@pytest.fixture
def make_app(app_config, instance_dir):
    """Builds portals on the test's folders and database, with settings changed per call.

    Every app built is torn down the same way: the signal writer drained first, so no
    write is in flight while the engine's connections are closed.
    """
    built = []

    def make(**overrides):
        application = create_app({**app_config, **overrides}, instance_path=instance_dir)
        with application.app_context():
            upgrade()
        sync_articles(application)
        application.test_client_class = CatchingUpClient
        built.append(application)
        return application

    yield make
    for application in built:
        application.extensions["portal.signals"].flush()
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    """The portal on temporary folders with a migrated database."""
    return make_app()


@pytest.fixture
def client(app):
    """A Flask test client; customers are anonymous."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner bound to the app."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a staff account: make_user("editor") → User."""

    def make(role: str, email: str | None = None, password: str = PASSWORD):
        with app.app_context():
            user = accounts.create_user(email or f"{role}-{uuid.uuid4().hex[:6]}@example.com",
                                        password, role)
            db.session.refresh(user)
            db.session.expunge(user)
            return user

    return make


@pytest.fixture
def login(client):
    """Sign the test client in as a user."""

    def sign_in(user, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in
