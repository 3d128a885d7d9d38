"""Query words side by side in an answer rank it above one holding them apart, on a real index."""
from __future__ import annotations

import pytest

from portal.search.base import SearchDocument
from portal.search.whoosh.engine import WhooshEngine


def doc(slug: str, body: str, lang: str = "en") -> SearchDocument:
    return SearchDocument(doc_id=slug, slug=slug, anchor="", kind="article", title="Help",
                          question="", body=body, aliases=(), tags=(), category="help",
                          lang=lang, status="published", audience="public", fingerprint="1")


# Each pair holds the same words the same number of times, so BM25 alone ties them and
# the earlier document (the one holding the words apart) would come first.
CORPUS = [
    doc("apart-en", "delete photos page account"),
    doc("adjacent-en", "photos page delete account"),
    doc("apart-zh", "退款 发票 订单 申请", lang="zh-Hans"),
    doc("adjacent-zh", "发票 订单 申请 退款", lang="zh-Hans"),
    doc("other", "shipping parcels arrive in days"),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    engine = WhooshEngine(str(tmp_path_factory.mktemp("proximity") / "index"))
    engine.rebuild(CORPUS)
    yield engine
    engine.close()


@pytest.mark.parametrize("query, adjacent, apart", [
    ("delete account", "adjacent-en", "apart-en"),
    ("申请退款", "adjacent-zh", "apart-zh"),
    ("delet account", "adjacent-en", "apart-en"),  # a correction keeps its word's place
])
def test_words_side_by_side_rank_first(engine, query, adjacent, apart):
    hits = engine.search(query).hits
    assert [hit.slug for hit in hits[:2]] == [adjacent, apart]
    assert hits[0].score > hits[1].score


def test_the_same_words_in_another_order_get_no_bonus(engine):
    """`account delete` is not the pair the query asks for: BM25's tie stands."""
    hits = engine.search("account delete").hits
    assert hits[0].score == hits[1].score
