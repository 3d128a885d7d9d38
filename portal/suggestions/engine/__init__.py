"""The suggestion engine: plain Python (no Flask, no SQL), so it runs in a batch job as
well as in the app. See docs/suggestions.md."""
from portal.suggestions.engine.grouping import (
    ArticleRef,
    Group,
    Nearest,
    Signal,
    SignalFormatError,
    SuggestionResult,
    cluster,
    read_jsonl,
)

__all__ = [
    "ArticleRef", "Group", "Nearest", "Signal", "SignalFormatError", "SuggestionResult",
    "cluster", "read_jsonl",
]
