"""Issue 15, problem 9: a forgotten password is reset by a signed, expiring, one-time link,
sent by an admin, asked for at sign-in, or printed by `portal users reset-password`."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.tickets import mail
from portal.tickets.models import OutboxMessage

from ..factories import PASSWORD

pytestmark = pytest.mark.db
NEW_PASSWORD = "a brand new passphrase"


def mailed_link(app, recipient: str) -> str:
    with app.app_context():
        mail.wait_until_sent()
        bodies = db.session.scalars(select(OutboxMessage.body)
                                    .where(OutboxMessage.recipient == recipient)).all()
    return re.search(r"http://\S+/reset-password/\S+", bodies[-1]).group(0)


def test_an_admin_sends_a_link_that_works_once(app, client, make_user, login):
    agent = make_user("agent")
    login(make_user("admin"))
    assert client.post(f"/admin/users/{agent.id}/reset").status_code == 302
    client.post("/logout")
    link = mailed_link(app, agent.email)
    path = link.split("localhost", 1)[1]
    assert client.get(path).status_code == 200
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "repeat": "something else"})
    assert mismatch.status_code == 400
    done = client.post(path, data={"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/login"
    assert client.post("/login", data={"email": agent.email, "password": PASSWORD}).status_code == 401
    assert client.post("/login", data={"email": agent.email,
                                       "password": NEW_PASSWORD}).status_code == 302
    client.post("/logout")
    used = client.post(path, data={"password": "yet another passphrase",
                                   "repeat": "yet another passphrase"})
    assert used.status_code == 400 and "此密码链接无效" in used.get_data(as_text=True)


def test_links_expire_and_forgeries_fail(make_app, make_user):
    app = make_app(PASSWORD_RESET_SECONDS=-1)  # every link is already too old
    client = app.test_client()
    user = make_user("editor")
    client.post("/login/forgot", data={"email": user.email})
    path = "/reset-password/" + mailed_link(app, user.email).rsplit("/", 1)[1]
    for address in (path, "/reset-password/forged.token.value"):
        refused = client.get(address)
        assert refused.status_code == 400 and "此密码链接无效" in refused.get_data(as_text=True)


def test_asking_at_sign_in_tells_nobody_which_addresses_exist(app, client, make_user):
    user = make_user("agent")
    known = client.post("/login/forgot", data={"email": user.email.upper()})
    unknown = client.post("/login/forgot", data={"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"] == "/login"
    assert "/reset-password/" in mailed_link(app, user.email)
    with app.app_context():
        mail.wait_until_sent()
        assert db.session.scalar(select(OutboxMessage).where(
            OutboxMessage.recipient == "nobody@example.com")) is None


def test_the_cli_prints_a_working_link(app, runner, make_user, client):
    user = make_user("editor")
    result = runner.invoke(args=["users", "reset-password", user.email])
    assert result.exit_code == 0, result.output
    path = "/reset-password/" + result.output.strip().rsplit("/", 1)[1]
    client.post(path, data={"password": NEW_PASSWORD, "repeat": NEW_PASSWORD})
    assert client.post("/login", data={"email": user.email,
                                       "password": NEW_PASSWORD}).status_code == 302
    missing = runner.invoke(args=["users", "reset-password", "nobody@example.com"])
    assert missing.exit_code != 0 and "no active account" in missing.output


def test_only_admins_send_reset_links(client, make_user, login):
    target = make_user("agent")
    login(make_user("editor"))
    assert client.post(f"/admin/users/{target.id}/reset").status_code == 403
