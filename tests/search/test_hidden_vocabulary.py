"""Issue 18, finding 2: "did you mean", type-ahead and related articles read only what
the reader may see; a word found only in drafts, archived or internal articles never
reaches a customer."""
from __future__ import annotations

import pytest

from ..factories import write_article


@pytest.fixture
def hidden_words(articles_dir):
    write_article(articles_dir, "public.md", "Printer setup", "## How do I add a printer?\n\n"
                  "Open settings and choose printers.", slug="printer", lang="en")
    write_article(articles_dir, "internal.md", "Zephyrine escalation", "## Who handles zephyrine?\n\n"
                  "Escalate zephyrine cases to tier two.", slug="zeph-internal", lang="en",
                  audience="internal")
    write_article(articles_dir, "draft.md", "Quasarwick draft", "## What is quasarwick?\n\n"
                  "Quasarwick launches next month.", slug="quasar-draft", lang="en",
                  status="draft")
    return articles_dir


@pytest.mark.parametrize("typo, hidden", [("zephyrime", "zephyrine"), ("quasarwik", "quasarwick")])
def test_did_you_mean_never_suggests_a_hidden_word(client, hidden_words, typo, hidden):
    data = client.get(f"/api/v1/search?q={typo}").get_json()
    assert hidden not in str(data).lower()
    page = client.get(f"/search?q={typo}").get_data(as_text=True).lower()
    assert hidden not in page


def test_did_you_mean_still_corrects_to_visible_words(client, hidden_words):
    assert client.get("/api/v1/search?q=printr").get_json()["suggestion"] == "printer"


def test_staff_who_may_see_internal_articles_get_the_correction(client, hidden_words,
                                                                make_user, login):
    login(make_user("agent"))
    page = client.get("/search?q=zephyrime").get_data(as_text=True).lower()
    assert "zephyrine" in page


def test_type_ahead_never_offers_hidden_titles(client, hidden_words):
    for prefix in ("zeph", "quasar"):
        assert client.get(f"/api/v1/suggest?q={prefix}").get_json()["suggestions"] == []
