"""The suggestion engine on small hand-written help-centre texts (no external data)."""
from __future__ import annotations

import ast
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from sklearn.cluster import AgglomerativeClustering

from portal.suggestions.engine import ArticleRef, Signal, SignalFormatError, cluster, read_jsonl
from portal.suggestions.engine.features import grouping_vectors, latent_dimensions, tfidf_vectors
from portal.suggestions.engine.linkage import average_linkage

NOW = datetime(2026, 3, 1, tzinfo=timezone.utc)

REFUND_ARTICLE = ArticleRef(
    "billing", "refund",
    "如何申请退款？\nHow do I get a refund?\n购买后 7 天内可在订单页申请退款。",
)
PRINTER_ARTICLE = ArticleRef(
    "devices", "printer",
    "打印机无法连接怎么办？\nPrinter will not connect\n请先检查打印机的 Wi-Fi 设置。",
)


def signals(*texts: str, days_ago: int = 1) -> list[Signal]:
    return [Signal(text, time=NOW - timedelta(days=days_ago), session=f"s{i}")
            for i, text in enumerate(texts)]


def group_of(result, text_index: int):
    return result.groups[result.assignments[text_index]]


def test_simplified_traditional_and_english_phrasings_meet_through_an_article():
    batch = signals("怎么申请退款", "如何申請退款", "how do I get a refund",
                    "打印机连不上", "打印機連不上")
    result = cluster(batch, [REFUND_ARTICLE], now=NOW)
    refund = result.assignments[:3]
    assert refund[0] >= 0 and refund.count(refund[0]) == 3
    assert result.assignments[3] == result.assignments[4] != refund[0]


def test_without_a_bridging_article_scripts_still_meet():
    result = cluster(signals("怎么申请退款", "如何申請退款", "天气怎么样"), now=NOW)
    assert result.assignments[0] == result.assignments[1] >= 0
    assert result.assignments[2] == -1


def test_one_offs_are_noise():
    result = cluster(signals("打印机连不上", "打印機連不上", "发票抬头写错了", "how to change my avatar"),
                     now=NOW)
    assert result.assignments[2:] == [-1, -1]
    assert len(result.groups) == 1


def test_title_is_a_real_phrasing_and_phrasings_are_counted():
    batch = signals("怎么申请退款", "怎么申请退款", "如何申請退款", "退款怎么申请")
    group = cluster(batch, now=NOW).groups[0]
    assert group.title == "怎么申请退款"
    assert group.phrasings[0] == ("怎么申请退款", 2)
    assert sorted(text for text, _ in group.phrasings) == sorted(set(s.text for s in batch))
    assert group.size == 4 and group.sessions == 4


def test_close_article_proposes_aliases():
    result = cluster(signals("打印机无法连接", "打印機無法連接", "打印机无法连接了"), [PRINTER_ARTICLE], now=NOW)
    group = result.groups[0]
    assert group.action == "add_aliases"
    assert (group.nearest.article, group.nearest.anchor) == ("devices", "printer")
    assert 0 < group.nearest.score <= 1


def test_close_but_unhelpful_article_proposes_an_update():
    unhelpful = ArticleRef(PRINTER_ARTICLE.article, PRINTER_ARTICLE.anchor, PRINTER_ARTICLE.text,
                           unhelpful_ratio=0.7)
    result = cluster(signals("打印机无法连接", "打印機無法連接", "打印机无法连接了"), [unhelpful], now=NOW)
    assert result.groups[0].action == "update"


def test_far_group_proposes_a_new_article():
    result = cluster(signals("发票抬头写错了", "發票抬頭寫錯了", "发票抬头写错"),
                     [REFUND_ARTICLE, PRINTER_ARTICLE], now=NOW)
    group = result.groups[0]
    assert group.action == "new_article"
    assert group.nearest is None or group.nearest.score < 0.3


