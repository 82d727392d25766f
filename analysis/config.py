"""Settings from environment variables with defaults."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "data" / "news.db"
DEMO_DIR = PROJECT_DIR / "data" / "demo"


def db_path(override: str | os.PathLike[str] | None = None) -> Path:
    """The store path: explicit override, else NEWS_DB, else data/news.db."""
    if override:
        return Path(override)
    env = os.environ.get("NEWS_DB")
    return Path(env) if env else DEFAULT_DB


IMPORT_BATCH_SIZE = int(os.environ.get("NEWS_IMPORT_BATCH", "2000"))
# Dates outside this range are treated as missing (placeholders such as 0001-11-30).
MIN_YEAR = 1900
MAX_FUTURE_DAYS = 2

# Topic engine
EMBED_MODEL = os.environ.get("NEWS_EMBED_MODEL", "all-MiniLM-L6-v2")
EMBED_MAX_TOKENS = int(os.environ.get("NEWS_EMBED_MAX_TOKENS", "128"))
EMBED_LEAD_WORDS = int(os.environ.get("NEWS_EMBED_LEAD_WORDS", "60"))
EMBED_BATCH = int(os.environ.get("NEWS_EMBED_BATCH", "64"))
MODELS_DIR_NAME = "models"  # beside the store: <store dir>/models/
MIN_ARTICLES_FOR_TOPICS = 60
SEED = int(os.environ.get("NEWS_SEED", "42"))
EMBED_RUNTIME = os.environ.get("NEWS_EMBED_RUNTIME", "onnx")  # onnx (fast start) or torch
MODEL_CACHE = Path(os.environ.get("NEWS_MODEL_CACHE", str(PROJECT_DIR / "data" / "cache" / "models")))
