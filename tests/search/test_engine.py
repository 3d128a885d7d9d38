"""WhooshEngine on a real index in tmp_path: what customers and the portal rely on.

Script folding, mixed Chinese/English, phrases, hostile input, visibility rules,
filters, facets, paging, spelling, pinyin type-ahead, incremental sync, atomic
rebuilds, recovery from a broken index, concurrent writers and the result cache.
All documents are synthetic.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading

import pytest

from portal.search.base import SearchDocument, SearchPage
from portal.search.whoosh.engine import WhooshEngine
from portal.search.whoosh import schema as search_schema


def make_doc(slug, title, body, *, anchor="", question="", aliases=(), tags=(),
             category="账户", lang="zh-Hans", status="published", audience="public",
             fingerprint="v1"):
    return SearchDocument(
        doc_id=f"{slug}#{anchor}" if anchor else slug, slug=slug, anchor=anchor,
        kind="question" if anchor else "article", title=title, question=question,
        body=body, aliases=tuple(aliases), tags=tuple(tags), category=category, lang=lang,
        status=status, audience=audience, fingerprint=fingerprint)


def corpus() -> list[SearchDocument]:
    return [
        make_doc("vpn", "远程办公网络", "公司网络的使用说明。VPN 连不上时先检查客户端版本。",
                 category="网络"),
        make_doc("vpn", "远程办公网络", "先检查客户端版本，再重启电脑。", anchor="vpn-down",
                 question="VPN 连不上怎么办？", category="网络"),
        make_doc("wifi", "无线网络", "办公室无线网络连不上时，请重新输入密码。", category="网络"),
        make_doc("refund", "退款说明", "在订单详情页点击申请退款，三个工作日内退回。",
                 aliases=["钱什么时候退回来"], tags=["退款"], category="订单"),
        make_doc("refund", "退款说明", "在订单详情页点击申请退款，三个工作日内退回。",
                 anchor="apply", question="如何申请退款？", category="订单"),
        make_doc("invoice", "发票", "退款以后需要重新申请发票。", category="订单"),
        make_doc("account", "账号问题", "用户无法登录时，请先重置密码。", category="账户"),
        make_doc("account-hant", "帳號安全", "帳號被鎖定時，請聯絡客服解鎖。",
                 category="账户", lang="zh-Hant"),
        make_doc("login-hant", "登入說明", "使用者無法登入時請清除瀏覽器快取。",
                 category="账户", lang="zh-Hant"),
        make_doc("refund-policy", "Refund policy", "Refunds are issued within five days.",
                 category="orders", lang="en"),
        make_doc("draft-refund", "退款草稿", "尚未发布的退款流程。", category="订单",
                 status="draft"),
        make_doc("old-refund", "旧退款流程", "已经归档的退款流程。", category="订单",
                 status="archived"),
        make_doc("refund-script", "退款安抚话术", "客户催退款时的回复模板。", category="订单",
                 audience="internal"),
    ]


def by_slug(docs):
    grouped: dict[str, list[SearchDocument]] = {}
    for doc in docs:
        grouped.setdefault(doc.slug, []).append(doc)
    return grouped


def current_of(docs):
    return {slug: (items[0].fingerprint, items) for slug, items in by_slug(docs).items()}


@pytest.fixture
def engine(tmp_path):
    engine = WhooshEngine(str(tmp_path / "index"))
    engine.rebuild(corpus())
    yield engine
    engine.close()


def slugs(page: SearchPage) -> list[str]:
    return [hit.slug for hit in page.hits]


# -- Chinese-first matching --------------------------------------------------------

@pytest.mark.parametrize("query", ["帳號", "使用者無法登入"])
def test_traditional_query_finds_simplified_doc(engine, query):
    assert "account" in slugs(engine.search(query))


@pytest.mark.parametrize("query, slug", [("账号安全", "account-hant"),
                                         ("用户无法登录", "login-hant")])
def test_simplified_query_finds_traditional_doc(engine, query, slug):
    assert slug in slugs(engine.search(query))


def test_taiwan_vocabulary_finds_mainland_vocabulary(engine):
    page = engine.search("使用者")  # the simplified doc only says 用户
    assert "account" in slugs(page)


def test_mixed_english_and_chinese_query_finds_the_vpn_answer_first(engine):
    top = engine.search("VPN 连不上").hits[0]
    assert (top.slug, top.anchor, top.kind) == ("vpn", "vpn-down", "question")


@pytest.mark.parametrize("quote", ['"{}"', "“{}”", "「{}」"])
def test_quoted_phrase_matches_only_words_in_order(engine, quote):
    found = set(slugs(engine.search(quote.format("申请退款"))))
    assert found == {"refund"}  # invoice has 退款 … 申请 apart


def test_unquoted_words_match_any_and_rank_fuller_matches_first(engine):
    page = engine.search("申请退款")
    assert {"refund", "invoice"} <= set(slugs(page))
    assert page.hits[0].slug == "refund"


def test_what_to_do_phrasing_does_not_outrank_the_topic(tmp_path):
    """"…怎么办" ends half of all questions; the topic words must decide the order."""
    engine = WhooshEngine(str(tmp_path / "ix"))
    engine.rebuild([
        make_doc("login", "无法登录", "提示账号已被锁定时，请看账号锁定的说明。",
                 anchor="cannot-login", question="App 登录不上去怎么办？"),
        make_doc("locked", "账号锁定", "连续输错密码五次后会锁定三十分钟。",
                 anchor="why-locked", question="为什么提示账号已被锁定？"),
    ])
    for query in ("账号被锁定了怎么办", "帳號被鎖定了怎麼辦"):
        assert engine.search(query).hits[0].slug == "locked"


def test_english_stemming_both_ways(engine):
    assert "refund-policy" in slugs(engine.search("refund"))
    assert "refund-policy" in slugs(engine.search("REFUNDS"))


HOSTILE = [
    "", "   ", '"', '""', "“", "「", '"unclosed 退款', "AND", "OR NOT AND", "NOT 退款",
    "*", "?", "退*", "re?und", "(", ")", "[退款]", "{}", "title:退款", "status:draft",
    "audience:internal 退款", "a" * 10_000, "退款" * 5_000, "\x00\x07\x1b[31m退款",
    "😀🙈🚀", "\ud800", "退款\udfff\ud800", "。，！？、；：", "!!!???...", "<script>alert(1)</script>",
    "%s %d {0}", "\\", "'; DROP TABLE articles; --", "\u202e\u200b\ufeff",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_input_never_raises(engine, query):
    page = engine.search(query)
    assert isinstance(page, SearchPage)
    assert all(hit.audience == "public" for hit in page.hits)
    assert isinstance(engine.suggest(query), list)


def test_field_syntax_cannot_reach_hidden_documents(engine):
    hidden = {"draft-refund", "old-refund", "refund-script"}
    for query in ["status:draft 退款", "audience:internal 退款", "退款 OR status:archived"]:
        assert not hidden & set(slugs(engine.search(query, per_page=50)))


def test_snippets_are_escaped(tmp_path):
    engine = WhooshEngine(str(tmp_path / "index"))
    engine.rebuild([make_doc("xss", "退款", "<img src=x onerror=alert(1)> 退款说明")])
    html = engine.search("退款").hits[0].snippet_html
    assert "<img" not in html and "&lt;img" in html and "<mark>退款</mark>" in html


# -- visibility, filters, facets, paging ---------------------------------------------

def test_drafts_archived_and_internal_are_hidden_by_default(engine):
    found = set(slugs(engine.search("退款", per_page=50)))
    assert "refund" in found
    assert not found & {"draft-refund", "old-refund", "refund-script"}


def test_internal_appears_when_the_caller_allows_it(engine):
    found = set(slugs(engine.search("退款", per_page=50, audiences=("public", "internal"))))
    assert "refund-script" in found
    assert not found & {"draft-refund", "old-refund"}
    drafts = set(slugs(engine.search("退款", statuses=("published", "draft"))))
    assert "draft-refund" in drafts


def test_filter_by_language_and_category(engine):
    assert set(slugs(engine.search("refund 退款", lang="en"))) == {"refund-policy"}
    by_category = engine.search("连不上 退款", category="网络", per_page=50)
    assert set(slugs(by_category)) == {"vpn", "wifi"}


def test_facets_count_per_category_and_ignore_the_category_filter(engine):
    page = engine.search("退款 连不上", per_page=50)
    assert page.facets == {"订单": 3, "网络": 3}  # refund ×2, invoice; vpn ×2, wifi
    assert page.total == 6
    filtered = engine.search("退款 连不上", category="订单", per_page=50)
    assert filtered.facets == page.facets
    assert filtered.total == 3 == len(filtered.hits)


def test_pagination(tmp_path):
    engine = WhooshEngine(str(tmp_path / "index"))
    engine.rebuild([make_doc(f"printer-{i:02d}", f"打印机问题 {i}", "打印机卡纸了怎么办")
                    for i in range(25)])
    pages = [engine.search("打印机", page=n, per_page=10) for n in (1, 2, 3, 4)]
    assert [len(p.hits) for p in pages] == [10, 10, 5, 0]
    assert all(p.total == 25 for p in pages)
    seen = [hit.slug for p in pages for hit in p.hits]
    assert len(set(seen)) == 25


def test_spelling_suggestion_only_when_little_was_found(engine):
    assert engine.search("refnud").suggestion == "refund"
    assert engine.search("refund").suggestion is None


# -- type-ahead ----------------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["tuikuan", "tk", "tui kuan", "退", "退款"])
def test_pinyin_and_initials_suggest_refunds(engine, prefix):
    texts = [s.text for s in engine.suggest(prefix)]
    assert "退款说明" in texts
    assert texts[0] == "退款说明"  # the title starting with 退款 before later-word matches


def test_suggest_offers_questions_and_aliases_and_respects_visibility(engine):
    texts = {s.text: s for s in engine.suggest("tk", limit=20)}
    assert texts["如何申请退款？"].anchor == "apply"
    assert "退款安抚话术" not in texts and "退款草稿" not in texts
    internal = {s.text for s in engine.suggest("tk", limit=20, audiences=("public", "internal"))}
    assert "退款安抚话术" in internal
    assert "钱什么时候退回来" in {s.text for s in engine.suggest("qian")}



def test_an_alias_suggests_its_article_never_one_of_its_questions(tmp_path):
    """Indexing gives every question of an article the article's aliases (they are searched
    with it); type-ahead must still link an alias to the article, not to a question."""
    aliases = ["发票开错了"]
    docs = [make_doc("invoice", "发票说明", "在订单详情页申请。", anchor="apply",
                     question="怎么开发票？", aliases=aliases),
            make_doc("invoice", "发票说明", "下载后打印。", anchor="print",
                     question="发票怎么打印？", aliases=aliases),
            make_doc("invoice", "发票说明", "电子发票。", aliases=aliases)]  # order-independent
    engine = WhooshEngine(str(tmp_path / "index"))
    engine.rebuild(docs)
    try:
        [alias] = [s for s in engine.suggest("发票开", limit=20) if s.text == "发票开错了"]
        assert (alias.slug, alias.anchor, alias.kind) == ("invoice", "", "article")
        assert {s.text: s.anchor for s in engine.suggest("发票", limit=20)}["发票怎么打印？"] == "print"
    finally:
        engine.close()

# -- writing, sync, rebuild, generations -----------------------------------------------

def test_index_article_replaces_all_docs_of_the_slug(engine):
    engine.index_article("refund", [make_doc("refund", "退货说明", "退货流程。", category="订单")])
    hits = engine.search("退款 退货", per_page=50).hits
    assert [(h.slug, h.anchor) for h in hits if h.slug == "refund"] == [("refund", "")]
    engine.remove_article("refund")
    assert "refund" not in slugs(engine.search("退货 退款", per_page=50))


def test_index_article_rejects_docs_of_another_slug(engine):
    with pytest.raises(ValueError):
        engine.index_article("refund", [make_doc("vpn", "x", "y")])


def test_sync_reindexes_only_changed_slugs_and_removes_vanished(tmp_path, monkeypatch):
    engine = WhooshEngine(str(tmp_path / "index"))
    docs = corpus()
    first = engine.sync(current_of(docs))
    assert set(first.added) == set(by_slug(docs)) and not first.updated and not first.removed

    analysed = []
    real = search_schema.to_fields
    monkeypatch.setattr("portal.search.whoosh.engine.to_fields",
                        lambda doc: analysed.append(doc.slug) or real(doc))
    generation = engine.generation
    assert engine.sync(current_of(docs)).unchanged == len(by_slug(docs))
    assert analysed == [] and engine.generation == generation

    changed = [d for d in docs if d.slug not in ("wifi", "invoice")]
    changed.append(make_doc("wifi", "无线网络", "新的无线网络密码在前台。", category="网络",
                            fingerprint="v2"))
    report = engine.sync(current_of(changed))
    assert report.updated == ("wifi",) and report.removed == ("invoice",) and not report.added
    assert set(analysed) == {"wifi"}
    assert "wifi" in slugs(engine.search("前台"))
    assert "invoice" not in slugs(engine.search("发票", per_page=50))
    assert engine.generation != generation


def test_generation_changes_after_every_write_and_is_shared(tmp_path):
    path = str(tmp_path / "index")
    one, two = WhooshEngine(path), WhooshEngine(path)
    seen = {one.generation}
    one.index_article("a", [make_doc("a", "标题", "内容")])
    seen.add(one.generation)
    one.remove_article("a")
    seen.add(one.generation)
    one.rebuild([make_doc("b", "标题", "内容")])
    seen.add(one.generation)
    assert len(seen) == 4
    assert two.generation == one.generation


def test_rebuild_swaps_atomically_while_a_searcher_is_open(tmp_path):
    path = str(tmp_path / "index")
    reader_engine, writer_engine = WhooshEngine(path), WhooshEngine(path)
    writer_engine.rebuild([make_doc("old", "苹果", "苹果的说明")])
    assert slugs(reader_engine.search("苹果")) == ["old"]
    old_generation = reader_engine.generation
    with reader_engine._lock:  # hold the open searcher across the swap
        old_searcher = reader_engine._view.searcher
        progress: list[int] = []
        writer_engine.rebuild([make_doc("new", "香蕉", "香蕉的说明")], progress=progress.append)
        assert progress[-1] == 1
        folders = [f for f in os.listdir(path) if f.startswith("gen-")]
        assert len(folders) == 1  # the old generation is gone from disk ...
        assert old_searcher.doc_count() == 1  # ... yet the open searcher still answers
        assert [hit["slug"] for hit in old_searcher.documents()] == ["old"]
    assert reader_engine.generation != old_generation
    assert slugs(reader_engine.search("香蕉")) == ["new"]
    assert slugs(reader_engine.search("苹果")) == []


def _garble(folder: str) -> None:
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), "r+b") as handle:
            handle.write(b"\x00garbage\xff" * 8)


@pytest.mark.parametrize("damage", ["garble", "delete-files", "delete-folder", "pointer"])
def test_broken_index_is_rebuilt_from_the_provider_with_a_warning(tmp_path, caplog, damage):
    path = str(tmp_path / "index")
    WhooshEngine(path).rebuild(corpus())
    generation = [f for f in os.listdir(path) if f.startswith("gen-")][0]
    folder = os.path.join(path, generation)
    if damage == "garble":
        _garble(folder)
    elif damage == "delete-files":
        for name in os.listdir(folder):
            os.remove(os.path.join(folder, name))
    elif damage == "delete-folder":
        import shutil
        shutil.rmtree(path)
    else:
        with open(os.path.join(path, "CURRENT"), "w") as handle:
            handle.write("../../etc 1")
    with caplog.at_level(logging.WARNING, logger="portal.search.whoosh.engine"):
        engine = WhooshEngine(path, documents_provider=corpus)
    assert any("rebuilding" in r.getMessage() for r in caplog.records)
    assert "refund" in slugs(engine.search("退款"))


def test_index_broken_while_running_is_rebuilt_on_next_search(tmp_path, caplog):
    path = str(tmp_path / "index")
    engine = WhooshEngine(path, documents_provider=corpus)
    assert "refund" in slugs(engine.search("退款"))
    other = WhooshEngine(path)
    other.index_article("x", [make_doc("x", "新文章", "新内容")])  # moves the generation on
    generation = [f for f in os.listdir(path) if f.startswith("gen-")][0]
    _garble(os.path.join(path, generation))
    with caplog.at_level(logging.WARNING, logger="portal.search.whoosh.engine"):
        page = engine.search("退款 新内容")
    assert "refund" in slugs(page)
    assert any("rebuilding" in r.getMessage() for r in caplog.records)


def _write_many(path: str, prefix: str, count: int, barrier) -> None:
    engine = WhooshEngine(path, lock_timeout=60)
    barrier.wait()
    for i in range(count):
        engine.index_article(f"{prefix}-{i}", [make_doc(f"{prefix}-{i}", f"{prefix} 标题",
                                                        "并发写入测试")])


def test_two_processes_writing_at_once_do_not_fail(tmp_path):
    path = str(tmp_path / "index")
    WhooshEngine(path).rebuild([])
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    workers = [context.Process(target=_write_many, args=(path, name, 6, barrier))
               for name in ("alpha", "beta")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0, 0]
    page = WhooshEngine(path).search("并发写入测试", per_page=50)
    assert page.total == 12


def test_threads_share_one_engine_safely(engine):
    errors: list[BaseException] = []

    def reader():
        try:
            for query in ["退款", "VPN 连不上", "帳號", "refund"] * 5:
                engine.search(query, page=1 + len(query) % 2)
                engine.suggest(query[:2])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def writer():
        try:
            for i in range(5):
                engine.index_article(f"t{i}", [make_doc(f"t{i}", "线程", f"退款 {i}")])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


# -- cache -------------------------------------------------------------------------------

def test_cache_returns_equal_results_and_a_write_invalidates_it(engine):
    first = engine.search("退款")
    again = engine.search("  退款 ")
    assert again is first  # served from the cache (normalised query text)
    engine.index_article("new-refund", [make_doc("new-refund", "新的退款规则", "退款规则更新")])
    after = engine.search("退款")
    assert after is not first
    assert "new-refund" in slugs(after)


def test_large_rebuild_runs_in_worker_processes_and_loses_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr("portal.search.whoosh.engine.PARALLEL_FROM", 10)
    engine = WhooshEngine(str(tmp_path / "index"), procs=2)
    docs = [make_doc(f"bulk-{i:02d}", f"批量文章 {i}", f"批量重建测试内容 {i}") for i in range(40)]
    engine.rebuild(docs)
    page = engine.search("批量重建", per_page=50)
    assert page.total == 40 and len({hit.slug for hit in page.hits}) == 40


def test_failed_rebuild_keeps_the_live_index(engine, tmp_path):
    broken = make_doc("broken", "坏文章", "内容")
    broken = SearchDocument(**{**broken.__dict__, "body": None})  # not text: analysis fails
    with pytest.raises(Exception):
        engine.rebuild([make_doc("new", "香蕉", "香蕉"), broken])
    assert "refund" in slugs(engine.search("退款"))
    index_dir = str(tmp_path / "index")
    assert len([f for f in os.listdir(index_dir) if f.startswith("gen-")]) == 1


def test_first_sync_of_a_large_help_centre_takes_the_bulk_path(tmp_path, monkeypatch):
    monkeypatch.setattr("portal.search.whoosh.engine.PARALLEL_FROM", 5)
    engine = WhooshEngine(str(tmp_path / "index"), procs=1)
    report = engine.sync(current_of(corpus()))
    assert set(report.added) == set(by_slug(corpus()))
    assert "refund" in slugs(engine.search("退款"))
    assert engine.sync(current_of(corpus())).unchanged == len(by_slug(corpus()))
