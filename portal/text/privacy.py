"""Masking personal data before any customer text is stored.

Customers paste phone numbers, e-mail addresses, ID-card numbers and order numbers into
search boxes and forms. None of it may reach the database: each is replaced by a
placeholder that still tells ops what kind of thing was asked about ("退款 [order]").
Full-width digits and letters are matched as their ASCII forms, so ０１３８… is caught
too, while everything that is not masked stays exactly as typed.
"""
from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Mainland ID card: 17 digits + digit/X (18), or the old 15-digit form.
_ID_CARD = re.compile(r"(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
                      r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
# Mainland mobile (+86 optional), with optional spaces or dashes: 138 0013 8000.
_CN_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
# International / landline: +44 20 7946 0958, (021) 6888-1234, 010-12345678.
_PHONE = re.compile(r"(?<![\w+])\+\d{1,3}[\s-]?(?:\(\d{1,4}\)[\s-]?)?\d{2,4}(?:[\s-]?\d{2,4}){1,3}(?!\d)"
                    r"|(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3})[\s-]?\d{7,8}(?!\d)")
# Long digit runs (order, tracking, card numbers), letters allowed as a prefix.
_LONG_DIGITS = re.compile(r"(?<![\d])[A-Za-z]{0,4}\d(?:[\s-]?\d){7,}(?!\d)")

_PATTERNS = (
    (_EMAIL, "[email]"),
    (_ID_CARD, "[id]"),
    (_CN_MOBILE, "[phone]"),
    (_PHONE, "[phone]"),
    (_LONG_DIGITS, "[number]"),
)


# Full-width ASCII (！ to ～) and the ideographic space map one character to one, so
# match positions in the folded copy are positions in the original.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def mask(text: str | None) -> str:
    """The text with e-mail addresses, phone, ID-card and long numbers replaced."""
    if not text:
        return ""
    original, folded = text, text.translate(_FULL_WIDTH)
    for pattern, placeholder in _PATTERNS:
        pieces_original, pieces_folded, last = [], [], 0
        for match in pattern.finditer(folded):
            pieces_original += [original[last:match.start()], placeholder]
            pieces_folded += [folded[last:match.start()], placeholder]
            last = match.end()
        if pieces_original:
            original = "".join(pieces_original) + original[last:]
            folded = "".join(pieces_folded) + folded[last:]
    return original
