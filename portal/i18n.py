"""Which language the interface speaks: the reader's choice, else the browser's.

Simplified Chinese is the default. A `?lang=` choice is remembered in a cookie, and
Accept-Language tags such as zh-TW or zh-HK map to traditional Chinese.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request

LOCALES = {"zh-Hans": "zh_Hans", "zh-Hant": "zh_Hant", "en": "en"}
LANG_COOKIE = "portal_lang"
DEFAULT_LANG = "zh-Hans"
LANGUAGE_NAMES = {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}


def lang_from_tag(tag: str) -> str | None:
    """Our language for a BCP 47 tag (zh-TW → zh-Hant), or None when we have none."""
    tag = (tag or "").strip().lower().replace("_", "-")
    if tag.startswith("zh"):
        traditional = any(part in ("hant", "tw", "hk", "mo") for part in tag.split("-")[1:])
        return "zh-Hant" if traditional else "zh-Hans"
    if tag == "en" or tag.startswith("en-"):
        return "en"
    return None


def current_lang() -> str:
    """The interface language for this request (zh-Hans, zh-Hant or en)."""
    if not has_request_context():
        return DEFAULT_LANG
    chosen = request.args.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in LOCALES:
        return chosen
    for tag, _quality in request.accept_languages:
        lang = lang_from_tag(tag)
        if lang:
            return lang
    return DEFAULT_LANG


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    return LOCALES[current_lang()]


def portal_timezone() -> ZoneInfo:
    """The time zone whose calendar days reports count in (PORTAL_TIMEZONE)."""
    return ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
