"""Masking personal data before any customer text is stored or shown again.

Customers paste phone numbers, e-mail addresses, ID-card and bank-card numbers, order
numbers and postal addresses into search boxes and forms, written every way people
write them: 138.0013.8000, 138—0013—8000, １３８…, 一三八零零一三八零零零. None of it may
reach the database. A copy of the text is normalised first, one character for one
(full width to ASCII, Chinese digits to digits), so a match there is a match at the same
place in the original; runs of digits may be split by any few separators. Each run is
then classified with well-kept rules rather than guessed: the `phonenumbers` library for
phone numbers, the ID-card checksum (GB 11643) and the Luhn checksum for bank cards; any
other run of eight or more digits is masked as a number. Everything that is not masked
stays exactly as typed.
"""
from __future__ import annotations

import re
from datetime import date

import phonenumbers

_DEFAULT_REGION = "CN"

# One character for one, so positions in the normalised copy are positions in the text.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_CHINESE_DIGITS = {ord(char): str(value) for value, chars in enumerate((
    "〇零○洞", "一幺壹", "二两貳贰兩", "三叁參", "四肆", "五伍", "六陆陸", "七柒", "八捌", "九玖"))
    for char in chars}
_NORMALISE = _FULL_WIDTH | _CHINESE_DIGITS

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[\w-]+(?:\.[\w-]+)*")
# A run of digits that separators (dots, dashes of every length, underscores, slashes,
# brackets, spaces, up to three at a time) may split; an optional letter prefix (SF…)
# and a final X (ID cards) belong to it.
_SEPARATOR = r"[\s.·•\-‐‑‒–—―_/\\()（）]"
_DIGIT_RUN = re.compile(rf"(?<!\d)((?<![A-Za-z])[A-Za-z]{{1,4}}|)((?:\+|(?<!\d)\()?\d(?:{_SEPARATOR}"
                        rf"{{0,3}}\d)*(?:{_SEPARATOR}?[Xx](?![A-Za-z]))?\)?)(?!\d)")
# A place name: Chinese characters, but not the little words that lead into an address.
_PLACE = r"(?:(?![是到在寄送址的我往给給从從为為住请請发發])[\u4e00-\u9fff])"
_ADDRESS = re.compile(
    rf"(?:{_PLACE}{{2,8}}?(?:省|市|区|區|县|縣|镇|鎮|乡|鄉))*{_PLACE}{{1,10}}?"
    r"(?:路|街|大道|巷|弄|胡同|里)\s*\d+\s*[号號](?:\s*\d+\s*(?:栋|棟|幢|座|号楼|號樓|单元|單元|"
    r"层|層|楼|樓|室|房|号|號))*"
    r"|\b\d{1,5}[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|"
    r"Drive|Dr|Boulevard|Blvd|Way|Court|Ct)\b\.?")

# What a masked piece of text becomes: code that trims or splits text keeps these whole.
PLACEHOLDERS = ("[email]", "[phone]", "[id]", "[card]", "[number]", "[address]")

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CARD_PREFIXES = ("3", "4", "5", "6", "2")


def mask(text: str | None) -> str:
    """The text with e-mail addresses, phone, ID-card, bank-card and long numbers and
    postal addresses replaced by a placeholder naming the kind of thing."""
    if not text:
        return ""
    original, normalised = text, text.translate(_NORMALISE)
    for finder in (_emails, _digit_runs, _addresses):
        pieces, folded_pieces, last = [], [], 0
        for start, end, placeholder in finder(normalised):
            pieces += [original[last:start], placeholder]
            folded_pieces += [normalised[last:start], placeholder]
            last = end
        if pieces:
            original = "".join(pieces) + original[last:]
            normalised = "".join(folded_pieces) + normalised[last:]
    return original


def without_personal_data(phrases: list[str]) -> list[str]:
    """The phrases the mask leaves unchanged: the only ones fit to become public text (an
    alias shown in type-ahead), since a masked phrase would be a useless alias."""
    return [phrase for phrase in phrases if mask(phrase) == phrase]


def _emails(text: str):
    for match in _EMAIL.finditer(text):
        yield match.start(), match.end(), "[email]"


def _addresses(text: str):
    for match in _ADDRESS.finditer(text):
        yield match.start(), match.end(), "[address]"


def _digit_runs(text: str):
    for match in _DIGIT_RUN.finditer(text):
        run = match.group(2)
        digits = re.sub(r"[^\dXx]", "", run)
        kind = classify(run, digits)
        if kind == "[number]":
            yield match.start(1), match.end(2), kind
        elif kind:
            yield match.start(2), match.end(2), kind


def classify(run: str, digits: str) -> str | None:
    """The placeholder for one run of digits, or None when it is not personal data."""
    if is_id_card(digits):
        return "[id]"
    if digits.isdigit() and _is_phone(run):
        return "[phone]"
    if is_bank_card(digits):
        return "[card]"
    return "[number]" if len(digits) >= 8 else None


def _is_phone(run: str) -> bool:
    candidate = re.sub(rf"{_SEPARATOR}+", " ", run).strip()
    try:
        number = phonenumbers.parse(candidate, _DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(number)


def is_id_card(digits: str) -> bool:
    """A mainland resident ID number: 17 digits, a birth date, and a valid check digit."""
    if len(digits) != 18 or not digits[:17].isdigit():
        return False
    try:
        date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    check = "10X98765432"[sum(int(d) * w for d, w in zip(digits, _ID_WEIGHTS)) % 11]
    return digits[17].upper() == check


def is_bank_card(digits: str) -> bool:
    """A payment card number: 13 to 19 digits with a card prefix and a valid Luhn sum."""
    if not (digits.isdigit() and 13 <= len(digits) <= 19 and digits.startswith(_CARD_PREFIXES)):
        return False
    total = 0
    for position, digit in enumerate(reversed(digits)):
        value = int(digit) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0
