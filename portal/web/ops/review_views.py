"""Articles to review: staff flags, answers voted not helpful, old articles still read."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.tickets import links as linking
from portal.feedback import review
from portal import services
from portal.web.editor.forms import ConfirmForm
from portal.extensions import db
from portal.feedback.models import ArticleFlag
from portal.web.ops import bp


@bp.app_template_global()
def open_article_flags(slug: str) -> list[ArticleFlag]:
    """For the editor page: the article's unresolved flags."""
    return review.open_flags(slug)


@bp.route("/review")
def review_list():
    """Flags until resolved, unhelpful answers, old articles still read, and the articles
    that answer most tickets."""
    return render_template("ops/review.html", flags=review.open_flags(),
                           unhelpful=review.unhelpful_items(), most_linked=linking.most_linked(),
                           stale=review.stale_but_read(services.articles().visible()),
                           stale_days=review.STALE_AFTER_DAYS, read_days=review.READ_WINDOW_DAYS,
                           min_reads=review.MIN_READS,
                           articles=services.articles(), confirm=ConfirmForm(),
                           min_votes=review.MIN_VOTES, share=review.UNHELPFUL_SHARE)


@bp.route("/review/flags/<int:flag_id>/resolve", methods=["POST"])
def resolve_flag(flag_id: int):
    """An editor dealt with the flag: it leaves the list and the article's edit page."""
    item = db.session.get(ArticleFlag, flag_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    review.resolve(item, current_user)
    flash(_("Flag resolved."), "info")
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/editor/") else url_for(".review_list"))
