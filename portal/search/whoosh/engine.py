"""The Whoosh implementation of `portal.search.base.SearchEngine`.

`WhooshEngine` keeps one searcher per instance and reopens it when the
index generation changes on disk (another process may have written); requests never
open the index from scratch. Whoosh readers share file positions, so one lock
serialises searcher use inside a process (the work is CPU-bound under the GIL anyway).
Repeated queries are answered from an LRU cache keyed by query, filters, page and
generation.
"""
from __future__ import annotations

import contextlib
import gc
import logging
import os
import threading
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np
from cachetools import LRUCache
from whoosh.codec.whoosh3 import W3Codec

from portal.search.whoosh import expansion, querying, ranking, spelling
from portal.search.whoosh.confidence import confidence
from portal.search.whoosh.analysis import prime, terms
from portal.search.whoosh.completion import index_form, matches, prefix_forms
from portal.search.base import (SearchDocument, SearchHit, SearchPage, SearchUnavailable,
                                Suggestion, SyncReport)
from portal.search.whoosh.schema import suggestible_texts, to_fields
from portal.search.whoosh.snippets import snippet
from portal.files import LockTimeout
from portal.search.whoosh.store import IndexStore, IndexUnavailable
from portal.search.whoosh.view import SearcherView
from portal.text.fold import clean, has_han

log = logging.getLogger(__name__)

MAX_PER_PAGE = 100
PROGRESS_EVERY = 500
PARALLEL_FROM = 2000     # documents; below this a rebuild stays in one process
BATCH_SIZE = 200         # documents per job handed to a worker process
SUGGEST_TERMS = 200      # prefix terms examined per key field
# The confidence (confidence.py) from which the best answer counts as confident: chosen
# on half A of the StackFAQ and InsuranceQA-zh dev queries with
# `bench/eval_search.py --protocol abstention`; docs/performance.md reports half B.
CONFIDENT_FROM = 0.35


