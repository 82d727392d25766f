"""What every command shares: its table entry, the store it opens, what it says (without a password)."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Command:
    """One subcommand: its name and help, its options (beside its handler, in its module) and its handler."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    store: bool = True  # takes --db


def redact(target: str) -> str:
    """A store path or URL without its password, for messages."""
    from analysis.store.postgres import redact as without_password

    return without_password(str(target))


def quiet_libraries() -> None:
    """Silence library chatter that says nothing to a user (UMAP's n_jobs note, BERTopic's save hint)."""
    import logging
    import warnings

    warnings.filterwarnings("ignore", category=UserWarning)
    warnings.filterwarnings("ignore", category=FutureWarning)
    logging.getLogger("BERTopic").setLevel(logging.ERROR)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
