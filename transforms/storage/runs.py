"""Runs and feed state: each commit's manifest (a row of DIR/_runs) and each feed's validators (DIR/_state/feeds)."""

import datetime as dt
import json

import pyarrow.compute as pc

from schemas import FEED_STATE, TABLES
from transforms.storage.layout import RUNS_TABLE, STATE_TABLE, read_columns


def build_manifest(header: dict, facts: list[dict]) -> dict:
    """Fold the run's facts (feed reports, entry outcomes, written files) into its manifest."""
    feeds, totals = {}, {"entries": 0, "articles": 0, "duplicates": 0, "errors": 0, "deferred": 0}
    report_keys = ("fetch_url", "http_status", "status", "error_kind", "outside_dates")
    rows, files = {table: 0 for table in TABLES}, {table: 0 for table in TABLES}
    skipped = {}   # task -> language -> article ids it had no rules for
    error_kinds = {}   # error_kind -> error rows of that kind (every error row, feeds', pages' and extractors')
    chunks = 0   # files of entries deferred to the run's later commits (storage.deferred)
    for fact in facts:
        if fact["fact"] == "feed":
            feed = feeds.setdefault(fact["feed_url"], _feed_record(fact["feed_url"]))
            feed.update({k: fact.get(k) for k in report_keys}, entries=feed["entries"] + fact["entries"])
            if fact.get("feeds"):   # an HTML page's advertised feeds, each with its URL, status and entries
                feed["advertised_feeds"] = fact["feeds"]
        elif fact["fact"] == "outcome":
            feed = feeds.setdefault(fact["feed_url"], _feed_record(fact["feed_url"]))
            feed[fact["outcome"]] += fact["count"]
            if fact["outcome"] in ("retried", "resumed"):  # entries of earlier runs or commits: this one's too
                feed["entries"] += fact["count"]
            else:
                totals[fact["outcome"]] += fact["count"]
        elif fact["fact"] == "file":
            rows[fact["table"]] += fact["rows"]
            files[fact["table"]] += 1
        elif fact["fact"] == "not_analysed":   # an article a task had no rules for (its language)
            skipped.setdefault(fact["task"], {}).setdefault(fact["language"], set()).add(fact["article_id"])
        elif fact["fact"] == "error_kind":
            error_kinds[fact["kind"]] = error_kinds.get(fact["kind"], 0) + fact["count"]
        elif fact["fact"] == "deferred_chunk":
            chunks += 1
    totals["error_rows"] = rows["errors"]
    totals["entries"] = sum(f["entries"] for f in feeds.values())
    totals["feed_errors"] = sum(1 for f in feeds.values() if f["error_kind"])
    totals["feeds_not_modified"] = sum(1 for f in feeds.values() if f["status"] == "not_modified")
    finished = dt.datetime.now(dt.timezone.utc)
    started = dt.datetime.fromisoformat(header["started_at"])
    return {
        **header,
        "finished_at": finished.isoformat(),
        "seconds": round((finished - started).total_seconds(), 3),
        "totals": totals,
        "rows": rows,
        "files": files,
        "feeds": sorted(feeds.values(), key=lambda f: f["feed_url"]),
        "error_kinds": dict(sorted(error_kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
        "deferred_chunks": chunks,
        **not_analysed(skipped),
    }


def combined(parts: list[dict]) -> dict:
    """The manifests of one run's commits (--commit_every) as one, the first the run's own (it
    polled the sources): the run as a whole. Entries one commit deferred and a later one took count
    once; the other counts add up, per feed too."""
    if len(parts) == 1:
        return parts[0]
    first = parts[0]
    whole = {key: _sum_counts([p.get(key, {}) for p in parts])
             for key in ("totals", "rows", "files", "error_kinds", "not_analysed", "not_analysed_by_task")}
    feeds = {}
    for part in parts:
        for feed in part["feeds"]:
            feeds.setdefault(feed["feed_url"], []).append(feed)
    whole["feeds"] = [{**same[0], **_sum_counts(same, skip=("http_status",))} for _, same in sorted(feeds.items())]
    for counts in (whole["totals"], *whole["feeds"]):
        counts["entries"] -= counts.get("deferred", 0)
        counts["deferred"] = 0
    for key in ("error_kinds", "not_analysed"):
        whole[key] = dict(sorted(whole[key].items(), key=lambda kv: (-kv[1], kv[0])))
    started = min(dt.datetime.fromisoformat(p["started_at"]) for p in parts)
    finished = max(dt.datetime.fromisoformat(p["finished_at"]) for p in parts)
    return {**first, **whole, "finished_at": finished.isoformat(),
            "seconds": round((finished - started).total_seconds(), 3), "commits": [p["run_id"] for p in parts]}


def _sum_counts(dicts: list[dict], skip: tuple = ()) -> dict:
    """Counts of several dicts added key by key (nested dicts too); other values are left out."""
    out = {}
    for d in dicts:
        for key, value in d.items():
            if key in skip or isinstance(value, bool):
                continue
            if isinstance(value, int):
                out[key] = out.get(key, 0) + value
            elif isinstance(value, dict):
                out[key] = _sum_counts([out.get(key, {}), value])
    return out


def not_analysed(skipped: dict[str, dict[str, set]]) -> dict:
    """The manifest's counts of articles newsbeam had no rules for: `not_analysed`, language (or
    "unknown") -> articles that got neither quotes nor figures; `not_analysed_by_task`, task ->
    language -> articles that task skipped (a language may have figure rules and no quote rules)."""
    tasks = ("quotes", "figures")
    neither = {}
    for language in set().union(*(skipped.get(task, {}) for task in tasks)):
        both = set.intersection(*(skipped.get(task, {}).get(language, set()) for task in tasks))
        if both:
            neither[language] = len(both)
    by_task = {task: {language: len(ids) for language, ids in sorted(skipped.get(task, {}).items())} for task in tasks}
    return {"not_analysed": dict(sorted(neither.items(), key=lambda kv: (-kv[1], kv[0]))),
            "not_analysed_by_task": by_task}


def run_row(manifest: dict) -> dict:
    t = manifest["totals"]
    window = manifest.get("window") or (None, None)   # [start, end] of a stream's window, ISO with Z
    return {"run_id": manifest["run_id"], "kind": "window" if manifest.get("stream_run_id") else "run",
            "window_start": window[0], "window_end": window[1],
            "stream_run_id": manifest.get("stream_run_id"), "started_at": manifest["started_at"],
            "finished_at": manifest["finished_at"], "seconds": manifest["seconds"], "entries": t["entries"],
            "articles": t["articles"], "duplicates": t["duplicates"],
            # every error row the commit wrote (feeds', pages', extractors'); manifests older than error_rows: failed entries
            "errors": t.get("error_rows", t["errors"]),
            "feed_errors": t["feed_errors"], "manifest": json.dumps(manifest, sort_keys=True, default=str)}


def _feed_record(feed_url: str) -> dict:
    return {"feed_url": feed_url, "fetch_url": None, "http_status": None, "status": None, "error_kind": None,
            "entries": 0, "outside_dates": 0, "retried": 0, "resumed": 0, "articles": 0, "duplicates": 0, "errors": 0,
            "deferred": 0}


def feed_state(report: dict, run_id: str, checked_at: str) -> dict:
    """The feed-state row a poll leaves behind; a failed poll keeps the validators it was sent."""
    return {"feed_url": report["feed_url"], "fetch_url": report.get("fetch_url") or report["feed_url"],
            "etag": report.get("etag"), "last_modified": report.get("last_modified"),
            "checked_at": checked_at, "run_id": run_id}


def load_feed_state(output: str) -> dict[str, dict]:
    """feed_url -> its newest committed state row."""
    latest = {}
    for row in read_columns(output, STATE_TABLE, FEED_STATE.names).to_pylist():
        previous = latest.get(row["feed_url"])
        if previous is None or row["checked_at"] > previous["checked_at"]:
            latest[row["feed_url"]] = row
    return latest


def manifests(output: str) -> list[dict]:
    """Every committed run's (and window's) manifest, oldest first."""
    rows = read_columns(output, RUNS_TABLE, ["started_at", "run_id", "manifest"]).to_pylist()
    return [json.loads(r["manifest"]) for r in sorted(rows, key=lambda r: (r["started_at"], r["run_id"]))]


def manifest(output: str, run_id: str) -> dict | None:
    return next((m for m in manifests(output) if m["run_id"] == run_id), None)


def failed_inputs(output: str) -> tuple[list[str], list[dict]]:
    """What earlier runs failed on and a retry can try again: the feeds whose latest poll failed,
    and the entries whose page failed (those ingested since are dropped as duplicates)."""
    latest = {}
    for run in manifests(output):
        for feed in run.get("feeds", []):
            latest[feed["feed_url"]] = feed
    feeds = [url for url, feed in latest.items() if feed.get("error_kind")]
    entries = {}
    for row in read_columns(output, "errors", ["stage", "input"], pc.field("stage").isin(["fetch_page", "extract"])).to_pylist():
        if row["input"]:
            entry = json.loads(row["input"])
            if entry.get("link"):
                entries[entry["link"]] = entry
    return feeds, list(entries.values())
