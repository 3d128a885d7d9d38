"""Agent console pages and the JSON endpoints behind the composer's article picker."""
from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from portal.feedback import review
from portal import services
from portal.articles.render import render_markdown
from portal.tickets.models import Ticket
from portal.accounts.models import User
from portal.database import utcnow
from portal.web.common import TICKET_CATEGORY_CHOICES, article_url, hit_url, redirect_local
from portal.accounts import users as accounts
from portal.web.agent import bp
from portal.web.common import bounded_int
from portal.tickets import composer, conversation, inbox, suggested as suggestions
from portal.web.agent.forms import FlagForm, ProblemAttachForm, ReplyForm, TicketUpdateForm
from portal.insights import problems

PER_PAGE = 100


@bp.route("/tickets")
def tickets():
    """The inbox: filtered by status, topic, assignee and text, oldest first, with counts."""
    view = inbox.InboxView.from_args(request.args)
    page = max(1, request.args.get("page", 1, type=bounded_int))
    rows = inbox.tickets(view, current_user, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    counts = inbox.counts(view, current_user)
    total = counts["status"][view.status]
    agents = conversation.assignable_agents()
    return render_template("agent/tickets.html", view=view, counts=counts, page=page,
                           pages=max(1, -(-total // PER_PAGE)),
                           rows=[(t, _update_form(t, agents, back=request.full_path.rstrip("?")))
                                 for t in rows],
                           statuses=inbox.STATUS_VIEWS, assignees=inbox.ASSIGNEE_VIEWS,
                           categories=TICKET_CATEGORY_CHOICES, now=utcnow())


@bp.route("/tickets/<int:ticket_id>")
def ticket(ticket_id: int):
    """One ticket: conversation, search trail, suggested articles and the reply composer."""
    return _show(_ticket_or_404(ticket_id), ReplyForm())


@bp.route("/tickets/<int:ticket_id>/reply", methods=["POST"])
def reply(ticket_id: int):
    """Send a public reply or add an internal note; "preview" shows the rendered Markdown."""
    item = _ticket_or_404(ticket_id)
    form = ReplyForm()
    if not form.validate_on_submit():
        return _show(item, form, status=400)
    if request.form.get("action") == "preview":
        return _show(item, form, preview=render_markdown(form.body.data))
    if form.kind.data == "note":
        conversation.note(item, form.body.data, current_user, form.status.data or None)
        flash(_("Internal note added."), "info")
    else:
        conversation.reply(item, form.body.data, current_user, form.status.data or None)
        flash(_("Reply sent."), "info")
    return redirect(url_for(".ticket", ticket_id=item.id))


@bp.route("/tickets/<int:ticket_id>/update", methods=["POST"])
def update(ticket_id: int):
    """Change status, topic and assignee, from the inbox row or the ticket page."""
    item = _ticket_or_404(ticket_id)
    form = _update_form(item, conversation.assignable_agents(), formdata=request.form)
    if not form.validate_on_submit():
        abort(400)
    assignee = accounts.get_user(int(form.assignee.data)) if form.assignee.data else None
    conversation.update(item, status=form.status.data, category=form.category.data,
                        assignee=assignee)
    flash(_("Ticket #%(id)d updated.", id=item.id), "info")
    return redirect_local(form.next.data, url_for(".ticket", ticket_id=item.id))


@bp.route("/tickets/<int:ticket_id>/problem", methods=["POST"])
def attach_problem(ticket_id: int):
    """Attach the ticket to the product problem it came from, or detach it."""
    item = _ticket_or_404(ticket_id)
    form = _problem_form(item, formdata=request.form)
    if not form.validate_on_submit():
        abort(400)
    if form.problem.data:
        problem = problems.get(int(form.problem.data)) or abort(404)
        problems.attach(item, problem, current_user)
        flash(_("Ticket #%(id)d attached to problem #%(problem)d.", id=item.id,
                problem=problem.id), "info")
    else:
        problems.detach(item)
        flash(_("Ticket #%(id)d no longer attached to a problem.", id=item.id), "info")
    return redirect(url_for(".ticket", ticket_id=item.id))


@bp.route("/tickets/<int:ticket_id>/insert")
def insert(ticket_id: int):
    """The text the picker inserts: mode link, answer (quoted) or canned (placeholders filled)."""
    item = _ticket_or_404(ticket_id)
    text = composer.insert_text(item, request.args.get("slug", ""),
                                request.args.get("anchor", ""), request.args.get("mode", "link"))
    if text is None:
        abort(404)
    return jsonify(text=text)


@bp.route("/search")
def search():
    """The picker's search: public and internal questions, as JSON."""
    hits = suggestions.search_questions((request.args.get("q") or "")[:200], limit=10)
    return jsonify(results=[_hit_json(hit) for hit in hits])


@bp.route("/preview", methods=["POST"])
def preview():
    """Live preview of a reply through the same sanitizing renderer customers see."""
    return jsonify(html=render_markdown(request.form.get("body", "")[:conversation.MAX_BODY]))


@bp.route("/flags", methods=["POST"])
def flag_article():
    """Flag an article or question as wrong, outdated or unclear (agents and editors)."""
    form = FlagForm()
    article = services.articles().get(form.slug.data or "")
    anchor = form.anchor.data or ""
    if not form.validate_on_submit() or article is None or \
            (anchor and article.question(anchor) is None):
        abort(400)
    ticket = conversation.get_ticket(int(form.ticket_id.data)) \
        if (form.ticket_id.data or "").isdigit() else None
    review.flag(article.slug, anchor, form.reason.data, form.note.data or "", current_user,
                ticket=ticket)
    flash(_("Thank you. The editors will review “%(title)s”.", title=article.title), "info")
    return redirect_local(form.next.data, article_url(article.slug))


def _show(item: Ticket, form: ReplyForm, preview: str | None = None, status: int = 200):
    return render_template(
        "agent/ticket.html", ticket=item, form=form, preview=preview,
        trail=conversation.trail(item), suggested=suggestions.for_ticket(item),
        update_form=_update_form(item, conversation.assignable_agents(),
                                 back=url_for(".ticket", ticket_id=item.id)),
        flag_form=FlagForm(formdata=None), problem=problems.of_ticket(item),
        problem_form=_problem_form(item)), status


def _problem_form(item: Ticket, formdata=None) -> ProblemAttachForm:
    current = problems.of_ticket(item)
    form = ProblemAttachForm(formdata=formdata,
                             data={"problem": str(current.id) if current else ""})
    form.problem.choices = [SelectChoice("", _("No known problem")), *(
        SelectChoice(str(p.id), f"#{p.id} {p.title}") for p in problems.choices())]
    return form


def _update_form(item: Ticket, agents: list[User], formdata=None,
                 back: str = "") -> TicketUpdateForm:
    form = TicketUpdateForm(formdata=formdata, data={
        "status": item.status, "category": item.category,
        "assignee": str(item.assignee_id or ""), "next": back})
    if item.assignee_id and all(user.id != item.assignee_id for user in agents):
        agents = [*agents, item.assignee]  # a disabled assignee stays until someone changes it
    form.assignee.choices = [SelectChoice("", _("Unassigned")),
                             *(SelectChoice(str(user.id), user.name) for user in agents)]
    return form


def _hit_json(hit) -> dict:
    return {"slug": hit.slug, "anchor": hit.anchor, "title": hit.title,
            "question": hit.question or hit.title, "audience": hit.audience, "lang": hit.lang,
            "snippet": hit.snippet_html, "url": hit_url(hit),
            "modes": ["canned"] if hit.audience == "internal" else ["link", "answer"]}


def _ticket_or_404(ticket_id: int) -> Ticket:
    return conversation.get_ticket(ticket_id) or abort(404)
