"""Issue 15, problem 3 (the page's part): a weak result set says "no good answer", still
lists the closest answers and offers to ask.

The confidence decision itself belongs to the search engine (`SearchPage.confident`,
the relevance work, which also counts such a search as failed); these tests hand the
page a results page carrying each decision.
"""
from __future__ import annotations

from flask import render_template

from portal.search.base import SearchHit, SearchPage
from portal.search.service import SearchRequest

HIT = SearchHit(slug="invoice", anchor="怎么开发票", kind="question", title="发票说明",
                question="怎么开发票？", snippet_html="在订单详情页申请电子发票。",
                category="订单与支付", lang="zh-Hans", audience="public", score=0.4)


def page(confident: bool) -> SearchPage:
    return SearchPage(query="打印机卡纸怎么办", total=1, page=1, per_page=10, suggestion=None,
                      hits=[HIT], confident=confident, confidence=0.9 if confident else 0.1)


def _render(app, results: SearchPage) -> str:
    with app.test_request_context("/search?q=打印机卡纸怎么办"):
        return render_template("search.html", query=results.query,
                               request_=SearchRequest(query=results.query), results=results,
                               hits=results.hits, confident=results.confident, facets=[],
                               pages=1, public_id="0" * 32,
                               links=["/articles/invoice"] * results.total)


def test_a_weak_set_says_no_good_answer_and_still_lists_the_closest(app, sample_articles):
    html = _render(app, page(confident=False))
    assert "没有找到合适的答案" in html
    assert html.index("没有找到合适的答案") < html.index("怎么开发票？")
    assert 'href="/ask"' in html.split('class="weak-results"')[1].split("</section>")[0]


def test_a_confident_set_has_no_warning(app, sample_articles):
    assert 'class="weak-results"' not in _render(app, page(confident=True))


def test_a_weak_search_through_the_engine_shows_the_notice(client, sample_articles):
    html = client.get("/search", query_string={"q": "打印机的发票丢了"}).get_data(as_text=True)
    assert 'class="result"' in html and 'class="weak-results"' in html
