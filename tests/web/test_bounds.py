"""Issue 18, finding 12: huge numeric ids and page numbers answer 404 (or the first page),
never a database error, on every staff endpoint."""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

pytestmark = pytest.mark.db

HUGE = "99999999999999999999"


@pytest.fixture
def admin_client(client, make_user, login, sample_articles):
    login(make_user("admin"))
    return client


def test_every_route_with_a_numeric_id_answers_404_for_a_huge_one(app, admin_client):
    routes = [rule for rule in app.url_map.iter_rules()
              if any(isinstance(c, IntegerConverter) for c in rule._converters.values())]
    assert len(routes) >= 8
    for rule in routes:
        path = rule.rule
        for name, converter in rule._converters.items():
            value = HUGE if isinstance(converter, IntegerConverter) else "refunds"
            path = path.replace(f"<int:{name}>", value).replace(f"<{name}>", value)
        method = "GET" if "GET" in rule.methods else "POST"
        response = admin_client.open(path, method=method)
        assert response.status_code == 404, (method, path, response.status_code)


@pytest.mark.parametrize("method, path, data", [
    ("GET", f"/editor/articles/refunds/diff?a={HUGE}&b={HUGE}", None),
    ("POST", "/ops/suggestions/draft", {"run": HUGE, "group": HUGE}),
    ("POST", "/ops/suggestions/aliases", {"run": HUGE, "group": "0", "slug": "refunds"}),
])
def test_huge_ids_in_queries_and_forms_are_404(admin_client, method, path, data):
    assert admin_client.open(path, method=method, data=data).status_code == 404


@pytest.mark.parametrize("path", [f"/ops/queue?page={HUGE}", f"/agent/tickets?page={HUGE}"])
def test_a_huge_page_number_shows_a_page(admin_client, path):
    assert admin_client.get(path).status_code == 200
