"""Shared benchmark helpers: the data paths, a results table, JSON output, peak memory."""

from __future__ import annotations

import json
import platform
import resource
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
ALLSIDES = SHARED / "allsides" / "articles.jsonl.gz"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))


def machine() -> dict[str, Any]:
    import os

    return {"python": platform.python_version(), "cpus": os.cpu_count(), "machine": platform.machine()}


def peak_rss_mib() -> float:
    """Peak resident memory of this process (and waited-for children) in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return own / 1024


def report(name: str, rows: list[dict[str, Any]], notes: list[str] | None = None) -> Path:
    """Print rows as a table and write them with machine facts to bench/results/NAME.json."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    cols: list[str] = []
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    cells = [[_fmt(r.get(c, "")) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) if cells else len(c) for i, c in enumerate(cols)]
    print(f"\n## {name}")
    print(" | ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for row in cells:
        print(" | ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))
    for n in notes or []:
        print(f"note: {n}")
    out = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(),
        "rows": rows,
        "notes": notes or [],
    }
    out.write_text(json.dumps(payload, indent=2, default=str))
    print(f"wrote {out.relative_to(ROOT)}")
    return out


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:,.2f}" if abs(v) < 1000 else f"{v:,.0f}"
    if isinstance(v, int):
        return f"{v:,}"
    return str(v)


_COMPONENTS: list[Any] = []


def app_test(script: str | Path, timeout: float = 300) -> Any:
    """An AppTest of `script` that shares one scan of the installed packages for Streamlit components.
    AppTest scans on each new instance's first run (0.3 s here, parsing every package's metadata); a
    server scans once when it starts, so a page's first render for a user does not include it."""
    from streamlit.components.v2.component_manager import BidiComponentManager
    from streamlit.testing.v1 import AppTest

    if not _COMPONENTS:
        manager = BidiComponentManager()
        manager.discover_and_register_components(start_file_watching=False)
        _COMPONENTS.append(manager)
    at = AppTest.from_file(str(script), default_timeout=timeout)
    at._bidi_component_manager = _COMPONENTS[0]  # what AppTest._run would otherwise build and keep
    return at
