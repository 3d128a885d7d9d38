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


def test_positions_are_read_across_segments_and_deletions(tmp_path):
    """The ranker reads positions segment by segment (each with its own document
    numbers) and steps past deleted documents: a two-segment index with a deletion
    gives the bonus to exactly the documents holding the words side by side."""
    import numpy as np
    from whoosh import index
    from whoosh.writing import NO_MERGE

    from portal.search.whoosh.analysis import terms
    from portal.search.whoosh.ranking import Ranker
    from portal.search.whoosh.schema import build_schema, to_fields

    ix = index.create_in(str(tmp_path), build_schema())
    filler = [doc(f"filler-{i}", f"photos page item {i} account") for i in range(300)]
    first = [doc("gone", "delete account now"), *filler[:150], doc("adjacent-1", "x delete account")]
    second = [*filler[150:], doc("apart-2", "delete x account"), doc("adjacent-2", "delete account")]
    for batch in (first, second):
        with ix.writer() as writer:
            for item in batch:
                writer.add_document(**to_fields(item))
            writer.mergetype = NO_MERGE
    with ix.writer() as writer:
        writer.mergetype = NO_MERGE
        writer.delete_by_term("slug", "gone")
    with ix.searcher() as searcher:
        assert len(searcher.reader().leaf_readers()) == 2
        ranker = Ranker(searcher)
        slug_of = {d: searcher.stored_fields(d)["slug"] for d in searcher.reader().all_doc_ids()}
        wanted = [d for d, slug in slug_of.items() if not slug.startswith("filler")]
        scores = np.zeros(ranker.size, dtype=np.float32)
        scores[wanted] = 1.0
        ranker.add_proximity(terms("delete account"), scores, np.array(sorted(wanted)))
        boosted = {slug_of[d] for d in wanted if scores[d] > 1.0}
    assert boosted == {"adjacent-1", "adjacent-2"}
