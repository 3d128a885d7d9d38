"""`portal tokens create NAME --scope read|write` prints the secret once as its last
line; `portal tokens revoke NAME` makes it stop working at once."""
from __future__ import annotations

import pytest

from portal.accounts.models import ApiToken
from portal.extensions import db

pytestmark = pytest.mark.db


def _create(runner, name, scope):
    result = runner.invoke(args=["tokens", "create", name, "--scope", scope])
    assert result.exit_code == 0, result.output
    return result.output.strip().splitlines()[-1]


def test_a_read_token_from_the_cli_opens_the_api_and_revoking_closes_it(runner, client,
                                                                         sample_articles):
    secret = _create(runner, "ci", "read")
    assert secret.startswith("hp_")
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/search?q=退款", headers=headers).status_code == 200
    assert runner.invoke(args=["tokens", "revoke", "ci"]).exit_code == 0
    assert client.get("/api/v1/search?q=退款", headers=headers).status_code == 401


def test_write_scope_and_unknown_names(runner, app):
    secret = _create(runner, "helpdesk", "write")
    with app.app_context():
        token = db.session.query(ApiToken).filter_by(name="helpdesk").one()
        assert token.scope == "read-write" and secret.startswith(token.prefix)
    assert runner.invoke(args=["tokens", "revoke", "nobody"]).exit_code == 1
    assert runner.invoke(args=["tokens", "create", "x", "--scope", "admin"]).exit_code == 2
