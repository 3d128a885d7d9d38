"""Search, suggest, article, link and insights endpoints; public content only for anonymous
callers."""
from __future__ import annotations

from flask import abort, g, jsonify, request

from portal.accounts import tokens as apitokens
from portal.tickets import links as linking
from portal.search import service as searching
from portal import services
from portal.feedback import searchlog
from portal.i18n import portal_timezone
from portal.insights import export, reports
from portal.insights.periods import Filters
from portal.database import utcnow
from portal.web.api import bp
from portal.web.common import article_url, hit_url, run_search

TOKEN_AUDIENCES = {"public": ("public",), "internal": ("internal",),
                   "all": ("public", "internal")}


@bp.before_request
def _authenticate():
    """A sent token must be valid (401 otherwise); no token means an anonymous caller."""
    g.api_token = apitokens.authenticate(request)


@bp.route("/search")
def search():
    """Ranked question-level results as JSON (see docs/api.md)."""
    wanted = searching.SearchRequest.from_args(request.args)
    audiences = TOKEN_AUDIENCES.get(request.args.get("audience", "public"), ("public",)) \
        if apitokens.reads_internal(g.api_token) else None
    page = run_search(wanted, audiences)
    searchlog.record_search(wanted.query, page, page=wanted.page, lang_filter=wanted.lang,
                            category_filter=wanted.category, source="api")
    return jsonify(
        query=page.query, total=page.total, page=page.page, per_page=page.per_page,
        suggestion=page.suggestion, facets=page.facets,
        confident=page.confident, confidence=page.confidence,
        results=[{
            "article": hit.slug, "anchor": hit.anchor, "url": hit_url(hit),
            "title": hit.title, "question": hit.question or hit.title,
            "snippet": hit.snippet_html, "category": hit.category, "lang": hit.lang,
            "audience": hit.audience, "score": round(hit.score, 4)} for hit in page.hits])


@bp.route("/suggest")
def suggest():
    """Type-ahead: titles, questions and aliases by prefix or pinyin."""
    prefix = (request.args.get("q") or "")[:100]
    items = services.search().suggest(prefix, limit=8,
                                      audiences=services.reader_audiences()) if prefix.strip() else []
    return jsonify(query=prefix, suggestions=[
        {"text": item.text, "kind": item.kind, "article": item.slug, "anchor": item.anchor,
         "url": hit_url(item)} for item in items])


@bp.route("/articles/<slug>")
def article(slug: str):
    """One article with its questions and answers; internal ones too for a token."""
    item = services.articles().get(slug)
    audiences = TOKEN_AUDIENCES["all"] if apitokens.reads_internal(g.api_token) \
        else services.reader_audiences()
    if item is None or item.status != "published" or item.audience not in audiences:
        abort(404)
    return jsonify(
        article=item.slug, title=item.title, category=item.category, tags=list(item.tags),
        aliases=list(item.aliases), lang=item.lang, audience=item.audience,
        updated=item.updated.isoformat(), url=article_url(item.slug), html=item.html,
        questions=[{"anchor": q.anchor, "question": q.text, "url": article_url(item.slug, q.anchor),
                    "answer_html": q.answer_html, "answer_text": q.answer_text}
                   for q in item.questions])


@bp.route("/links", methods=["POST"])
def links():
    """Record that an outside ticket linked an article (read-write token required)."""
    token = apitokens.require_write(g.api_token)
    data = request.get_json(silent=True)
    fields = ("article", "anchor", "ticket_ref")
    if not isinstance(data, dict) or not all(isinstance(data.get(key, ""), str) for key in fields):
        abort(400, description="Send a JSON object with the strings article, anchor, ticket_ref.")
    slug, anchor, ticket_ref = (data.get(key, "").strip() for key in fields)
    if not slug or not ticket_ref or len(ticket_ref) > 200:
        abort(400, description="article and ticket_ref (at most 200 characters) are required.")
    article = services.articles().get(slug)
    if article is None or article.status != "published" or \
            (anchor and article.question(anchor) is None):
        abort(404, description="No published article or question with this address.")
    link = linking.record_outside_link(article.slug, anchor, ticket_ref, token)
    return jsonify(article=link.slug, anchor=link.anchor, ticket_ref=link.ticket_ref,
                   url=linking.absolute_url(link.slug, link.anchor),
                   linked_in=linking.reply_count(link.slug)), 201


@bp.route("/insights/<report>")
def insights(report: str):
    """An ops insights report as JSON, same filters and columns as the CSV (insights:read)."""
    apitokens.require_scope(g.api_token, "insights:read")
    if report not in reports.COLUMNS:
        abort(404, description="Unknown report; see docs/insights.md.")
    tz = portal_timezone()
    f = Filters.from_args(request.args, utcnow().astimezone(tz).date(), tz)
    rows = reports.rows(report, f, services.articles().visible(("public", "internal"),
                                                               ("published",)))
    return jsonify(report=report, start=f.start.isoformat(), end=f.end.isoformat(),
                   language=f.lang or None, category=f.category or None,
                   columns=list(reports.COLUMNS[report]),
                   rows=[{k: export.json_value(v) for k, v in row.items()} for row in rows])