class WhooshEngine:
    """SearchEngine on a Whoosh index in `index_dir` (see store.py for the layout).

    documents_provider returns every document; it is used only when the index is
    missing or unreadable, to rebuild it. lock_timeout bounds the wait for another
    writer (a rebuild holds the lock throughout); procs caps the worker processes of
    a large rebuild (default: the number of cores, at most 4). With open_now=False the
    index is first opened (or rebuilt) by the first search or write, not here: the app
    is built before migrations run and before gunicorn forks its workers, which must not
    share the searcher's file positions. With repair_on_read=False (web workers) a search
    never writes: a missing index answers SearchUnavailable until the node's index
    follower has built it, and a damaged one keeps serving the last good searcher.
    """

    def __init__(self, index_dir: str,
                 documents_provider: Callable[[], Iterable[SearchDocument]] | None = None,
                 *, lock_timeout: float = 120.0, cache_size: int = 1024, limitmb: int = 512,
                 procs: int | None = None, open_now: bool = True,
                 repair_on_read: bool = True):
        prime()
        self._repair_on_read = repair_on_read
        self._store = IndexStore(index_dir, lock_timeout)
        self._provider = documents_provider
        self._limitmb = limitmb
        self._procs = procs if procs is not None else min(4, os.cpu_count() or 1)
        self._lock = threading.RLock()
        self._name: str | None = None
        self._ix = None
        self._view: SearcherView | None = None
        self._cache: LRUCache = LRUCache(maxsize=cache_size)
        self._cache_lock = threading.Lock()
        self._repairer: threading.Thread | None = None
        if open_now:
            with self._lock, contextlib.suppress(SearchUnavailable):
                self._current_view()  # another writer is rebuilding: 503 until it is done

    # -- generations -------------------------------------------------------------

    @property
    def generation(self) -> str:
        """Changes whenever the live index content changes, in any process."""
        try:
            name = self._store.current_name()
            if name is None:
                return "none"
            ix = self._ix if name == self._name else self._store.open(name)
            return f"{name}:{ix.latest_generation()}"
        except (IndexUnavailable, OSError):
            return "unavailable"

    def updated_at(self) -> float | None:
        """The newest file time in the live generation (a write, a merge or a rebuild)."""
        try:
            name = self._store.current_name()
            folder = os.path.join(self._store.root, name) if name else None
            return max(entry.stat().st_mtime for entry in os.scandir(folder)) if folder else None
        except (IndexUnavailable, OSError, ValueError):
            return None

    def _current_view(self) -> SearcherView:
        """The live searcher's view, reopened if the index changed (hold _lock).

        A missing or unreadable index is rebuilt: at once when no other writer is busy
        and there is nothing to answer from, else in the background while searches use
        the last good generation (its files stay open) or, without one, SearchUnavailable.
        """
        problem: Exception | None = None
        for _ in range(3):
            try:
                return self._follow_pointer()
            except Exception as exc:  # unreadable files raise all kinds of errors
                problem = exc  # the pointer may have moved under us: look again
        if not self._repair_on_read:
            if self._view is not None:
                return self._view
            raise SearchUnavailable(str(problem))
        if self._view is not None:
            self._repair_in_background(problem)
            return self._view
        try:
            self._repair(problem, wait=False)
            return self._follow_pointer()
        except LockTimeout:
            self._repair_in_background(problem)
            raise SearchUnavailable(str(problem)) from None

    def _repair_in_background(self, problem: Exception | None) -> None:
        """Start one rebuild thread unless one is running already."""
        with self._cache_lock:
            if self._repairer is not None and self._repairer.is_alive():
                return
            self._repairer = threading.Thread(target=self._repair_quietly, args=(problem,),
                                              name="search-index-repair", daemon=True)
            self._repairer.start()

    def _repair_quietly(self, problem: Exception | None) -> None:
        try:
            self._repair(problem)
        except Exception:  # logged; the next search tries again
            log.exception("rebuilding the search index in %s failed", self._store.root)

    def wait_for_repair(self, timeout: float | None = None) -> bool:
        """Wait for a background rebuild; True when none is running any more."""
        repairer = self._repairer
        if repairer is not None:
            repairer.join(timeout)
        return repairer is None or not repairer.is_alive()

    def _follow_pointer(self) -> SearcherView:
        name = self._store.current_name()
        if name is None:
            raise IndexUnavailable("no index has been built yet")
        # Not Searcher.refresh(): it reuses the reader of a segment with the same id,
        # keeping that segment's old deletions, so replaced or removed articles would
        # stay visible. A fresh searcher after a change costs milliseconds.
        if self._view is None or name != self._name or not self._view.searcher.up_to_date():
            ix, searcher = self._store.open_searcher(name)
            old, self._view = self._view, SearcherView(searcher)
            self._name, self._ix = name, ix
            if old is not None:
                with contextlib.suppress(Exception):  # best effort: it may be damaged
                    old.searcher.close()
        return self._view

    def _repair(self, problem: Exception | None, wait: bool = True) -> None:
        """Rebuild a missing or unreadable index from the provider (once, under the lock)."""
        with self._store.write_lock(wait):
            try:
                name = self._store.current_name()
                if name is not None:
                    self._store.open_searcher(name)[1].close()
                    return  # another process repaired it while we waited
            except Exception:  # unreadable: rebuild below
                pass
            log.warning("search index in %s is missing or unreadable (%s); rebuilding it "
                        "from the article provider", self._store.root, problem)
            docs = list(self._provider()) if self._provider else []
            self._build(docs, None)

    def _writable_index(self):
        """The live index for an incremental write (hold the store's write lock)."""
        try:
            name = self._store.current_name()
            if name is None:
                raise IndexUnavailable("no index has been built yet")
            return self._store.open(name)
        except IndexUnavailable as exc:
            self._repair(exc)
            return self._store.open(self._store.current_name())

    # -- writing -----------------------------------------------------------------

    def _writer(self, ix):
        # Most posting blocks are tiny (type-ahead keys, rare terms): zlib costs more
        # time than the few bytes it saves.
        return ix.writer(timeout=self._store.lock_timeout, limitmb=self._limitmb,
                         codec=W3Codec(compression=0))

    def index_article(self, slug: str, docs: Sequence[SearchDocument]) -> None:
        """Replace every document of `slug` with `docs` in one commit."""
        records = [self._record(slug, doc) for doc in docs]
        with self._store.write_lock():
            writer = self._writer(self._writable_index())
            try:
                writer.delete_by_term("slug", slug)
                for record in records:
                    writer.add_document(**record)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()

    def remove_article(self, slug: str) -> None:
        """Remove every document of `slug`."""
        self.index_article(slug, [])

    def sync(self, current: Mapping[str, tuple[str, list[SearchDocument]]]) -> SyncReport:
        """Re-index slugs whose fingerprint changed or that are new; drop vanished ones."""
        with self._store.write_lock():
            ix = self._writable_index()
            with ix.searcher() as searcher:
                indexed = _indexed_fingerprints(searcher.reader())
            added = sorted(slug for slug in current if slug not in indexed)
            updated = sorted(slug for slug, (fingerprint, _) in current.items()
                             if slug in indexed and indexed[slug] != fingerprint)
            removed = sorted(slug for slug in indexed if slug not in current)
            if not indexed and sum(len(current[slug][1]) for slug in added) >= PARALLEL_FROM:
                # first start of a large help centre: the multi-process path
                self._build([_owned(slug, doc) for slug in added for doc in current[slug][1]],
                            None)
            elif added or updated or removed:
                writer = self._writer(ix)
                try:
                    for slug in updated + removed:
                        writer.delete_by_term("slug", slug)
                    for slug in added + updated:
                        for doc in current[slug][1]:
                            writer.add_document(**self._record(slug, doc))
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
        unchanged = len(current) - len(added) - len(updated)
        return SyncReport(tuple(added), tuple(updated), tuple(removed), unchanged)

    def rebuild(self, docs: Iterable[SearchDocument],
                progress: Callable[[int], None] | None = None) -> None:
        """Build a complete new generation from `docs`, then switch to it atomically."""
        with self._store.write_lock():
            self._build(docs, progress)

    def _build(self, docs: Iterable[SearchDocument], progress) -> None:
        docs = list(docs)
        name, ix = self._store.create()
        try:
            with _cyclic_gc_paused():
                writer = self._bulk_writer(ix, len(docs))
                try:
                    for count, doc in enumerate(docs, 1):
                        writer.add_document(**to_fields(doc))
                        if progress and count % PROGRESS_EVERY == 0:
                            progress(count)
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit()
            with self._store.open(name).searcher() as searcher:
                if searcher.doc_count() != len(docs):  # a worker process died
                    raise RuntimeError(f"rebuild indexed {searcher.doc_count()} of "
                                       f"{len(docs)} documents")
        except BaseException:
            self._store.remove_except(self._store.current_name())
            raise
        self._store.publish(name)
        if progress:
            progress(len(docs))

    def _bulk_writer(self, ix, count: int):
        """A writer for a whole new generation: analysis is most of the work, so large
        builds run it in one worker process per core, each writing its own segment."""
        procs = self._procs if count >= PARALLEL_FROM else 1
        if procs <= 1:
            return self._writer(ix)
        return ix.writer(procs=procs, multisegment=True, batchsize=BATCH_SIZE,
                         timeout=self._store.lock_timeout, limitmb=self._limitmb,
                         codec=W3Codec(compression=0))

    @staticmethod
    def _record(slug: str, doc: SearchDocument) -> dict:
        return to_fields(_owned(slug, doc))

    # -- reading -----------------------------------------------------------------

    def search(self, query: str, *, page: int = 1, per_page: int = 10,
               lang: str | None = None, category: str | None = None,
               audiences: Sequence[str] = ("public",),
               statuses: Sequence[str] = ("published",)) -> SearchPage:
        """One page of ranked results; see SearchPage for facets and suggestion."""
        page = max(1, int(page))
        per_page = min(max(1, int(per_page)), MAX_PER_PAGE)
        audiences, statuses = tuple(sorted(set(audiences))), tuple(sorted(set(statuses)))
        text = clean((query or "")[:querying.MAX_QUERY_CHARS]).lower()
        key = (text, page, per_page, lang, category, audiences, statuses, self.generation)
        with self._cache_lock:
            cached = self._cache.get(key)
        if cached is not None:
            return cached
        result = self._search(query, page, per_page, lang, category, audiences, statuses)
        with self._cache_lock:
            self._cache[key] = result
        return result

    def _search(self, query, page, per_page, lang, category, audiences, statuses) -> SearchPage:
        parsed = querying.parse(query)
        offset = (page - 1) * per_page
        with self._lock:
            view = self._current_view()
            allowed = view.filter_mask(audiences, statuses, lang)
            scored, fixes = _meanings(view, parsed, allowed)
            scores = view.ranker.scores(scored)
            matched = allowed & (scores > 0)
            for phrase in querying.phrase_queries(parsed):
                matched &= view.docs_mask(phrase)
            facets = view.facets(matched)
            if category is not None:
                matched &= view.category_mask(category)
            candidates = np.flatnonzero(matched)
            total = len(candidates)
            view.ranker.add_proximity([t for t, boost in scored if boost >= 1], scores,
                                      candidates)
            certainty = _confidence(view, scored, scores, candidates)
            ranked = ranking.top(scores, candidates, offset + per_page)[offset:]
            found = [(view.searcher.stored_fields(d), float(scores[d]),
                      _highlights(parsed, [t for t, _ in scored if view.ranker.holds(t, d)]))
                     for d in ranked]
            suggestion = spelling.suggest_query(parsed.text, fixes)
        hits = [_hit(fields, score, wanted) for fields, score, wanted in found]
        return SearchPage(parsed.text, total, page, per_page, suggestion, hits, facets,
                          confident=certainty >= CONFIDENT_FROM,
                          confidence=round(certainty, 4))

    def suggest(self, prefix: str, *, limit: int = 8, audiences: Sequence[str] = ("public",),
                statuses: Sequence[str] = ("published",)) -> list[Suggestion]:
        """Titles, questions and aliases starting with `prefix` (or its pinyin/initials)."""
        forms = prefix_forms((prefix or "")[:querying.MAX_QUERY_CHARS])
        limit = max(0, min(int(limit), MAX_PER_PAGE))
        if not forms or not limit:
            return []
        audiences, statuses = tuple(sorted(set(audiences))), tuple(sorted(set(statuses)))
        with self._lock:
            view = self._current_view()
            reader = view.searcher.reader()
            allowed = view.filter_mask(audiences, statuses)
            docnums: list[int] = []
            for field in ("complete_head", "complete_tail"):
                for form in forms:
                    for count, term in enumerate(reader.expand_prefix(field, index_form(form))):
                        if count >= SUGGEST_TERMS or len(docnums) >= limit * 4:
                            break
                        docnums.extend(d for d in reader.postings(field, term).all_ids()
                                       if allowed[d] and d not in docnums)
            stored = [reader.stored_fields(d) for d in docnums[:limit * 4]]
        ranked: dict[str, tuple] = {}
        for fields in stored:
            aliases = tuple(a for a in fields.get("aliases", "").split("\n") if a)
            for text in suggestible_texts(fields["kind"], fields["title"],
                                          fields["question"], aliases):
                rank = matches(text, forms)
                if rank is not None and (text not in ranked or ranked[text][0] > rank):
                    ranked[text] = (rank, len(text), Suggestion(
                        text, fields["slug"], fields["anchor"], fields["kind"]))
        ordered = sorted(ranked.items(), key=lambda item: (item[1][0], item[1][1], item[0]))
        return [entry[2] for _, entry in ordered[:limit]]

    def close(self) -> None:
        """Close the searcher; the engine must not be used afterwards."""
        with self._lock:
            if self._view is not None:
                self._view.searcher.close()
            self._view = self._ix = self._name = None
        with self._cache_lock:
            self._cache.clear()


