"""A killed run leaves nothing running: the worker processes of an import, of a fit (joblib's, for HDBSCAN) and of
a Dask fit, and the app's child runs, end when the process that started them is killed with SIGKILL (so none of its
own cleanup runs). A child run started from a thread that ends lives on while its parent does."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import psutil
import pytest

from analysis.lifetime import PARENT_ENV, start_on_lasting_thread
from analysis.pipeline.load import import_file
from analysis.store import Store
from tests.support.fixtures import write_csv
from tests.support.topic_fixtures import STORY_ROWS, topic_rows

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the death signal is Linux's")

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")

# The parents. Each prints a line once its children are at work, then stays until killed.
IMPORT = """
import sys, threading
from analysis.pipeline.load import Importer
from analysis.store import Store

def hold(done: int, total: int) -> None:  # the first batch is stored: the import stays here, its workers up
    print("importing", flush=True)
    threading.Event().wait()

with Store(sys.argv[1]) as store:
    Importer(store, workers=2, batch_size=50, progress=hold).run(sys.argv[2])
"""

# As a page does: a thread starts the run and ends; the run must live on. With "finish", the thread first sees the
# run under way and holds its next batch on a lock, which this process lets go once the thread has ended; it then
# reads the run to its end. With "hold", it waits for the run (held by a lock of the test's).
CHILD_RUN = """
import sqlite3, sys, threading, time
from pathlib import Path
from ui.runs import follow, start_child

db, source, then = sys.argv[1:4]
run = {}

def page() -> None:
    run["proc"] = proc = start_child(["import", source, "--db", db])
    if then == "finish":
        lock = sqlite3.connect(db, timeout=60, isolation_level=None, check_same_thread=False)
        while proc.poll() is None and not lock.execute("SELECT count(*) FROM articles").fetchone()[0]:
            time.sleep(0.02)
        lock.execute("BEGIN IMMEDIATE")
        run["lock"] = lock

thread = threading.Thread(target=page)
thread.start()
thread.join()
while Path(f"/proc/self/task/{thread.native_id}").exists():  # gone from the system too, not only from Python
    time.sleep(0.01)
proc = run["proc"]
print("running" if proc.poll() is None else "ended", flush=True)
if then == "finish":
    run["lock"].execute("ROLLBACK")
    print("exit", follow(proc, None)[0], flush=True)
else:
    proc.wait()
"""

DASK_FIT = """
import sys
from analysis.pipeline.scale import run_fit_dask
from analysis.store import Store
from tests.support.fakes import StuckEmbedder

with Store(sys.argv[1]) as store:
    run_fit_dask(store, workers=2, embedder=StuckEmbedder, partition=40, sample=120)
"""

CLUSTER = """
import threading
import numpy as np
from analysis.enrich.topic_model import TopicParams, cluster

points = np.random.default_rng(0).normal(size=(20_000, 5)).astype(np.float32)  # HDBSCAN's workers from 16,385
cluster(points, TopicParams(min_cluster_size=15, min_samples=5))
print("clustered", flush=True)
threading.Event().wait()
"""


class Parent:
    """`python -c CODE ARGS` in the project folder; its output lines are read with a deadline."""

    def __init__(self, code: str, *args: object, env: dict[str, str] | None = None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", code, *map(str, args)],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("(ended)")

    def says(self, timeout: float = 180) -> str:
        try:
            return self.lines.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"the parent said nothing in {timeout} s") from None

    def alive_descendants(self) -> list[psutil.Process]:
        assert self.proc.poll() is None, "the parent ended before it was killed"
        return self.descendants()

    def descendants(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return []


@pytest.fixture
def launch() -> Iterator[Callable[..., Parent]]:
    """Start parents; whatever is left of them and their children at the end is killed, even when a test fails."""
    parents: list[Parent] = []

    def start(code: str, *args: object, env: dict[str, str] | None = None) -> Parent:
        parents.append(Parent(code, *args, env=env))
        return parents[-1]

    yield start
    for parent in parents:
        kids = parent.descendants()
        parent.proc.kill()
        parent.proc.wait()
        stop(running(kids))


def wait_for(check: Callable[[], T | None], what: str, timeout: float = 180) -> T:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if (got := check()) is not None:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def running(procs: list[psutil.Process]) -> list[psutil.Process]:
    out = []
    for p in procs:
        try:
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE:
                out.append(p)
        except psutil.NoSuchProcess:
            pass
    return out


def stop(procs: list[psutil.Process]) -> None:
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            p.kill()


def command(p: psutil.Process) -> str:
    try:
        return " ".join(p.cmdline())
    except psutil.Error:
        return "(gone)"


def once_started(parent: Parent, wanted: dict[str, int]) -> list[psutil.Process]:
    """The parent's descendants, once at least wanted[s] of them have s in their command line (for each s)."""

    def check() -> list[psutil.Process] | None:
        kids = parent.alive_descendants()
        found = {s: sum(s in command(k) for k in kids) for s in wanted}
        return kids if all(found[s] >= n for s, n in wanted.items()) else None

    return wait_for(check, f"the parent's children {wanted}")


