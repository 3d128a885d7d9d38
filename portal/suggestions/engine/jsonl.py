"""Reading signals from JSON lines, the batch job's input format.

One object per line: {"text": ..., "weight"?: n, "time"?: iso8601, "session"?: str,
"kind"?: str}. Other keys are ignored. A bad line stops the read with its line number,
because a silently skipped line would quietly change what ops see.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import datetime

from portal.suggestions.engine.records import Signal


class SignalFormatError(ValueError):
    """A line of the input is not a valid signal; the message starts with its number."""


def read_jsonl(lines_or_path: str | os.PathLike | Iterable[str | bytes]) -> list[Signal]:
    """Parse signals from a file path (str or path-like) or from an iterable of lines.

    Blank lines are skipped but still counted, so error line numbers match an editor's.
    """
    if isinstance(lines_or_path, (str, os.PathLike)):
        with open(lines_or_path, encoding="utf-8") as handle:
            return _parse(handle)
    return _parse(lines_or_path)


def _parse(lines: Iterable[str | bytes]) -> list[Signal]:
    signals = []
    for number, line in enumerate(lines, start=1):
        if isinstance(line, bytes):
            line = line.decode("utf-8")
        if not line.strip():
            continue
        try:
            signals.append(_signal(line))
        except ValueError as error:
            raise SignalFormatError(f"line {number}: {error}") from None
    return signals


def _signal(line: str) -> Signal:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("expected a JSON object")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ValueError('"text" must be a non-empty string')
    return Signal(
        text=text,
        weight=_weight(record.get("weight", 1.0)),
        time=_time(record.get("time")),
        session=_optional_string(record, "session"),
        kind=_optional_string(record, "kind") or "search",
    )


def _weight(value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError('"weight" must be a number >= 0')
    return float(value)


def _time(value) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError('"time" must be an ISO 8601 string')
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f'"time" is not an ISO 8601 date-time: {value!r}') from None


def _optional_string(record: dict, name: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise ValueError(f'"{name}" must be a string')
    return value
