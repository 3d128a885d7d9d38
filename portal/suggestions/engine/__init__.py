"""The suggestion engine: plain Python (no Flask, no SQL), so it runs in a batch job as
well as in the app. Its public names are those of `grouping`. See docs/suggestions.md."""
from portal.suggestions.engine import grouping
from portal.suggestions.engine.grouping import *  # noqa: F401,F403  (the engine's public names)

__all__ = grouping.__all__
