"""Other systems' locale codes → the portal's three languages."""
from __future__ import annotations

_HANT = ("zh-tw", "zh-hk", "zh-mo", "zh-hant", "zh-cht")


def portal_language(locale: str | None) -> str | None:
    """zh-cn → zh-Hans, zh-tw / zh-hk → zh-Hant, en-us → en; None for any other language."""
    code = (locale or "").strip().lower().replace("_", "-")
    if not code:
        return None
    if code.startswith(_HANT):
        return "zh-Hant"
    if code == "zh" or code.startswith("zh-"):
        return "zh-Hans"
    if code == "en" or code.startswith("en-"):
        return "en"
    return None
