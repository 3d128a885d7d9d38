"""Chinese-first full-text search: documents in, ranked pages and type-ahead out.

Import from here: the rest of the portal sees only the engine interface and the plain
document/result dataclasses, never Whoosh.
"""
from portal.search.documents import (SearchDocument, SearchHit, SearchPage, Suggestion,
                                     SyncReport)
from portal.search.engine import SearchEngine, WhooshEngine
from portal.search.store import LockTimeout

__all__ = ["LockTimeout", "SearchDocument", "SearchEngine", "SearchHit", "SearchPage",
           "Suggestion", "SyncReport", "WhooshEngine"]
