"""Small policies with one source: e-mail addresses, article addresses and flag reasons.

Each used to be written out in several places that could disagree; these tests catch the
places drifting apart again through the routes and commands people actually use.
"""
from __future__ import annotations

import pytest

from portal.accounts import users as accounts
from portal.feedback.models import FLAG_REASONS

from ..factories import write_article

# Each passes a "something@something.something" regex but is not an e-mail address.
NOT_ADDRESSES = ["first..last@example.com", "user@-example.com", "user@example..com"]


@pytest.mark.parametrize("address", NOT_ADDRESSES)
def test_the_cli_and_the_admin_page_refuse_the_same_addresses(app, runner, client, make_user,
                                                              login, address):
    result = runner.invoke(args=["users", "create", address, "--role", "agent"],
                           input="a long enough password\n")
    assert result.exit_code == 1 and address in result.output
    login(make_user("admin"))
    page = client.post("/admin/users", data={"new-email": address, "new-role": "agent",
                                             "new-password": "a long enough password"})
    assert page.status_code == 200
    with app.app_context():
        assert accounts.find_by_email(address) is None


def test_an_article_has_one_address_in_the_api_search_and_pages(client, sample_articles):
    write_article(sample_articles, "orders/中文地址.md", "发货时间说明",
                  "## 多久发货？\n\n下单后 48 小时内发货。", slug="发货时间", category="订单与支付")
    article = client.get("/api/v1/articles/发货时间").get_json()
    hits = client.get("/api/v1/search", query_string={"q": "多久发货"}).get_json()["results"]
    question_hit = next(hit for hit in hits if hit["article"] == "发货时间" and hit["anchor"])
    assert question_hit["url"] == article["questions"][0]["url"]
    assert article["questions"][0]["url"] == f"{article['url']}#{question_hit['anchor']}"
    assert client.get(article["url"]).status_code == 200


def test_staff_are_offered_exactly_the_flag_reasons_the_model_stores(app, client, make_user,
                                                                     login, sample_articles):
    login(make_user("agent"))
    page = client.get("/articles/refunds").get_data(as_text=True)
    offered = [reason for reason in FLAG_REASONS if f'<option value="{reason}">' in page]
    assert offered == list(FLAG_REASONS)
    for reason in FLAG_REASONS:
        response = client.post("/agent/flags", data={"slug": "refunds", "reason": reason})
        assert response.status_code == 302
    assert client.post("/agent/flags", data={"slug": "refunds", "reason": "bored"}).status_code == 400
