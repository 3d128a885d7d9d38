"""Property tests: any front matter, file or Markdown gives an article or a reported
problem, and a rendered article never loses the text after hostile markup."""
from __future__ import annotations

import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from portal.articles.loader import KNOWN_KEYS, ArticleError, parse_article
from portal.articles.model import Article
from portal.articles.render import render_markdown, to_text

BOUNDED = settings(max_examples=80, deadline=None,
                   suppress_health_check=[HealthCheck.too_slow])

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=20) | st.dates() | st.datetimes(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                 max_size=3),
    max_leaves=6)
front_matter = st.dictionaries(st.sampled_from(KNOWN_KEYS) | st.text(max_size=8), yaml_values,
                               max_size=6)
markup = st.lists(st.sampled_from(
    list("ab 中文\n#`*_->/=\"'![]()|:~") + ["<script>", "</script>", "<style>", "</style>",
                                             "<textarea>", "<div>", "<!--", "-->", "```",
                                             "## ", "\n\n", "<title>", "&lt;"]),
    max_size=40).map("".join)


def _parsed_or_reported(data: bytes) -> None:
    try:
        assert isinstance(parse_article(data, "x.md", 0.0), Article)
    except ArticleError as exc:
        assert str(exc)


@BOUNDED
@given(front_matter, markup)
def test_any_front_matter_gives_an_article_or_a_problem(meta, body):
    header = yaml.safe_dump(meta, allow_unicode=True)
    _parsed_or_reported(f"---\n{header}---\n\n{body}\n".encode("utf-8"))


@BOUNDED
@given(st.binary(max_size=200))
def test_any_bytes_give_an_article_or_a_problem(data):
    _parsed_or_reported(b"---\n" + data)


@BOUNDED
@given(markup)
def test_rendering_never_loses_the_text_after_hostile_markup(text):
    html = render_markdown(text + "\n\nclosingwords\n")
    assert "closingwords" in to_text(html)