def kill_leaves_nothing(parent: Parent, kids: list[psutil.Process], within: float = 30) -> None:
    """SIGKILL the parent: every process below it must end within `within` seconds."""
    names = {k.pid: command(k) for k in kids}
    parent.proc.kill()
    parent.proc.wait()
    deadline = time.monotonic() + within
    while (left := running(kids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    stop(left)
    assert not left, "still running after the parent was killed: " + "; ".join(names[k.pid] for k in left)


def write_rows(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            row = {
                "title": f"Report {i} on the harbour works",
                "text": f"Report number {i}: the harbour works went on through the week, the council said.",
                "outlet": f"Outlet {i % 5}",
                "date": f"2024-03-{i % 28 + 1:02d}T10:00:00Z",
                "url": f"https://outlet{i % 5}.example/news/{i}",
            }
            fh.write(json.dumps(row) + "\n")
    return path


def test_a_killed_import_leaves_no_worker_and_no_resource_tracker(launch, tmp_path):
    parent = launch(IMPORT, tmp_path / "news.db", write_rows(tmp_path / "rows.jsonl", 2000))
    assert parent.says() == "importing"
    kids = once_started(parent, {"spawn_main": 2, "resource_tracker": 1})
    kill_leaves_nothing(parent, kids)


def test_a_child_run_lives_on_after_the_thread_that_started_it(launch, tmp_path):
    db, rows = tmp_path / "news.db", 10_000
    Store(db).close()
    source = write_rows(tmp_path / "rows.jsonl", rows)  # in 100 batches: still under way once the first is stored
    parent = launch(CHILD_RUN, db, source, "finish", env={"NEWS_IMPORT_WORKERS": "2", "NEWS_IMPORT_BATCH": "100"})
    assert parent.says() == "running"  # under way when its thread ended
    assert parent.says() == "exit 0"  # and not killed then: it finished the import
    with Store(db, readonly=True) as store:
        assert store.count() == rows


def test_a_killed_app_leaves_no_child_run(launch, tmp_path):
    db = tmp_path / "news.db"
    Store(db).close()
    lock = sqlite3.connect(db, isolation_level=None)
    lock.execute("BEGIN IMMEDIATE")  # the run waits for it (up to the store's busy timeout, 30 s) after it started
    try:
        parent = launch(CHILD_RUN, db, write_rows(tmp_path / "rows.jsonl", 100), "hold")
        assert parent.says() == "running"
        kids = once_started(parent, {"-m analysis import": 1})
        run = next(k for k in kids if "-m analysis import" in command(k))

        def opened() -> bool | None:
            return True if any(f.path == str(db) for f in run.open_files()) else None

        wait_for(opened, "the run to open the store (after its start, where it asks to end with its parent)")
        kill_leaves_nothing(parent, kids, within=20)
    finally:
        lock.close()


def test_a_killed_dask_fit_leaves_no_worker_running(launch, tmp_path):
    db = tmp_path / "news.db"
    with Store(db) as store:
        import_file(store, write_csv(tmp_path / "rows.csv", topic_rows() + STORY_ROWS))
    stuck = tmp_path / "stuck"
    stuck.mkdir()
    parent = launch(DASK_FIT, db, env={"STUCK_EMBEDDER_DIR": str(stuck)})
    kids = wait_for(
        lambda: parent.alive_descendants() if len(list(stuck.iterdir())) >= 2 else None, "both Dask workers at work"
    )
    assert {int(p.name) for p in stuck.iterdir()} <= {k.pid for k in kids}
    kill_leaves_nothing(parent, kids)


def test_a_killed_fit_leaves_no_clustering_worker_running(launch):
    parent = launch(CLUSTER)
    assert parent.says() == "clustered"
    kids = once_started(parent, {"loky": 2})
    kill_leaves_nothing(parent, kids)


def test_a_child_whose_parent_is_gone_ends_at_once():
    # The parent named is alive but is not the child's parent: as if the parent had ended before the child
    # could ask to end with it (the child is then someone else's).
    for mode in ("signal", "watch"):
        code = (
            "import sys; from analysis.lifetime import end_with_parent; "
            "end_with_parent(int(sys.argv[1]), watch=sys.argv[2] == 'watch'); print('alive')"
        )
        out = subprocess.run(
            [sys.executable, "-c", code, str(os.getppid()), mode], cwd=ROOT, capture_output=True, text=True
        )
        assert (out.returncode, out.stdout) == (1, ""), mode
        out = subprocess.run(
            [sys.executable, "-c", code, str(os.getpid()), mode], cwd=ROOT, capture_output=True, text=True
        )
        assert (out.returncode, out.stdout) == (0, "alive\n"), mode


def test_the_command_line_ends_with_the_parent_named_in_its_environment():
    def run(parent_pid: int) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "analysis", "stats", "--help"],
            cwd=ROOT,
            env={**os.environ, PARENT_ENV: str(parent_pid)},
            capture_output=True,
            text=True,
        )

    gone = run(os.getppid())  # alive, but not its parent: as if its parent had ended
    assert (gone.returncode, gone.stdout) == (1, "")
    assert run(os.getpid()).returncode == 0


def test_the_lasting_thread_outlives_the_threads_that_use_it():
    seen: list[int] = []

    def use() -> None:
        seen.append(start_on_lasting_thread(threading.get_ident))

    for _ in range(3):
        t = threading.Thread(target=use)
        t.start()
        t.join()
    assert len(set(seen)) == 1 and seen[0] != threading.get_ident()
    with pytest.raises(ZeroDivisionError):
        start_on_lasting_thread(lambda: 1 / 0)
