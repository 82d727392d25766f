"""Child processes that end with the process that started them, however it ends (SIGKILL included), so a killed
import, fit or app leaves nothing running.

A child calls end_with_parent first thing. On Linux it asks the kernel for SIGKILL when its parent goes (prctl
PR_SET_PDEATHSIG). The kernel sends it when the *thread* that started the child ends, not the whole process, and
the app starts children from threads that end; so such children are started on a thread that lasts as long as the
process (start_on_lasting_thread). A child whose starting thread we do not choose (joblib's workers) watches its
parent from a thread instead, and so does every child on other POSIX systems. On Windows nothing is done.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any, TypeVar

T = TypeVar("T")

PARENT_ENV = "NEWS_PARENT_PID"  # set by child_env for a `python -m analysis` child; read by end_with_parent_in_env
WATCH_SECONDS = 0.5  # how often a watching child checks its parent
_PR_SET_PDEATHSIG = 1  # linux/prctl.h

_Jobs = queue.SimpleQueue[tuple[Callable[[], Any], Future[Any]]]
_lasting: tuple[threading.Thread, _Jobs] | None = None
_lasting_lock = threading.Lock()


def _forget_lasting() -> None:
    """In a forked copy of this process: the lasting thread was not copied (a new one starts when needed)."""
    global _lasting, _lasting_lock
    _lasting, _lasting_lock = None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_lasting)


def start_on_lasting_thread(start: Callable[[], T]) -> T:
    """Run `start`, which starts a child process, on a thread that lasts as long as this process, and return its
    result: the child's death signal (end_with_parent) then comes when this process ends, not the calling thread."""
    global _lasting
    with _lasting_lock:
        if _lasting is None:
            jobs: _Jobs = queue.SimpleQueue()
            thread = threading.Thread(target=_run_jobs, args=(jobs,), name="child-starter", daemon=True)
            try:
                thread.start()
                _lasting = (thread, jobs)
            except RuntimeError:  # the interpreter is shutting down (no new threads): so is this process
                _lasting = None
        lasting = _lasting
    if lasting is None or threading.current_thread() is lasting[0]:
        return start()
    done: Future[T] = Future()
    lasting[1].put((start, done))
    return done.result()


def _run_jobs(jobs: _Jobs) -> None:
    while True:
        start, done = jobs.get()
        try:
            done.set_result(start())
        except BaseException as exc:  # the caller raises it
            done.set_exception(exc)


def end_with_parent(parent_pid: int, watch: bool = False) -> None:
    """End this process (a child) when its parent, `parent_pid`, ends. By the kernel's death signal on Linux, for
    a child started by start_on_lasting_thread; by a watching thread with `watch` (a child started from a thread
    that may end first) or on other POSIX systems."""
    if os.name != "posix":
        return  # Windows keeps no parent link to follow
    if not watch and sys.platform.startswith("linux") and _ask_death_signal():
        if os.getppid() != parent_pid:  # the parent was gone before the signal was asked for
            os._exit(1)
        return
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(target=_watch, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _ask_death_signal() -> bool:
    """Ask the kernel for SIGKILL when the thread that started this process ends; False if it cannot be asked."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(_PR_SET_PDEATHSIG, ctypes.c_ulong(signal.SIGKILL), 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch(parent_pid: int) -> None:
    while os.getppid() == parent_pid:  # a child whose parent ended is adopted by another process
        time.sleep(WATCH_SECONDS)
    os._exit(1)


def child_env(env: dict[str, str]) -> dict[str, str]:
    """`env` for a `python -m analysis` child started by start_on_lasting_thread: the child ends with this process
    (analysis/__main__.py calls end_with_parent_in_env)."""
    return {**env, PARENT_ENV: str(os.getpid())}


def end_with_parent_in_env() -> None:
    """End with the parent named by child_env, if one is. The name is removed from the environment, so that this
    process's own children do not take this process's parent for theirs."""
    pid = os.environ.pop(PARENT_ENV, "")
    if pid.isdigit():
        end_with_parent(int(pid))


@contextmanager
def joblib_workers_end_with_this_process() -> Iterator[None]:
    """joblib's process workers (loky) started inside watch this process and end with it. They are started from
    whichever thread joblib uses and outlive a call (reused, idle for up to 5 minutes), so they watch rather than
    take the death signal. (HDBSCAN starts some for more than 16,384 points.)"""
    from joblib import parallel_config

    with parallel_config(backend="loky", initializer=end_with_parent, initargs=(os.getpid(), True)):
        yield


def worker_pool(workers: int, initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()) -> Any:
    """A ProcessPoolExecutor whose processes are started fresh (spawned, without re-running the parent's main
    script), ignore Ctrl-C (the parent decides what an interruption stops), end when the parent ends, even
    killed, and then run initializer(*initargs)."""
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        workers,
        mp_context=_fresh_context(),
        initializer=_start_worker,
        initargs=(os.getpid(), initializer, initargs),
    )


def _start_worker(parent_pid: int, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    end_with_parent(parent_pid)
    if initializer is not None:
        initializer(*initargs)


def _fresh_context() -> Any:
    return _FreshContext()


class _FreshProcess(SpawnProcess):
    """A spawned process that does not run the parent's main script first, as multiprocessing would: in the app
    (or a test runner) that "script" is a page, which must not run in a worker. It is started on the thread that
    lasts as long as this process (the thread that asks for it may end first)."""

    _main_lock = threading.Lock()

    def start(self) -> None:
        with self._main_lock:
            main = sys.modules["__main__"]
            sys.modules["__main__"] = types.ModuleType("__main__")  # nothing to re-run: no file, no spec
            try:
                start_on_lasting_thread(super().start)
            finally:
                sys.modules["__main__"] = main


class _FreshContext(SpawnContext):
    Process = _FreshProcess
