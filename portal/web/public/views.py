"""Home, category and article pages, and the language switcher."""
from __future__ import annotations

from flask import abort, render_template, request

from portal.search import service as searching
from portal.web.common import redirect_local, result_link, run_search
from portal import services
from portal.accounts.roles import is_staff
from portal.articles.related import related_articles
from portal.articles.translations import (group_key, one_hit_per_question, one_per_group,
                                          translations_of)
from portal.i18n import LANG_COOKIE, LOCALES, current_lang
from portal.feedback import votes as feedback, searchlog
from portal.web.public import bp
from portal.web.public.forms import VoteForm

ONE_YEAR = 365 * 24 * 3600


def _visible():
    return services.articles().visible()


def _one_per_group():
    """Visible articles with each translation group once, in the reader's language."""
    return one_per_group(_visible(), current_lang())


@bp.route("/")
def home():
    """Categories with their article counts, and the search box."""
    repo = services.articles()
    articles = _one_per_group()
    categories = repo.categories(articles)
    by_category = {cat.key: sorted((a for a in articles if a.category == cat.key),
                                   key=lambda a: a.title)
                   for cat, _ in categories}
    recent = sorted(articles, key=lambda a: a.updated, reverse=True)[:6]
    return render_template("home.html", categories=categories, by_category=by_category,
                           recent=recent,
                           question_count=sum(len(a.questions) for a in articles))


@bp.route("/categories/<slug>")
def category(slug: str):
    """Every visible article of one category, with its questions."""
    repo = services.articles()
    cat = repo.category_by_slug(slug)
    articles = [a for a in _one_per_group() if cat and a.category == cat.key]
    if not articles:
        abort(404)
    lang = current_lang()
    articles.sort(key=lambda a: (a.lang != lang, a.title))
    return render_template("category.html", category=cat, articles=articles)


@bp.route("/articles/<slug>")
def article(slug: str):
    """One article; drafts, archived and internal articles are 404 for customers."""
    repo = services.articles()
    item = repo.get(slug)
    staff_may_read = is_staff() and item is not None and item.status == "published"
    if item is None or not (item.is_public or staff_may_read):
        abort(404)
    others = [a for a in _one_per_group() if group_key(a) != group_key(item)]
    return render_template("article.html", article=item, category=repo.category(item.category),
                           related=related_articles(item, others), vote_form=VoteForm(),
                           translations=translations_of(item, _visible()),
                           votes=feedback.counts(item.slug), voted=request.args.get("voted"))


@bp.route("/search")
def search():
    """Question-level results with facets, paging, a spelling hint and a helpful empty state."""
    wanted = searching.SearchRequest.from_args(request.args)
    page = run_search(wanted)
    public_id = searchlog.record_search(wanted.query, page, page=wanted.page,
                                        lang_filter=wanted.lang, category_filter=wanted.category)
    repo = services.articles()
    facets = sorted(((repo.category(key), n) for key, n in page.facets.items()),
                    key=lambda pair: (pair[0].order, pair[0].key))
    pages = max(1, -(-page.total // page.per_page))
    hits = page.hits if wanted.lang else one_hit_per_question(
        page.hits, {hit.slug: repo.get(hit.slug) for hit in page.hits}, current_lang())
    return render_template("search.html", query=wanted.query, request_=wanted, results=page,
                           hits=hits, confident=page.confident,
                           facets=facets, pages=pages, public_id=public_id,
                           links=[result_link(hit, public_id) for hit in hits])


@bp.route("/lang/<code>")
def switch_language(code: str):
    """Remember the reader's language and go back to where they were."""
    if code not in LOCALES:
        abort(404)
    response = redirect_local(request.args.get("next"), "/")
    response.set_cookie(LANG_COOKIE, code, max_age=ONE_YEAR, samesite="Lax", httponly=True)
    return response
