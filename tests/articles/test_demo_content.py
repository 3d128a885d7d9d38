"""The shipped demo help centre is valid and as rich as the quick start promises."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from portal import create_app
from portal.articles.loader import load_folder

DEMO = Path(__file__).resolve().parents[2] / "articles"


def test_every_demo_article_passes_the_check(tmp_path, instance_dir):
    app = create_app({"TESTING": True, "ARTICLES_DIR": str(DEMO), "SECRET_KEY": "t",
                      "INDEX_DIR": str(tmp_path / "index"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'portal.sqlite3'}"},
                     instance_path=instance_dir)
    result = app.test_cli_runner().invoke(args=["articles", "check"])
    assert result.exit_code == 0, result.output


def test_demo_is_a_realistic_help_centre():
    articles = load_folder(DEMO).articles.values()
    assert len(articles) >= 25
    assert sum(len(a.questions) for a in articles) >= 120
    assert len({a.category for a in articles}) >= 5
    langs = Counter(a.lang for a in articles)
    assert langs["zh-Hans"] > langs["zh-Hant"] >= 3 and langs["en"] >= 3
    assert any(a.audience == "internal" for a in articles)
    assert [a.status for a in articles].count("draft") == 1

