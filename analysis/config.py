"""Settings: one `Settings` value, read from the environment at the edges (the CLI, the app, a job) and
handed to the library with `use()`; library code asks `settings()` when it runs, never at import.

Paths and limits that are not settings (the project folders, date bounds, the smallest corpus for topics)
are constants here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "data" / "news.db"
DEMO_DIR = PROJECT_DIR / "data" / "demo"
MODELS_DIR_NAME = "models"  # beside the store: <store dir>/models/
MIN_ARTICLES_FOR_TOPICS = 60
# Dates outside this range are treated as missing (placeholders such as 0001-11-30).
MIN_YEAR = 1900
MAX_FUTURE_DAYS = 2
# Tone labels are read off the score: below -TONE_THRESHOLD negative, above +TONE_THRESHOLD positive.
TONE_THRESHOLD = 0.33


@dataclass(frozen=True)
class Settings:
    """Everything a user may set (README: Configuration), with its environment variable."""

    db: str = field(default=str(DEFAULT_DB), metadata={"env": "NEWS_DB"})  # a file, or a postgresql:// URL
    import_batch: int = field(default=2000, metadata={"env": "NEWS_IMPORT_BATCH"})
    import_workers: int = field(default=0, metadata={"env": "NEWS_IMPORT_WORKERS"})  # 0: by file size and cores
    embed_model: str = field(default="all-MiniLM-L6-v2", metadata={"env": "NEWS_EMBED_MODEL"})
    embed_max_tokens: int = field(default=128, metadata={"env": "NEWS_EMBED_MAX_TOKENS"})
    embed_lead_words: int = field(default=60, metadata={"env": "NEWS_EMBED_LEAD_WORDS"})
    embed_batch: int = field(default=8, metadata={"env": "NEWS_EMBED_BATCH"})  # texts per model batch
    embed_runtime: str = field(default="onnx", metadata={"env": "NEWS_EMBED_RUNTIME"})  # onnx (fast start) or torch
    model_threads: int = field(default=0, metadata={"env": "NEWS_MODEL_THREADS"})  # a model's threads; 0: all cores
    stage_workers: int = field(default=0, metadata={"env": "NEWS_STAGE_WORKERS"})  # processes; 0: one per core
    model_cache: Path = field(default=PROJECT_DIR / "data" / "cache" / "models", metadata={"env": "NEWS_MODEL_CACHE"})
    seed: int = field(default=42, metadata={"env": "NEWS_SEED"})
    collect_workers: int = field(default=8, metadata={"env": "NEWS_COLLECT_WORKERS"})
    collect_allow_hosts: frozenset[str] = field(default=frozenset(), metadata={"env": "NEWS_COLLECT_ALLOW_HOSTS"})

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The defaults, with every variable that is set in the environment (a bad number is a BadInput)."""
        from analysis.errors import BadInput

        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f.metadata["env"], "").strip()
            if not raw:
                continue
            if f.name == "collect_allow_hosts":
                values[f.name] = frozenset(h.strip().lower() for h in raw.split(",") if h.strip())
            elif f.name == "model_cache":
                values[f.name] = Path(raw)
            elif isinstance(f.default, int):
                try:
                    values[f.name] = int(raw)
                except ValueError as exc:
                    raise BadInput(f"{f.metadata['env']} must be a whole number, not {raw!r}.") from exc
            else:
                values[f.name] = raw
        return cls(**values)  # type: ignore[arg-type]


_current: Settings | None = None


def use(value: Settings) -> Settings:
    """Make these the settings of this process (called by the CLI, the app and bench at start)."""
    global _current
    _current = value
    return value


def settings() -> Settings:
    """The settings an edge chose with use(); read from the environment when none did (a library call)."""
    return _current if _current is not None else Settings.from_env()


def db_path(override: str | os.PathLike[str] | None = None) -> str:
    """The store: an explicit override (--db), else the settings' (NEWS_DB, else data/news.db); a file path
    (SQLite) or a postgresql:// URL."""
    return str(override) if override else settings().db
