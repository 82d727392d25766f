"""Run the pipeline in a child process (so the app never loads the embedding model) and report its
progress line by line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable

from analysis.config import PROJECT_DIR


def run_pipeline(db: str, update: bool, on_progress: Callable[[str, int, int], None] | None = None) -> tuple[int, str]:
    """`python -m analysis fit [--update]` on a store. Returns (exit code, its last messages)."""
    cmd = [sys.executable, "-m", "analysis", "fit", "--db", db] + (["--update"] if update else [])
    env = dict(os.environ, NEWS_PROGRESS_LINES="1", HF_HUB_OFFLINE="1")
    proc = subprocess.Popen(
        cmd, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1
    )
    messages: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        parts = line.rstrip("\n").split("\t")
        if parts[0] == "progress" and len(parts) == 4:
            if on_progress:
                on_progress(parts[1], int(parts[2]), int(parts[3]))
        elif line.strip():
            messages.append(line.strip())
    code = proc.wait()
    return code, "\n".join(messages[-8:])
