"""Editor pages: article list, create, edit, preview, status changes, history and diff."""
from __future__ import annotations

import re
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.articles import authoring
from portal import services
from portal.articles.model import AUDIENCES, LANGUAGES, STATUSES
from portal.articles.render import render_markdown
from portal.articles.revisions import Revision
from portal.labels import label

from portal.web.editor import bp
from portal.web.common import ConfirmForm, bounded_int
from portal.web.editor.forms import ArticleForm


def _split_list(text: str, separators: str) -> list[str]:
    return [part for part in re.split(f"[{separators}]", text or "") if part.strip()]


def _fields(form: ArticleForm, status: str) -> authoring.ArticleFields:
    return authoring.ArticleFields(
        title=form.title.data or "", body=form.body.data or "", slug=form.slug.data or "",
        category=form.category.data or "", tags=_split_list(form.tags.data, ",，、"),
        aliases=_split_list(form.aliases.data, "\n"), lang=form.lang.data,
        audience=form.audience.data, status=status,
        translation_of=form.translation_of.data or "")


def _fill(form: ArticleForm, fields: authoring.ArticleFields, fingerprint: str = "") -> None:
    form.title.data, form.slug.data, form.category.data = fields.title, fields.slug, fields.category
    form.tags.data = ", ".join(fields.tags)
    form.aliases.data = "\n".join(fields.aliases)
    form.lang.data, form.audience.data, form.body.data = fields.lang, fields.audience, fields.body
    form.translation_of.data = fields.translation_of
    form.base_fingerprint.data = fingerprint


@bp.route("/")
def index():
    """Every article, drafts and internal ones included, with filters and a text filter."""
    repo = services.articles()
    args = {key: request.args.get(key, "") for key in ("status", "category", "lang", "audience")}
    rows = repo.matching(args, request.args.get("q", ""))
    categories = sorted({a.category for a in repo.articles.values()})
    return render_template("editor/index.html", articles=rows, filters=args,
                           q=request.args.get("q", ""), categories=categories,
                           statuses=STATUSES, languages=LANGUAGES, audiences=AUDIENCES,
                           problems=repo.problems)


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Create an article; it starts as a draft unless published at once."""
    form = ArticleForm()
    if request.method == "GET":
        form.body.data = form.body.data or _("## Question?\n\nAnswer.\n")
        form.title.data = request.args.get("title", "")
        form.aliases.data = "\n".join(request.args.getlist("alias"))
    return _save_or_show(form, existing=None)


@bp.route("/articles/<slug>", methods=["GET", "POST"])
def edit(slug: str):
    """Edit an article; a save on top of a newer version is refused with a diff."""
    article = services.articles().get(slug) or abort(404)
    form = ArticleForm()
    if request.method == "GET":
        _fill(form, authoring.ArticleFields.from_article(article), article.fingerprint)
    return _save_or_show(form, existing=article)


def _save_or_show(form: ArticleForm, existing):
    conflict = None
    preview = None
    status = 200
    if form.validate_on_submit():
        action = request.form.get("action", "draft")
        if action == "preview":
            preview = render_markdown(form.body.data or "")
        else:
            new_status = "published" if action == "publish" else "draft"
            if not form.slug.data and existing is None:
                form.slug.errors.append(_("Give the article an address (slug)."))
                status = 400
            else:
                fields = _fields(form, new_status)
                if existing is not None:
                    fields.slug = existing.slug
                try:
                    saved = authoring.save_article(
                        services.articles(), fields, author=current_user,
                        base_fingerprint=form.base_fingerprint.data or None, action=action,
                        existing_slug=existing.slug if existing else None)
                except authoring.EditConflict as exc:
                    conflict = exc
                    status = 409
                except authoring.SaveError as exc:
                    flash(str(exc), "error")
                    status = 400
                else:
                    flash(_("Published.") if new_status == "published" else _("Draft saved."),
                          "info")
                    return redirect(url_for(".edit", slug=saved.slug))
    elif request.method == "POST":
        status = 400
    return render_template("editor/edit.html", form=form, article=existing, conflict=conflict,
                           preview=preview, confirm=ConfirmForm()), status


@bp.route("/articles/<slug>/status", methods=["POST"])
def change_status(slug: str):
    """Archive an article, or bring an archived one back as a draft."""
    article = services.articles().get(slug) or abort(404)
    form = ConfirmForm()
    target = {"archive": "archived", "restore": "draft", "publish": "published"}.get(
        request.form.get("to", ""))
    if not form.validate_on_submit() or target is None:
        abort(400)
    fields = authoring.ArticleFields.from_article(article)
    fields.status = target
    try:
        authoring.save_article(services.articles(), fields, author=current_user,
                               base_fingerprint=article.fingerprint,
                               action=request.form["to"], existing_slug=slug)
    except authoring.SaveError as exc:
        flash(str(exc), "error")
    else:
        flash(_("Status changed to %(status)s.", status=label(target)), "info")
    return redirect(url_for(".edit", slug=slug))


@bp.route("/preview", methods=["POST"])
def preview():
    """Live preview: the same renderer and sanitizer as the public page."""
    return jsonify(html=render_markdown(request.form.get("body", "")))


@bp.route("/articles/<slug>/history")
def history(slug: str):
    """Every revision of an article, newest first."""
    revisions = authoring.revisions(slug)
    if not revisions and services.articles().get(slug) is None:
        abort(404)
    return render_template("editor/history.html", slug=slug, revisions=revisions,
                           article=services.articles().get(slug), confirm=ConfirmForm())


@bp.route("/articles/<slug>/diff")
def diff(slug: str):
    """The difference between two revisions (a older, b newer)."""
    old = _revision(slug, request.args.get("a", type=bounded_int))
    new = _revision(slug, request.args.get("b", type=bounded_int))
    lines = authoring.diff_lines(old.content, new.content, f"#{old.id}", f"#{new.id}")
    return render_template("editor/diff.html", slug=slug, old=old, new=new, lines=lines)


@bp.route("/articles/<slug>/revisions/<int:revision_id>/restore", methods=["POST"])
def restore(slug: str, revision_id: int):
    """Make an old revision the current text again (itself recorded as a new revision)."""
    revision = _revision(slug, revision_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    repo = services.articles()
    current = repo.get(slug)
    try:
        authoring.save_source(repo, revision.content, author=current_user,
                              base_fingerprint=current.fingerprint if current else None,
                              action=f"restore #{revision.id}",
                              existing_slug=slug if current else None)
    except authoring.SaveError as exc:
        flash(str(exc), "error")
        return redirect(url_for(".history", slug=slug))
    flash(_("Revision #%(id)d restored.", id=revision.id), "info")
    return redirect(url_for(".edit", slug=slug))


def _revision(slug: str, revision_id: int | None) -> Revision:
    return (authoring.revision(slug, revision_id) if revision_id else None) or abort(404)
