"""The app's runs: the pipeline, a collection or an outlet import, each a `python -m analysis` child process (so
the app never loads a model and a long run never blocks other sessions), its progress reported line by line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from analysis.config import PROJECT_DIR
from analysis.lifetime import child_env, start_on_lasting_thread

Progress = Callable[[str, int, int], None]


def start_child(args: list[str]) -> subprocess.Popen[str]:
    """`python -m analysis ARGS`, printing progress lines. It ends when this process ends, even killed, but not
    when the calling thread does (analysis/lifetime.py): the app starts it from a page's thread."""
    quiet = {"HF_HUB_DISABLE_PROGRESS_BARS": "1", "TRANSFORMERS_VERBOSITY": "error", "TQDM_DISABLE": "1"}
    env = child_env(dict(os.environ, NEWS_PROGRESS_LINES="1", HF_HUB_OFFLINE="1", **quiet))  # no console bars
    return start_on_lasting_thread(
        lambda: subprocess.Popen(
            [sys.executable, "-m", "analysis", *args],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
    )


def follow(proc: subprocess.Popen[str], on_progress: Progress | None) -> tuple[int, list[str], dict[str, Any] | None]:
    """Read a child's output to its end: (exit code, its messages, the JSON summary line if it printed one)."""
    messages: list[str] = []
    summary = None
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.rstrip("\n").split("\t")
        if parts[0] == "progress" and len(parts) == 4:
            if on_progress:
                on_progress(parts[1], int(parts[2]), int(parts[3]))
        elif parts[0] == "summary" and len(parts) == 2:
            summary = json.loads(parts[1])
        elif line.strip():
            messages.append(line.strip())
    return proc.wait(), messages, summary


def run_pipeline(db: str, update: bool, on_progress: Progress | None = None) -> tuple[int, str]:
    """`python -m analysis fit [--update]` on a store. Returns (exit code, its last messages)."""
    code, messages, _ = follow(start_child(["fit", "--db", db] + (["--update"] if update else [])), on_progress)
    return code, "\n".join(messages[-8:])


def run_collect(
    db: str,
    feeds: Sequence[str],
    urls: Sequence[str],
    html: Sequence[str | Path] = (),
    on_progress: Progress | None = None,
) -> tuple[int, str, dict[str, Any] | None]:
    """`python -m analysis collect` with these sources. Returns (exit code, messages, summary)."""
    with tempfile.TemporaryDirectory() as tmp:
        args = ["collect", "--db", db]
        for name, items in (("feeds", feeds), ("urls", urls)):
            if items:
                path = Path(tmp) / f"{name}.txt"
                path.write_text("\n".join(items) + "\n", encoding="utf-8")
                args += [f"--{name}", str(path)]
        for h in html:
            args += ["--html", str(h)]
        code, messages, summary = follow(start_child(args), on_progress)
    return code, "\n".join(messages[-12:]), summary


def run_outlet_import(db: str, file: str | Path) -> tuple[int, str]:
    """`python -m analysis outlets import FILE`: outlet metadata from a CSV. Returns (exit code, its messages)."""
    code, messages, _ = follow(start_child(["outlets", "import", str(file), "--db", db]), None)
    return code, "\n".join(messages[-4:])


def run_import(
    db: str,
    file: str | Path,
    outlet: str | None = None,
    mapping: dict[str, str] | None = None,
    on_progress: Progress | None = None,
) -> tuple[int, str, dict[str, Any] | None]:
    """`python -m analysis import FILE`: one uploaded file (workers for a big one, as settings say). Returns (exit
    code, its messages, the import's report: summary, errors and warnings as (row, message) pairs)."""
    args = ["import", str(file), "--db", db, "--show", "0"]
    if outlet:
        args += ["--outlet", outlet]
    for field, column in (mapping or {}).items():
        args += ["--map", f"{field}={column}"]
    code, messages, summary = follow(start_child(args), on_progress)
    return code, "\n".join(messages[-6:]), summary
