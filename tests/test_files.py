"""The one atomic write and the one file lock, and the secret key built on them."""
from __future__ import annotations

import multiprocessing
import os
import stat
import threading

import pytest

from portal import config
from portal.files import LockTimeout, create_exclusive, file_lock, private_folder, write_atomic
from portal.search.whoosh.store import IndexStore

WORKERS = 8
ROUNDS = 20


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_write_atomic_replaces_the_content_and_keeps_the_permissions(tmp_path):
    target = tmp_path / "article.md"
    write_atomic(target, b"one")
    assert target.read_bytes() == b"one" and mode_of(target) == 0o644
    os.chmod(target, 0o640)
    write_atomic(target, b"two")
    assert target.read_bytes() == b"two" and mode_of(target) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.md"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "article.md"
    write_atomic(target, b"old")
    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.md"]


def test_threads_writing_one_file_at_once_each_leave_a_whole_file(tmp_path):
    target = tmp_path / "pointer"
    contents = [bytes([65 + n]) * 100_000 for n in range(WORKERS)]
    threads = [threading.Thread(target=write_atomic, args=(target, data)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert target.read_bytes() in contents
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pointer"]


def test_create_exclusive_creates_once_and_never_replaces(tmp_path):
    target = tmp_path / "key"
    assert create_exclusive(target, b"first", mode=0o600) is True
    assert create_exclusive(target, b"second", mode=0o600) is False
    assert target.read_bytes() == b"first" and mode_of(target) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["key"]


def test_file_lock_is_reentrant_in_a_thread_and_exclusive_across_threads(tmp_path):
    lock = file_lock(tmp_path / "locks" / "write.lock", timeout=0.2)
    outcome = []

    def other_thread():
        try:
            with lock:
                outcome.append("acquired")
        except LockTimeout:
            outcome.append("timed out")

    with lock, lock:
        waiter = threading.Thread(target=other_thread)
        waiter.start()
        waiter.join()
    assert outcome == ["timed out"]
    other_thread()
    assert outcome == ["timed out", "acquired"]


def _hold_lock(path, held, release) -> None:
    with file_lock(path, timeout=10):
        held.set()
        release.wait(30)


def test_file_lock_is_exclusive_across_processes(tmp_path):
    path = tmp_path / "write.lock"
    context = multiprocessing.get_context("fork")
    held, release = context.Event(), context.Event()
    holder = context.Process(target=_hold_lock, args=(path, held, release))
    holder.start()
    try:
        assert held.wait(60)
        with pytest.raises(LockTimeout):
            with file_lock(path, timeout=0.2):
                pass
    finally:
        release.set()
        holder.join(60)
    with file_lock(path, timeout=10):
        pass


def test_the_index_store_writes_under_the_one_file_lock(tmp_path):
    store = IndexStore(str(tmp_path / "index"), lock_timeout=0.2)
    with file_lock(tmp_path / "index" / "WRITE.lock", timeout=1):
        outcome = []

        def write():
            try:
                with store.write_lock():
                    outcome.append("acquired")
            except LockTimeout:
                outcome.append("timed out")

        writer = threading.Thread(target=write)
        writer.start()
        writer.join()
    assert outcome == ["timed out"]


def test_private_folder_is_created_for_its_owner_only(tmp_path):
    folder = tmp_path / "instance"
    private_folder(folder)
    assert mode_of(folder) == 0o700


def _read_secret_key(instance_path, barrier, keys) -> None:
    barrier.wait()
    try:
        keys.put(config.secret_key(instance_path))
    except OSError as exc:  # e.g. a rename racing another worker's
        keys.put(repr(exc))


def test_workers_started_together_all_end_with_one_secret_key(tmp_path, monkeypatch):
    """Each round, WORKERS processes start together on an empty instance folder. The race
    is narrow (about one round in ten went wrong with a fixed temporary name), so ROUNDS."""
    monkeypatch.delenv("SECRET_KEY", raising=False)
    context = multiprocessing.get_context("fork")
    for round_ in range(ROUNDS):
        instance = tmp_path / f"instance-{round_}"
        barrier, keys = context.Barrier(WORKERS), context.Queue()
        workers = [context.Process(target=_read_secret_key, args=(str(instance), barrier, keys))
                   for _ in range(WORKERS)]
        for worker in workers:
            worker.start()
        found = [keys.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(60)
        assert len(set(found)) == 1 and len(found[0]) == 64, f"round {round_}: {found}"
        assert (instance / "secret_key").read_text() == found[0]
        assert mode_of(instance) == 0o700 and mode_of(instance / "secret_key") == 0o600
        assert sorted(p.name for p in instance.iterdir()) == ["secret_key"]
