"""`portal users create/list`: passwords from standard input, clear errors."""
from __future__ import annotations

import pytest

from portal.accounts import users as accounts

pytestmark = pytest.mark.db


def test_create_reads_the_password_from_stdin_and_list_shows_it(app, runner):
    result = runner.invoke(args=["users", "create", "Ops@Example.com", "--role", "editor"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    listing = runner.invoke(args=["users", "list"])
    assert "ops@example.com\teditor\tactive" in listing.output
    with app.app_context():
        assert accounts.authenticate("ops@example.com", "a long enough password")


def test_create_refuses_short_passwords_duplicates_and_bad_roles(app, runner):
    short = runner.invoke(args=["users", "create", "a@example.com", "--role", "agent"], input="short\n")
    assert short.exit_code == 1
    assert short.output.strip().endswith("密码至少需要 10 个字符。")
    runner.invoke(args=["users", "create", "a@example.com", "--role", "agent"],
                  input="a long enough password\n")
    again = runner.invoke(args=["users", "create", "a@example.com", "--role", "agent"],
                          input="a long enough password\n")
    assert again.exit_code == 1 and "a@example.com" in again.output
    bad_role = runner.invoke(args=["users", "create", "b@example.com", "--role", "root"])
    assert bad_role.exit_code == 2


def test_admin_page_adds_disables_and_changes_roles(app, client, make_user, login):
    admin = login(make_user("admin"))
    response = client.post("/admin/users", data={
        "new-email": "agent1@example.com", "new-role": "agent", "new-password": "agent password 1",
        "new-display_name": "小王"})
    assert response.status_code == 302
    with app.app_context():
        user = accounts.find_by_email("agent1@example.com")
        uid = user.id
    client.post(f"/admin/users/{uid}", data={f"u{uid}-role": "editor", f"u{uid}-active": ""})
    client.post(f"/admin/users/{uid}", data={f"u{uid}-role": "editor", f"u{uid}-active": "0"})
    with app.app_context():
        user = accounts.find_by_email("agent1@example.com")
        assert (user.role, user.active) == ("editor", False)
        assert accounts.authenticate("agent1@example.com", "agent password 1") is None
    own = client.post(f"/admin/users/{admin.id}", data={f"u{admin.id}-role": "agent",
                                                         f"u{admin.id}-active": ""})
    assert own.status_code == 302
    with app.app_context():
        assert accounts.find_by_email(admin.email).role == "admin"
