"""CSV and JSON forms of a report, safe to open in a spreadsheet.

CSV is UTF-8 with a byte-order mark (so Excel reads Chinese correctly), a header row
and ISO dates. Every text cell is masked again (no personal data leaves, whatever a
member of staff typed into a problem), and a cell starting with = + - @ (or a tab or
carriage return) gets a leading apostrophe, so a spreadsheet shows it instead of
running it as a formula.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime

from portal.text.privacy import mask

BOM = "\ufeff"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value) -> str | int | float:
    """One value as a CSV cell: ISO dates, rounded ratios, masked and defused text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, int):
        return value
    text = mask(str(value))
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def to_csv(columns: tuple[str, ...], rows: list[dict]) -> bytes:
    """The report as CSV bytes."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row[column]) for column in columns])
    return (BOM + out.getvalue()).encode("utf-8")


def json_value(value):
    """One value for JSON: ISO dates, masked text, numbers and booleans as they are."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return mask(value)
    return value
