"""Small constructors shared by the stages: error rows and partition dates."""

import dataclasses
import datetime as dt
import json
import secrets
import traceback as tb

from schemas import PARTITION_COLUMN

# The tags of the side outputs every stage shares: error rows, and per-source reports for the manifest.
ERRORS = "errors"
REPORTS = "reports"


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


@dataclasses.dataclass(frozen=True)
class DateWindow:
    """--since/--until: the dates (inclusive, UTC) of the entries and records to keep; open when unset.
    With a bound set, an undated entry is outside: nobody can tell that it belongs."""
    since: str | None = None   # YYYY-MM-DD
    until: str | None = None

    def holds(self, timestamp: str | None) -> bool:
        if self.since is None and self.until is None:
            return True
        iso = utc_iso(timestamp)
        if not iso:
            return False
        day = iso[:10]
        return (self.since is None or day >= self.since) and (self.until is None or day <= self.until)


def utc_iso(value: str | None) -> str | None:
    """An ISO 8601 date or timestamp as a UTC ISO 8601 timestamp (one without a zone is taken as
    UTC); None when it is not one, or when moving it to UTC leaves the years datetime can hold
    ("0001-01-01T00:00+05:00")."""
    if not value:
        return None
    try:
        when = dt.datetime.fromisoformat(value.strip())
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        return when.astimezone(dt.timezone.utc).isoformat()
    except (ValueError, OverflowError):
        return None


def partition_date(*timestamps: str | None) -> str:
    """YYYY-MM-DD of the first usable ISO timestamp (published, then fetched), in UTC."""
    for ts in timestamps:
        iso = utc_iso(ts)
        if iso:
            return iso[:10]
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def error_row(run_id: str, stage: str, url: str, kind: str, message: str, *,
              feed_url: str | None = None, http_status: int | None = None, payload: dict | None = None,
              traceback: str | None = None) -> dict:
    """One dead letter. `input` keeps what failed (as JSON) so a rerun can retry it."""
    occurred_at = utc_now()
    url = url if isinstance(url, str) else json.dumps(url, default=str)
    return {
        "error_id": secrets.token_hex(8),   # unique: two failures may share run, stage, url and kind
        "run_id": run_id,
        "stage": stage,
        "url": url,
        "feed_url": feed_url,
        "error_kind": kind,
        "message": (message or "")[:1000],
        "http_status": http_status,
        "occurred_at": occurred_at,
        "input": json.dumps(payload, ensure_ascii=False, default=str) if payload is not None else None,
        "traceback": traceback,
        PARTITION_COLUMN: partition_date(occurred_at),
    }


def exception_row(run_id: str, stage: str, url, exc: BaseException, *, kind: str = "internal_error",
                  feed_url: str | None = None, payload: dict | None = None) -> dict:
    """The error row for an exception no stage foresaw: one element lost, with its traceback kept in
    the row (not on the terminal), so the run goes on and the bug can be found."""
    return error_row(run_id, stage, url, kind, f"{type(exc).__name__}: {exc}", feed_url=feed_url, payload=payload,
                     traceback="".join(tb.format_exception(exc))[-4000:])
