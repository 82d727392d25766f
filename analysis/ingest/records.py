"""Records read from an article file, and the blocks of JSONL lines a big import validates elsewhere."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from analysis.errors import BadInput


class FileFormatError(BadInput):
    """A file that cannot be read as articles; the message is one sentence for the user."""


@dataclass
class Record:
    """One row of the input: its 1-based row number (data rows, header excluded) and fields."""

    row: int
    fields: dict[str, Any] | None
    error: str | None = None


def jsonl_record(row: int, line: str) -> Record:
    """One JSONL line (without its line ending) as a record, or the reason it is not one."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return Record(row, None, f"it is not valid JSON ({exc.msg})")
    if not isinstance(obj, dict):
        return Record(row, None, "it is not a JSON object")
    return Record(row, obj)


_NEWLINE = re.compile(r"\r\n|\r|\n")  # as a text file opened with newline="" splits lines


@dataclass
class LineBlock:
    """Whole lines of a UTF-8 JSONL file as read (bytes), `offset` bytes into its uncompressed text."""

    data: bytes
    offset: int
    name: str

    def records(self) -> Iterator[Record]:
        """The block's rows, numbered from 1 within the block; blank lines are not rows."""
        try:
            text = self.data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileFormatError(
                f"{self.name} is not valid utf-8 text near byte {self.offset + exc.start}; "
                "save it as UTF-8 or give its encoding."
            ) from None
        row = 0
        for line in _NEWLINE.split(text) if "\r" in text else text.split("\n"):
            if line and not line.isspace():
                row += 1
                yield jsonl_record(row, line)