def test_groups_are_ranked_by_weight_then_sessions_and_numbered_in_rank_order():
    batch = signals("打印机连不上", "打印機連不上") + [
        Signal("怎么申请退款", weight=3), Signal("如何申請退款", weight=2)]
    result = cluster(batch, now=NOW)
    assert [group.id for group in result.groups] == [0, 1]
    assert result.groups[0].weight == 5.0 and result.groups[1].weight == 2.0
    assert result.assignments == [1, 1, 0, 0]


def test_trend_counts_the_last_two_weeks_before_now():
    batch = (signals("打印机连不上", "打印機連不上", days_ago=2)
             + signals("打印机连不上", days_ago=10) + signals("打印机连不上", days_ago=30))
    assert cluster(batch, now=NOW).groups[0].trend == {"last_7": 2, "previous_7": 1}
    assert cluster(batch).groups[0].trend == {"last_7": 2, "previous_7": 1}


def test_output_is_identical_on_a_second_run_and_json_has_the_documented_shape():
    batch = signals("怎么申请退款", "如何申請退款", "how do I get a refund", "打印机连不上",
                    "打印機連不上", "发票抬头写错了", "怎么申请退款")
    first = cluster(batch, [REFUND_ARTICLE, PRINTER_ARTICLE]).to_json()
    second = cluster(batch, [REFUND_ARTICLE, PRINTER_ARTICLE]).to_json()
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)
    assert set(first) == {"assignments", "groups"}
    assert set(first["groups"][0]) == {"id", "title", "size", "weight", "phrasings", "nearest",
                                       "action", "sessions", "trend", "key"}
    assert set(first["groups"][0]["nearest"]) == {"article", "anchor", "score"}


def test_key_depends_on_leading_phrasings_not_on_order_or_time():
    batch = signals("打印机连不上", "打印機連不上", "打印机连接不上")
    later = signals("打印机连接不上", "打印机连不上", "打印機連不上", days_ago=5)
    assert cluster(batch).groups[0].key == cluster(later).groups[0].key


def test_empty_and_punctuation_only_input_gives_no_groups():
    assert cluster([]).to_json() == {"assignments": [], "groups": []}
    assert cluster([Signal("???"), Signal("  ")]).assignments == [-1, -1]


def test_progress_is_reported():
    messages: list[str] = []
    cluster(signals("打印机连不上", "打印機連不上"), progress=messages.append)
    assert messages == ["folding 2 texts", "vectorising 1 distinct texts", "grouping",
                        "describing 1 groups"]


FRAMES = ("怎么{}", "{}怎么办", "如何{}", "我想{}", "{}要多久", "{}失败了", "请问{}", "{}的步骤")
TOPICS = ("申请退款", "开电子发票", "重置登录密码", "查询物流", "兑换会员积分", "注销账号")


def test_a_production_sized_batch_is_grouped_in_the_latent_space_by_topic():
    """48 phrasings of 6 questions: enough texts for LSA, the path real portals take."""
    texts = [frame.format(topic) for topic in TOPICS for frame in FRAMES]
    one_offs = ["今天天气好", "你们公司在哪个城市", "printer driver download"]
    assert grouping_vectors(tfidf_vectors(texts + one_offs))[1] is True  # LSA, not the exact space
    assignments = cluster(signals(*texts, *one_offs), now=NOW).assignments
    by_topic = [assignments[i:i + len(FRAMES)] for i in range(0, len(texts), len(FRAMES))]
    assert [len(set(group)) for group in by_topic] == [1] * len(TOPICS)  # each topic whole
    assert sorted(group[0] for group in by_topic) == list(range(len(TOPICS)))  # none merged
    assert assignments[len(texts):] == [-1, -1, -1]


def test_lsa_starts_at_ten_latent_dimensions_of_four_texts_each():
    texts = [frame.format(topic) for topic in TOPICS for frame in FRAMES][:40]
    assert grouping_vectors(tfidf_vectors(texts))[1] is True
    assert grouping_vectors(tfidf_vectors(texts[:39]))[1] is False


