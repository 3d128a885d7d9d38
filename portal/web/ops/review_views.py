"""Articles to review: staff flags, answers voted not helpful, old articles still read."""
from __future__ import annotations

from flask import abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.tickets import links as linking
from portal.feedback import review
from portal import services
from portal.web.common import ConfirmForm, redirect_local
from portal.web.ops import bp


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
    item = review.get_flag(flag_id) or abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    review.resolve(item, current_user)
    flash(_("Flag resolved."), "info")
    return redirect_local(request.form.get("next"), url_for(".review_list"))
