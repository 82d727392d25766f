"""Parse publication dates in any common format and time zone into ISO 8601 UTC strings."""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, tzinfo

import pandas as pd
from dateutil import parser as du_parser
from dateutil import tz as du_tz

from analysis.config import MAX_FUTURE_DAYS, MIN_YEAR
from analysis.errors import BadInput

ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"
_HAS_OFFSET = re.compile(r"(Z|[+-]\d\d:?\d\d)$")
_TIME_OF_DAY = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?")


def precision(value: object) -> str | None:
    """How precise a raw date is: "time" when it gives a time of day (other than a bare midnight), "day"
    when it gives only a date, None when there is no value. Epoch numbers count as times."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, datetime | pd.Timestamp):
        return "day" if (value.hour, value.minute, value.second) == (0, 0, 0) else "time"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "time"
    text = str(value).strip()
    if not text:
        return None
    if text.lstrip("-").isdigit() and len(text) >= 9:
        return "time"
    m = _TIME_OF_DAY.search(text.split("T", 1)[1] if "T" in text[:11] else text)
    if m is None or (int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)) == (0, 0, 0):
        return "day"
    return "time"


# Abbreviations dateutil cannot resolve by itself (it knows UTC/GMT/Z only).
TZINFOS: dict[str, int | tzinfo] = {
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "AKST": -9 * 3600,
    "AKDT": -8 * 3600,
    "HST": -10 * 3600,
    "BST": 3600,
    "IST": 19800,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "MSK": 10800,
    "JST": 9 * 3600,
    "KST": 9 * 3600,
    "AEST": 10 * 3600,
    "AEDT": 11 * 3600,
    "WET": 0,
    "WEST": 3600,
    "SGT": 8 * 3600,
    "HKT": 8 * 3600,
}

# Formats tried in order on whole columns before the slower element-wise fallback.
_FAST_FORMATS_MONTHFIRST = ("%m/%d/%y", "%m/%d/%Y", "%Y/%m/%d", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S")
_FAST_FORMATS_DAYFIRST = ("%d/%m/%y", "%d/%m/%Y", "%Y/%m/%d", "%Y/%m/%d %H:%M", "%d.%m.%Y")


class DateParser:
    """Vectorised date parsing with a per-value fallback; remembers why a value failed."""

    def __init__(self, default_tz: str = "UTC", dayfirst: bool = False) -> None:
        zone = du_tz.gettz(default_tz)
        if zone is None:
            raise BadInput(f"Unknown time zone {default_tz!r}; use a name such as UTC or America/New_York.")
        self.default_tz = zone
        self.dayfirst = dayfirst
        self.now = datetime.now(UTC)
        self.max_date = self.now + timedelta(days=MAX_FUTURE_DAYS)

    def parse_many(self, values: Sequence[object]) -> tuple[list[str | None], dict[int, str]]:
        """Parse a batch. Returns ISO strings (None where empty or invalid) and {index: reason}; the
        precision of each ("day" or "time", see `precision`) is left in self.precisions."""
        self.precisions = [precision(v) for v in values]
        out: list[str | None] = [None] * len(values)
        problems: dict[int, str] = {}
        pending: dict[int, str] = {}
        for i, v in enumerate(values):
            if v is None or (isinstance(v, float) and v != v):
                continue
            if isinstance(v, datetime | pd.Timestamp):
                out[i] = self._finish(v, i, problems, str(v))
                continue
            if isinstance(v, int | float) and not isinstance(v, bool):
                out[i] = self._from_epoch(float(v), i, problems)
                continue
            s = str(v).strip()
            if not s or s.lower() in {"nan", "nat", "none", "null", "n/a", "-"}:
                continue
            if s.lstrip("-").isdigit() and len(s) >= 9:
                out[i] = self._from_epoch(float(s), i, problems)
                continue
            pending[i] = s
        if pending:
            self._parse_strings(pending, out, problems)
        return out, problems

    def _parse_strings(self, pending: dict[int, str], out: list[str | None], problems: dict[int, str]) -> None:
        formats = ("ISO8601", *(_FAST_FORMATS_DAYFIRST if self.dayfirst else _FAST_FORMATS_MONTHFIRST))
        remaining = dict(pending)
        for fmt in formats:
            if not remaining:
                break
            aware = [i for i in remaining if _HAS_OFFSET.search(remaining[i])]
            aware_set = set(aware)
            naive = [i for i in remaining if i not in aware_set]
            for idx, utc in ((aware, True), (naive, False)):
                if not idx:
                    continue
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        parsed = pd.to_datetime(
                            pd.Series([remaining[i] for i in idx]), format=fmt, errors="coerce", utc=utc
                        )
                except (ValueError, TypeError):
                    continue
                for i, ts in zip(idx, parsed, strict=True):
                    if not pd.isna(ts):
                        out[i] = self._finish(ts.to_pydatetime(), i, problems, remaining[i])
                        del remaining[i]
        for i, s in remaining.items():
            try:
                dt = du_parser.parse(s, tzinfos=TZINFOS, dayfirst=self.dayfirst, fuzzy=False)
            except (ValueError, OverflowError, du_parser.ParserError):
                problems[i] = f"date {s[:40]!r} could not be parsed"
                continue
            out[i] = self._finish(dt, i, problems, s)

    def _from_epoch(self, x: float, i: int, problems: dict[int, str]) -> str | None:
        seconds = x / 1000 if abs(x) >= 1e11 else x
        try:
            dt = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError):
            problems[i] = f"timestamp {x!r} is out of range"
            return None
        return self._finish(dt, i, problems, str(x))

    def _finish(self, dt: datetime, i: int, problems: dict[int, str], raw: str) -> str | None:
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=self.default_tz)
        dt = dt.astimezone(UTC)
        if dt.year < MIN_YEAR or dt > self.max_date:
            problems[i] = f"date {raw[:40]!r} is out of range"
            return None
        return dt.strftime(ISO_FORMAT)


def parse_one(value: object, default_tz: str = "UTC", dayfirst: bool = False) -> str | None:
    """Parse a single date; None if it cannot be used."""
    values, _ = DateParser(default_tz, dayfirst).parse_many([value])
    return values[0]