def test_latent_dimensions_grow_with_the_root_of_a_big_batch():
    assert [latent_dimensions(n) for n in (40, 400, 2_500, 10_000, 22_500, 100_000)] == [
        100, 100, 100, 200, 300, 300]


def test_a_batch_of_thousands_gets_more_than_a_hundred_latent_dimensions():
    words = [f"item{i:02d}" for i in range(52)]
    texts = [f"where is my {first} {second}" for first in words for second in words]
    vectors, reduced = grouping_vectors(tfidf_vectors(texts))
    assert reduced and vectors.shape == (2_704, 104)


def test_a_many_question_batch_is_grouped_by_question():
    """A grouping case built here: 20 questions in two languages, eight phrasings each,
    every question alone in its group and whole."""
    chinese = ("申请退款", "开电子发票", "重置登录密码", "查询物流", "兑换会员积分", "注销账号",
               "领取优惠券", "修改收货地址", "取消订单", "绑定银行卡")
    english = ("get a refund", "download my invoice", "reset my password", "track my parcel",
               "redeem a voucher", "close my account", "change the delivery address",
               "cancel an order", "renew my subscription", "claim the warranty")
    english_frames = ("how do i {}", "{}", "i want to {}", "can i {}", "help me {}",
                      "how to {}", "i need to {}", "where can i {}")
    texts, truth = [], []
    for frames, questions in ((FRAMES, chinese), (english_frames, english)):
        for question in questions:
            texts.extend(frame.format(question) for frame in frames)
            truth.extend([question] * len(frames))
    assignments = np.array(cluster(signals(*texts), now=NOW).assignments)
    for question in chinese + english:
        labels = assignments[np.array(truth) == question]
        assert (labels >= 0).all() and len(set(labels.tolist())) == 1, question
    assert len(set(assignments.tolist())) == len(chinese + english)  # none merged


def test_average_linkage_matches_scikit_learn():
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(6, 20))
    points = centres[rng.integers(0, 6, 120)] + rng.normal(scale=0.6, size=(120, 20))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    for threshold in (0.3, 0.5, 0.7):
        ours = average_linkage(points.astype(np.float32), np.ones(len(points)), 1 - threshold)
        theirs = AgglomerativeClustering(n_clusters=None, metric="cosine", linkage="average",
                                         distance_threshold=threshold).fit_predict(points)
        pairs_ours = ours[:, None] == ours[None, :]
        pairs_theirs = theirs[:, None] == theirs[None, :]
        assert (pairs_ours == pairs_theirs).all()


def test_read_jsonl_parses_fields_and_skips_blank_lines(tmp_path):
    path = tmp_path / "signals.jsonl"
    path.write_text(
        '{"text": "怎么申请退款", "weight": 2, "time": "2026-02-27T10:00:00Z", "session": "a"}\n'
        "\n"
        '{"text": "how do I get a refund", "intent": "ignored"}\n',
        encoding="utf-8",
    )
    first, second = read_jsonl(path)
    assert first == Signal("怎么申请退款", 2.0, datetime(2026, 2, 27, 10, tzinfo=timezone.utc), "a")
    assert second == Signal("how do I get a refund")
    assert read_jsonl(path.read_text(encoding="utf-8").splitlines()) == [first, second]


@pytest.mark.parametrize("bad_line, problem", [
    ("{not json", "JSON"),
    ('["a list"]', "object"),
    ('{"weight": 1}', "text"),
    ('{"text": "x", "weight": "heavy"}', "weight"),
    ('{"text": "x", "time": "yesterday"}', "time"),
    ('{"text": "x", "session": 12}', "session"),
])
def test_read_jsonl_names_the_bad_line(bad_line, problem):
    lines = ['{"text": "ok"}', "", bad_line]
    with pytest.raises(SignalFormatError, match=rf"^line 3: .*{problem}"):
        read_jsonl(lines)


def test_engine_modules_import_no_web_or_sql_code():
    package = Path(__file__).resolve().parents[2] / "portal" / "suggestions" / "engine"
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.split(".")[0] in {"flask", "sqlalchemy", "flask_sqlalchemy"}, module