@contextlib.contextmanager
def _cyclic_gc_paused():
    """Pause the cycle collector while a build holds a million posting tuples: its
    full passes over them cost a quarter of a 27k-entry rebuild (measured 76 s → 55 s).
    Worker processes forked meanwhile inherit the pause."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _owned(slug: str, doc: SearchDocument) -> SearchDocument:
    """`doc`, after checking it belongs to `slug` (a mix-up would delete the wrong one)."""
    if doc.slug != slug:
        raise ValueError(f"document {doc.doc_id!r} does not belong to {slug!r}")
    return doc


def _indexed_fingerprints(reader) -> dict[str, str]:
    """slug → fingerprint of every live document, read from columns (no stored fields)."""
    if not reader.doc_count():
        return {}  # an empty index has no columns at all
    slugs = reader.column_reader("slug")
    fingerprints = reader.column_reader("fingerprint")
    return {slugs[d]: fingerprints[d].decode("utf-8") for d in reader.all_doc_ids()}


def _meanings(view: SearcherView, parsed: querying.ParsedQuery,
              allowed: np.ndarray) -> tuple[list[tuple[str, float]], dict[str, str]]:
    """The (term, boost) clauses to score — the query's own, misspelt English words
    corrected, pinyin read as Chinese (expansion.py) — and the corrections made."""
    reader = view.searcher.reader()
    chinese, read = expansion.read_pinyin(parsed.text, view.spellings())
    fixes = expansion.corrections(reader, [w for w in parsed.words if w not in read], allowed,
                                  view.vocabulary())
    unseen = [w for w in read if not expansion.visible(reader, "spell", w, allowed)]
    return expansion.expand(querying.clauses(parsed), unseen + list(fixes), fixes,
                            chinese), fixes


def _confidence(view: SearcherView, scored, scores: np.ndarray, candidates: np.ndarray) -> float:
    """The confidence (confidence.py) of the best of `candidates`; 0 when there is none."""
    if not len(candidates):
        return 0.0
    best = int(candidates[np.argmax(scores[candidates])])
    fields = view.searcher.stored_fields(best)
    heading = fields.get("question") or fields.get("title", "")
    return confidence(view.ranker, scored, float(scores[best]), heading)


def _highlights(parsed: querying.ParsedQuery, held: list[str]) -> set[str]:
    """What a hit's snippet marks: the query words the document holds, plus the English
    words as typed whose stem it holds. A single Chinese character is marked only when
    the query is made of such characters, so the 卡 of 打印机卡纸 never lights up 信用卡."""
    short_query = all(len(t) == 1 for t in parsed.terms)
    marked = {t for t in held if short_query or len(t) > 1 or not has_han(t)}
    return marked | {word for word in parsed.words if marked & set(terms(word))}


def _hit(fields: dict, score: float, wanted: set[str]) -> SearchHit:
    body = fields.get("body") or fields.get("question") or fields.get("title", "")
    return SearchHit(
        slug=fields["slug"], anchor=fields.get("anchor", ""), kind=fields["kind"],
        title=fields.get("title", ""), question=fields.get("question", ""),
        snippet_html=snippet(body, wanted), category=fields.get("category", ""),
        lang=fields.get("lang", ""), audience=fields.get("audience", ""), score=float(score),
    )
