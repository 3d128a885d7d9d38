"""Customer signals: opened results, "none of these", votes, asking a question, tickets."""
from __future__ import annotations

from flask import (abort, current_app, flash, jsonify, redirect, render_template, request,
                   session, url_for)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, TooManyRequests

from portal.search import service as searching
from portal.web.common import article_url, run_search
from portal import services
from portal.extensions import limiter
from portal.i18n import current_lang
from portal.feedback import votes as feedback, searchlog
from portal.tickets import asking as tickets, receipts
from portal.feedback.visitors import anonymous_id, within_rate
from portal.web.public import bp
from portal.web.errors import render_csrf_failure, render_error
from portal.web.public.forms import AskForm, ReplyForm, ResendLinkForm, VoteForm


def _article_or_404(slug: str):
    article = services.articles().get(slug)
    if article is None or article.status != "published" or \
            article.audience not in services.reader_audiences():
        abort(404)
    return article


@bp.route("/s/<public_id>/open")
def open_result(public_id: str):
    """Follow a search result, remembering which search it came from."""
    slug, anchor = request.args.get("slug", ""), request.args.get("anchor", "")
    article = _article_or_404(slug)
    if anchor and article.question(anchor) is None:
        anchor = ""
    if len(public_id) == 32 and public_id.isalnum():
        searchlog.record_open(public_id, slug, anchor)
    return redirect(article_url(slug, anchor))


@bp.route("/s/<public_id>/none-helped", methods=["POST"])
def none_helped(public_id: str):
    """"None of these answered my question": the search failed; offer to ask."""
    if len(public_id) == 32 and public_id.isalnum():
        searchlog.mark_failed(public_id, "none_helped")
    flash(_("Sorry we could not help. Ask us directly and we will answer."), "info")
    return redirect(url_for("public.ask"))


@bp.route("/articles/<slug>/vote", methods=["POST"])
@limiter.limit(lambda: current_app.config["VOTE_RATE_LIMIT"])
def vote(slug: str):
    """Helpful / not helpful for the article or one of its questions."""
    article = _article_or_404(slug)
    form = VoteForm()
    anchor = form.anchor.data or ""
    if not form.validate_on_submit() or (anchor and article.question(anchor) is None):
        abort(400)
    feedback.vote(slug, anchor, form.helpful.data == "1", form.reason.data, form.comment.data or "")
    # The thanks replace the box voted in, where the reader is looking (not a flash at the top).
    return redirect(url_for("public.article", slug=slug, voted=anchor) + f"#{anchor or 'feedback'}")


@bp.route("/ask", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["ASK_RATE_LIMIT"], methods=["POST"])
def ask():
    """Ask a question: offered matching articles first, then a ticket with the search trail."""
    form = AskForm()
    if request.method == "GET" and not form.subject.data:
        form.subject.data = (session.get("last_search") or {}).get("q", "")
    if form.validate_on_submit():
        if form.website.data:  # only bots fill the hidden field: pretend all went well
            return render_template("ask_done.html", ticket=None)
        searchlog.recorder().flush()  # the trail must include the searches just made
        ticket = tickets.create_ticket(
            subject=form.subject.data, body=form.body.data, email=form.email.data,
            name=form.name.data or "", category=form.category.data, locale=current_lang(),
            session_id=anonymous_id())
        receipts.confirm_received(ticket)
        return redirect(url_for("public.ticket", token=ticket.token, new=1))
    status = 400 if request.method == "POST" else 200
    return render_template("ask.html", form=form), status


@bp.errorhandler(CSRFError)
@bp.errorhandler(TooManyRequests)
def keep_the_question(exc: HTTPException):
    """A refused question (form expired, too many in an hour) comes back with its text."""
    if request.endpoint != "public.ask" or request.method != "POST":
        return render_csrf_failure(exc) if isinstance(exc, CSRFError) else render_error(exc)
    if isinstance(exc, CSRFError):
        problem = _("This form expired. Your question is kept below: please send it again.")
    else:
        problem = _("You sent several questions in a short time. Your question is kept "
                    "below: please wait a while before sending it again.")
    return render_template("ask.html", form=AskForm(), problem=problem), exc.code


@bp.route("/ask/suggest")
def ask_suggest():
    """Articles matching what the customer is typing on the ask form (not logged as searches)."""
    wanted = searching.SearchRequest(query=(request.args.get("q") or "")[:300], per_page=5)
    page = run_search(wanted)
    return jsonify(results=[{
        "title": hit.question or hit.title, "context": hit.title if hit.question else "",
        "url": url_for("public.ask_open", slug=hit.slug, anchor=hit.anchor)} for hit in page.hits])


@bp.route("/ask/open")
def ask_open():
    """An article offered on the ask form was opened: a deflection unless a ticket follows."""
    slug, anchor = request.args.get("slug", ""), request.args.get("anchor", "")
    article = _article_or_404(slug)
    anchor = anchor if article.question(anchor) else ""
    if within_rate("ask-open", current_app.config["ASK_OPEN_RATE_LIMIT"]):
        tickets.record_deflection(anonymous_id(), slug, anchor)  # one per session and answer
    return redirect(article_url(slug, anchor))


@bp.route("/tickets/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["ASK_RATE_LIMIT"], methods=["POST"])
def ticket(token: str):
    """The customer's private view of one ticket; the token is the only key."""
    item = tickets.by_token(token) or abort(404)
    form = ReplyForm()
    if form.validate_on_submit():
        tickets.customer_reply(item, form.body.data)
        flash(_("Your reply was sent."), "info")
        return redirect(url_for("public.ticket", token=token))
    messages = [m for m in item.messages if m.kind != "note"]
    return render_template("ticket.html", ticket=item, messages=messages, form=form,
                           link=receipts.ticket_link(item), resend_form=ResendLinkForm(),
                           new=request.args.get("new") == "1"), \
        (400 if request.method == "POST" else 200)



@bp.route("/tickets/resend", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RESEND_RATE_LIMIT"], methods=["POST"])
def resend_links():
    """Lost the private link? We e-mail the links of the address's questions again."""
    form = ResendLinkForm()
    if form.validate_on_submit():
        receipts.resend_links(form.email.data)
        flash(_("If we have questions from this address, their links are on the way "
                "to your mailbox."), "info")
        return redirect(url_for("public.resend_links"))
    return render_template("resend_links.html", form=form), \
        (400 if request.method == "POST" else 200)
