"""One place that turns stored codes into words people read, in the reader's language.

Statuses, roles, failure kinds, reasons and revision actions are stored as short English
codes (`published`, `no_results`, `restore #15`); pages and flash messages must never
show them raw. Unknown codes come back unchanged, so a new code shows up (untranslated)
instead of breaking a page.
"""
from __future__ import annotations

import re

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

LABELS = {
    # article statuses
    "draft": _l("draft"), "published": _l("published"), "archived": _l("archived"),
    # ticket and queue statuses
    "open": _l("open"), "pending": _l("waiting for the customer"), "solved": _l("solved"),
    "in_progress": _l("in progress"), "linked": _l("linked to an article"),
    "drafted": _l("draft written"), "escalated": _l("made a ticket"),
    "dismissed": _l("dismissed"),
    # why a search failed, why a vote said no, why an article was flagged
    "no_results": _l("no results"), "weak_results": _l("no confident answer"), "none_helped": _l("none of the results helped"),
    "unhelpful": _l("voted not helpful"), "ticket": _l("followed by a ticket"),
    "not_answered": _l("Didn't answer the question"), "outdated": _l("Outdated"),
    "unclear": _l("Unclear"), "wrong": _l("Wrong"), "other": _l("Other"),
    "unspecified": _l("No reason given"),
    # staff roles
    "admin": _l("administrator"), "editor": _l("editor"), "agent": _l("support agent"),
    # revision actions
    "disk": _l("edited on disk"), "publish": _l("published"), "save": _l("saved"),
    "archive": _l("archived"), "restore": _l("restored from archive"),
    "add aliases": _l("aliases added"), "draft from suggestion": _l("draft from a suggestion"),
    # mail outbox
    "held": _l("kept (no mail server)"), "queued": _l("queued"), "sending": _l("sending"),
    "sent": _l("sent"), "failed": _l("failed"),
}
_RESTORED_REVISION = re.compile(r"^restore #(\d+)$")


def label(code: str | None) -> str:
    """The reader's words for a stored code; the code itself when it has no label."""
    if not code:
        return ""
    restored = _RESTORED_REVISION.match(code)
    if restored:
        return gettext("restored revision %(num)s", num=restored.group(1))
    return str(LABELS.get(code, code))
