"""The per-process memo of answers derived from a set of snapshots."""

from __future__ import annotations

import threading
import time

import pytest

from data_sources.published.memo import SnapshotMemo


def test_an_answer_is_computed_once_and_then_remembered() -> None:
    memo = SnapshotMemo()
    calls: list[int] = []
    first = memo.get(("map", (1, 2)), lambda: calls.append(1) or ["answer"])
    again = memo.get(("map", (1, 2)), lambda: calls.append(1) or ["other"])
    assert first is again
    assert calls == [1]


def test_a_new_snapshot_set_is_a_new_key() -> None:
    memo = SnapshotMemo()
    assert memo.get(("map", (1, 2)), lambda: "old") == "old"
    assert memo.get(("map", (1, 3)), lambda: "new") == "new"


def test_the_least_recently_used_answer_is_dropped_first() -> None:
    memo = SnapshotMemo(keep=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 99)  # a is used again, so b is now the oldest
    memo.get("c", lambda: 3)
    assert len(memo) == 2
    assert memo.get("a", lambda: 99) == 1
    assert memo.get("b", lambda: 20) == 20


def test_readers_arriving_together_wait_for_one_computation() -> None:
    memo = SnapshotMemo()
    calls: list[int] = []
    start = threading.Barrier(8)

    def slow() -> str:
        calls.append(1)
        time.sleep(0.2)  # long enough for the other threads to arrive while it computes
        return "answer"

    answers: list[str] = []

    def reader() -> None:
        start.wait()
        answers.append(memo.get("key", slow))

    threads = [threading.Thread(target=reader) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == ["answer"] * 8
    assert calls == [1]


def test_a_failed_computation_is_not_remembered() -> None:
    memo = SnapshotMemo()

    def broken() -> str:
        raise RuntimeError("store unreachable")

    with pytest.raises(RuntimeError):
        memo.get("key", broken)
    assert memo.get("key", lambda: "recovered") == "recovered"


def test_each_shelf_keeps_its_own_number_of_answers() -> None:
    memo = SnapshotMemo(keep=3, shelves={"history": 1})
    memo.get("h1", lambda: "first history", shelf="history")
    memo.get("h2", lambda: "second history", shelf="history")  # drops the first history, and nothing else
    for key in ("a", "b", "c"):
        memo.get(key, lambda: "answer")
    assert len(memo) == 4
    assert memo.get("h1", lambda: "built again", shelf="history") == "built again"
    assert memo.get("a", lambda: "built again") == "answer"


def test_the_same_key_on_two_shelves_is_two_answers() -> None:
    memo = SnapshotMemo()
    assert memo.get("key", lambda: "rows", shelf="rows") == "rows"
    assert memo.get("key", lambda: "history", shelf="history") == "history"
