"""Column values as JSON and back, so that every type a table holds round-trips exactly.

Each column gets a kind from its SQL type (recorded in the manifest); a value is written
in the plain JSON form of its kind and read back by the same kind, so a string that looks
like a date stays a string and a timestamp keeps its time zone and microseconds.
"""
from __future__ import annotations

import base64
import decimal
import uuid
from datetime import date, datetime, time, timezone

from sqlalchemy import types as sqltypes
from sqlalchemy.sql.schema import Column

KINDS = ("bool", "int", "float", "decimal", "datetime", "date", "time", "bytes", "json",
         "uuid", "str")


def column_kind(column: Column) -> str:
    """The kind a column's values are written as."""
    col_type = column.type
    if isinstance(col_type, sqltypes.TypeDecorator):
        col_type = col_type.impl if not isinstance(col_type.impl, type) else col_type.impl()
    if isinstance(col_type, sqltypes.JSON):
        return "json"
    if isinstance(col_type, sqltypes.Boolean):
        return "bool"
    if isinstance(col_type, sqltypes.Integer):
        return "int"
    if isinstance(col_type, sqltypes.Float):
        return "float"
    if isinstance(col_type, sqltypes.Numeric):
        return "decimal"
    if isinstance(col_type, sqltypes.DateTime):
        return "datetime"
    if isinstance(col_type, sqltypes.Date):
        return "date"
    if isinstance(col_type, sqltypes.Time):
        return "time"
    if isinstance(col_type, (sqltypes._Binary, sqltypes.LargeBinary)):
        return "bytes"
    if isinstance(col_type, sqltypes.Uuid):
        return "uuid"
    return "str"


def encode(value, kind: str):
    """A column value as a JSON value."""
    if value is None:
        return None
    if kind in ("datetime", "date", "time"):
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(bytes(value)).decode("ascii")
    if kind in ("decimal", "uuid"):
        return str(value)
    if kind == "bool":
        return bool(value)
    return value


def decode(value, kind: str, *, naive_utc: bool = False):
    """A JSON value back as the column's Python value.

    `naive_utc`: the target column keeps no time zone (a reflected SQLite DATETIME), so
    an aware timestamp is stored as naive UTC, the way the models' UTCDateTime stores it.
    """
    if value is None:
        return None
    if kind == "datetime":
        found = datetime.fromisoformat(value)
        if naive_utc and found.tzinfo is not None:
            found = found.astimezone(timezone.utc).replace(tzinfo=None)
        return found
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "time":
        return time.fromisoformat(value)
    if kind == "bytes":
        return base64.b64decode(value)
    if kind == "decimal":
        return decimal.Decimal(value)
    if kind == "uuid":
        return uuid.UUID(value)
    if kind == "float" and isinstance(value, int):
        return float(value)
    return value
