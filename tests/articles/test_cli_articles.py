"""`portal articles check`: names every broken file and exits non-zero."""
from __future__ import annotations

from ..factories import write_article


def test_check_passes_on_good_articles(runner, sample_articles):
    result = runner.invoke(args=["articles", "check"])
    assert result.exit_code == 0, result.output
    assert "7 articles" in result.output


def test_check_names_the_broken_file_and_fails(runner, client, articles_dir):
    write_article(articles_dir, "good.md", "好文章", "## 问题？\n\n答案。")
    (articles_dir / "sub").mkdir()
    (articles_dir / "sub" / "broken.md").write_text("---\ntitle: x\nstatus: live\n---\n", "utf-8")
    result = runner.invoke(args=["articles", "check"])
    assert result.exit_code == 1
    assert "sub/broken.md:3: unknown status 'live'" in result.output
    assert client.get("/articles/good").status_code == 200


def test_check_accepts_another_folder(runner, tmp_path):
    folder = tmp_path / "other"
    write_article(folder, "dup1.md", "一", slug="dup")
    write_article(folder, "dup2.md", "二", slug="dup")
    result = runner.invoke(args=["articles", "check", "--dir", str(folder)])
    assert result.exit_code == 1 and "duplicate slug 'dup'" in result.output


def test_check_rejects_list_and_mapping_values_that_used_to_publish(runner, articles_dir):
    (articles_dir / "hidden.md").write_text("---\ntitle: 内部\naudience: [internal]\n---\n", "utf-8")
    result = runner.invoke(args=["articles", "check"])
    assert result.exit_code == 1 and "hidden.md:3: unknown audience" in result.output


def test_check_warns_about_raw_text_tags_and_the_page_keeps_its_text(runner, client, articles_dir):
    write_article(articles_dir, "css.md", "样式", "## 第一问？\n\n加 <style> 标签\n\n## 第二问？\n\n后文。",
                  slug="css")
    result = runner.invoke(args=["articles", "check"])
    assert result.exit_code == 0, result.output
    assert "css.md:8: warning:" in result.output
    assert "后文" in client.get("/articles/css").get_data(as_text=True)
    api = client.get("/api/v1/articles/css").get_json()
    assert "后文" in str(api)
    found = client.get("/api/v1/search?q=后文").get_json()
    assert "css" in str(found)
