"""Events (transforms/events, `newsbeam tail`): each committed row once, in commit order per table, only
after its commit is complete; nothing for a compaction; named consumers resume without repeats or gaps.
Real Delta tables throughout (the commit protocol of storage.commit); no Kafka here (tests/test_kafka.py)."""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from pipelines.cli import main
from pipelines.housekeeping import run_compact
from pipelines.query import run_query
from tests.test_compact import article_rows, interrupted_after_articles, plan, quote_rows
from tests.test_pipeline import LOCAL
from transforms.events import EVENT_SCHEMA, Follower, commit_of, event, json_value
from transforms.events.consumers import position_file
from transforms.storage.commit import commit, recover

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KEYS = {"articles": "article_id", "quotes": "quote_id", "figures": "figure_id", "errors": "error_id"}


def figure_rows(run_id: str, start: int, count: int) -> list[dict]:
    return [{"figure_id": f"f{n:07d}", "article_id": f"a{n:06d}", "raw": f"{n} ferries", "start": 0, "end": 9,
             "value": float(n), "kind": "count", "unit": None, "object": "ferries", "run_id": run_id}
            for n in range(start, start + count)]


def error_rows(run_id: str, start: int, count: int) -> list[dict]:
    return [{"error_id": f"e{n:07d}", "run_id": run_id, "stage": "fetch_page", "url": f"https://x.example/{n}",
             "error_kind": "http_404", "http_status": 404,
             "occurred_at": dt.datetime(2026, 11, 20, 9, 30, n % 60, 250000, tzinfo=dt.timezone.utc)}
            for n in range(start, start + count)]


def a_commit(output, run_id: str, n: int, tables=("articles", "quotes", "figures", "errors")) -> dict:
    """Commit `run_id`: rows numbered from n*100 in each of `tables` (two partitions of quotes)."""
    base = n * 100
    rows = {"articles": {"2026-11-20": article_rows(run_id, [f"a{base + i:06d}" for i in range(3)])},
            "quotes": {"2026-11-20": quote_rows(run_id, base, 4), "2026-11-21": quote_rows(run_id, base + 50, 2)},
            "figures": {"2026-11-21": figure_rows(run_id, base, 3)},
            "errors": {"2026-11-20": error_rows(run_id, base, 2)}}
    done = plan(output, run_id, {t: rows[t] for t in tables})
    commit(str(output), done)
    return done


def keys_of(rows_by_table, tables=KEYS) -> dict:
    return {t: [r[KEYS[t]] for date in sorted(rows_by_table[t]) for r in rows_by_table[t][date]] for t in tables}


def tail(capsys, *args) -> list[dict]:
    assert main(["tail", *args]) == 0
    out = capsys.readouterr().out
    return [json.loads(line) for line in out.splitlines()]


def by_table(events) -> dict:
    out = {}
    for e in events:
        out.setdefault(e["table"], []).append(e)
    return out


def test_each_committed_row_is_one_event_in_commit_order_per_table(tmp_path, capsys):
    a_commit(tmp_path, "first", 0)
    a_commit(tmp_path, "second", 1, tables=("quotes", "errors"))
    a_commit(tmp_path, "third", 2)
    events = tail(capsys, "--dataset", str(tmp_path))
    tables = by_table(events)
    for table, key in KEYS.items():
        # exactly the rows readers see, each once
        seen = [e["key"] for e in tables[table]]
        visible = [r[0] for r in run_query(str(tmp_path), f"SELECT {key} FROM {table}")[1]]
        assert sorted(seen) == sorted(visible) and len(set(seen)) == len(seen), table
        # in commit order: the Delta versions never go back, and commits come in the order they were made
        versions = [e["version"] for e in tables[table]]
        assert versions == sorted(versions)
        commits = [e["commit_id"] for e in tables[table]]
        assert commits == sorted(commits, key=["first", "second", "third"].index)
    assert [e["commit_id"] for e in tables["articles"]] == ["first"] * 3 + ["third"] * 3
    for e in events:
        assert e["schema"] == EVENT_SCHEMA and e["key"] == e["row"][KEYS[e["table"]]]
        assert e["row"]["commit_id"] == e["commit_id"] and e["row"]["date"] in ("2026-11-20", "2026-11-21")
    assert tables["errors"][0]["row"]["occurred_at"] == "2026-11-20T09:30:00.250000Z"   # ISO 8601, UTC
    # a run's articles come before its quotes (commit order across tables too)
    assert events.index(tables["articles"][0]) < events.index(tables["quotes"][0])
    # --tables: only those, the same events
    quotes = tail(capsys, "--dataset", str(tmp_path), "--tables", "quotes")
    assert quotes == tables["quotes"]


def test_nothing_of_an_interrupted_commit_until_recover_finishes_it_then_each_row_once(tmp_path, capsys):
    a_commit(tmp_path, "before", 0)
    interrupted_after_articles(tmp_path, "halfway")   # its articles are in the articles table's log
    first = tail(capsys, "--dataset", str(tmp_path), "--consumer", "c")
    assert {e["commit_id"] for e in first} == {"before"}
    assert tail(capsys, "--dataset", str(tmp_path), "--consumer", "c") == []   # still pending: still nothing
    assert recover(str(tmp_path)) == ["halfway"]
    after = tail(capsys, "--dataset", str(tmp_path), "--consumer", "c")
    got = by_table(after)
    assert {e["commit_id"] for e in after} == {"halfway"}
    assert [e["key"] for e in got["articles"]] == ["a1", "a2"]
    assert sorted(e["key"] for e in got["quotes"]) == [f"q{n:07d}" for n in range(10)]
    # and a consumer starting now after all that sees the same, once
    everything = tail(capsys, "--dataset", str(tmp_path))
    assert sorted((e["table"], e["key"]) for e in everything) == sorted((e["table"], e["key"]) for e in first + after)


def test_a_commit_dropped_by_recover_publishes_nothing_and_holds_nothing_back(tmp_path, capsys):
    interrupted_after_articles(tmp_path, "broken")
    quotes_dir = tmp_path / "quotes"
    for parent, _, names in os.walk(quotes_dir):
        for name in names:
            if name.endswith(".parquet"):
                os.remove(os.path.join(parent, name))
    assert recover(str(tmp_path)) == []    # dropped: its files are gone
    a_commit(tmp_path, "later", 1)
    events = tail(capsys, "--dataset", str(tmp_path))
    assert {e["commit_id"] for e in events} == {"later"} and len(by_table(events)["articles"]) == 3


def test_a_compaction_publishes_nothing_and_a_late_consumer_still_gets_each_row_once(tmp_path, capsys):
    a_commit(tmp_path, "one", 0)
    a_commit(tmp_path, "two", 1)
    early = tail(capsys, "--dataset", str(tmp_path), "--consumer", "early")
    assert len(early) == 2 * (3 + 6 + 3 + 2)
    run_compact(str(tmp_path), retention_hours=0)   # OPTIMIZE re-adds every row (dataChange=false), vacuum deletes
    assert tail(capsys, "--dataset", str(tmp_path), "--consumer", "early") == []
    a_commit(tmp_path, "three", 2)
    assert {e["commit_id"] for e in tail(capsys, "--dataset", str(tmp_path), "--consumer", "early")} == {"three"}
    # A consumer from the start after the vacuum: the files of versions 1 and 2 are gone; their rows are
    # read from the compacted files by commit_id, each once.
    late = tail(capsys, "--dataset", str(tmp_path), "--tables", "articles,figures,errors")
    expected = [e for e in early if e["table"] != "quotes"]
    assert sorted(json.dumps(e, sort_keys=True) for e in late if e["commit_id"] != "three") == \
        sorted(json.dumps(e, sort_keys=True) for e in expected)


def test_a_consumer_that_stops_resumes_where_it_was_without_repeats_or_gaps(tmp_path):
    a_commit(tmp_path, "c0", 0)
    follow = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "tail", "--dataset", str(tmp_path),
                               "--consumer", "reader", "--follow", "--interval", "0.1"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = [follow.stdout.readline() for _ in range(14)]          # c0: 3 + 6 + 3 + 2 rows
        a_commit(tmp_path, "c1", 1)                                     # lands while it follows
        lines += [follow.stdout.readline() for _ in range(14)]
        deadline = time.monotonic() + 30
        while json.load(open(position_file(str(tmp_path), "reader")))["tables"].get("errors", -1) < 2:
            assert time.monotonic() < deadline, "the position of c1 was never written"
            time.sleep(0.05)
        follow.send_signal(signal.SIGTERM)                             # stops between batches
        rest, err = follow.communicate(timeout=30)
    finally:
        follow.kill()
    assert follow.returncode == 0, err
    assert rest == ""
    first = [json.loads(line) for line in lines]
    assert [e["commit_id"] for e in first] == ["c0"] * 14 + ["c1"] * 14
    a_commit(tmp_path, "c2", 2)
    a_commit(tmp_path, "c3", 3)
    again = subprocess.run([sys.executable, "-m", "pipelines.cli", "tail", "--dataset", str(tmp_path),
                            "--consumer", "reader"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    second = [json.loads(line) for line in again.stdout.splitlines()]
    assert {e["commit_id"] for e in second} == {"c2", "c3"}
    everything = [(e["table"], e["key"]) for e in first + second]
    assert len(everything) == len(set(everything)) == 4 * 14             # no repeats, no gaps


def test_from_now_and_from_a_version(tmp_path, capsys):
    a_commit(tmp_path, "old", 0)
    assert tail(capsys, "--dataset", str(tmp_path), "--from", "now", "--consumer", "n") == []
    a_commit(tmp_path, "new", 1)
    assert {e["commit_id"] for e in tail(capsys, "--dataset", str(tmp_path), "--consumer", "n")} == {"new"}
    quotes = tail(capsys, "--dataset", str(tmp_path), "--tables", "quotes", "--from", "2")
    assert {e["version"] for e in quotes} == {2} and {e["commit_id"] for e in quotes} == {"new"}
    # --from with a known consumer resets it
    assert len(tail(capsys, "--dataset", str(tmp_path), "--consumer", "n", "--from", "start")) == 2 * 14


def test_now_starts_before_a_commit_still_pending(tmp_path):
    a_commit(tmp_path, "done", 0)
    interrupted_after_articles(tmp_path, "pending")
    follower = Follower(str(tmp_path), ["articles"], start="now")
    assert list(follower.poll()) == []
    recover(str(tmp_path))
    batches = [b for b in follower.poll() if b.events]
    assert [(b.commit_id, len(b.events)) for b in batches] == [("pending", 2)]


@pytest.mark.parametrize("args, message", [
    (["tail"], "--dataset DIR is required"),
    (["tail", "--dataset", "/no/such/dir"], "is not a directory"),
    (["tail", "--dataset", "{tmp}", "--tables", "quotes,speakers"], "--tables takes"),
    (["tail", "--dataset", "{tmp}", "--from", "yesterday"], "--from takes a Delta version"),
    (["tail", "--dataset", "{tmp}", "--consumer", "../../etc/x"], "--consumer takes a name"),
    (["tail", "--dataset", "{tmp}", "--interval", "0"], "--interval must be > 0"),
    (["tail", "--dataset", "{tmp}", "--folow"], "unrecognized arguments"),
    (["publish", "--dataset", "{tmp}"], "--kafka HOST:PORT is required"),
    (["publish", "--dataset", "{tmp}", "--kafka", "localhost"], "--kafka takes HOST:PORT"),
    (["publish", "--dataset", "{tmp}", "--kafka", "localhost:9092", "--topic_prefix", "a/b"], "--topic_prefix"),
    (["publish", "--dataset", "{tmp}", "--kafka", "localhost:9092", "--from", "3"], "invalid choice"),
])
def test_bad_arguments_give_one_clear_line(tmp_path, capsys, args, message):
    a_commit(tmp_path, "x", 0, tables=("articles",))
    capsys.readouterr()
    assert main([a.replace("{tmp}", str(tmp_path)) for a in args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"newsbeam {args[0]}: ") and message in lines[0], captured.err


def test_a_directory_that_is_not_a_dataset_is_refused(tmp_path, capsys):
    assert main(["tail", "--dataset", str(tmp_path)]) == 2
    assert "is not a newsbeam dataset" in capsys.readouterr().err


def test_versions_that_add_no_newsbeam_rows_publish_nothing():
    optimize = [{"commitInfo": {"operation": "OPTIMIZE", "timestamp": 5}},
                {"remove": {"path": "a.parquet", "dataChange": False}},
                {"add": {"path": "b.parquet", "dataChange": False, "partitionValues": {}}}]
    assert commit_of(optimize) == (None, [])
    create = [{"commitInfo": {"operation": "CREATE TABLE"}}, {"protocol": {}}, {"metaData": {}}]
    assert commit_of(create) == (None, [])
    foreign = [{"commitInfo": {"operation": "WRITE"}}, {"add": {"path": "c.parquet", "dataChange": True}}]
    assert commit_of(foreign) == (None, [])
    ours = [{"commitInfo": {"operation": "WRITE", "newsbeam.commit": "r1"}}, {"txn": {"appId": "newsbeam:r1"}},
            {"add": {"path": "d.parquet", "dataChange": True}}]
    assert commit_of(ours) == ("r1", [{"path": "d.parquet", "dataChange": True}])


def test_event_values_are_plain_json():
    moment = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    e = event("figures", "r1", 7, {"figure_id": "f1", "value": float("nan"), "at": moment,
                                   "day": dt.date(2026, 11, 20), "tags": ["a"], "blob": b"\x00\x01"})
    assert e == {"schema": "newsbeam.event/1", "table": "figures", "commit_id": "r1", "version": 7, "key": "f1",
                 "row": {"figure_id": "f1", "value": None, "at": "2026-11-20T06:00:00Z", "day": "2026-11-20",
                         "tags": ["a"], "blob": "AAE="}}
    assert json_value(dt.datetime(2026, 1, 1, 0, 0, 0, 5)) == "2026-01-01T00:00:00.000005Z"
    json.dumps(e, allow_nan=False)


def test_a_batch_run_of_the_fixture_site_becomes_events_of_exactly_its_rows(site, tmp_path, capsys):
    out = str(tmp_path / "out")
    assert main(["run", "--feeds", f"{site.base}/feeds/local.xml", "--output", out, *LOCAL]) == 0
    capsys.readouterr()
    events = tail(capsys, "--dataset", out)
    tables = by_table(events)
    assert tables.get("articles")
    for table, key in KEYS.items():
        visible = sorted(r[0] for r in run_query(out, f"SELECT {key} FROM {table}")[1])
        assert sorted(e["key"] for e in tables.get(table, [])) == visible, table
    (run_id,) = {e["commit_id"] for e in events}
    assert run_query(out, "SELECT run_id FROM runs")[1] == [(run_id,)]
    article = tables["articles"][0]["row"]
    assert article["text"] and article["fetched_at"].endswith("Z")


def test_a_long_log_is_read_to_its_end_in_bounded_looks(tmp_path, capsys, monkeypatch):
    import transforms.events.follower as follower_module
    monkeypatch.setattr(follower_module, "VERSIONS_PER_LOOK", 2)   # each look reads at most 2 versions a table
    for n in range(4):
        a_commit(tmp_path, f"r{n}", n, tables=("articles", "quotes"))
    events = tail(capsys, "--dataset", str(tmp_path))
    assert [e["commit_id"] for e in events if e["table"] == "quotes"] == [f"r{n}" for n in range(4) for _ in range(6)]
    assert len(events) == 4 * (3 + 6)


def prism() -> str | None:
    cache = os.environ.get("NEWSBEAM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsbeam")
    candidates = [os.environ.get("NEWSBEAM_PRISM"), os.path.join(cache, "prism-v2.77.0", "prism")]
    return next((c for c in candidates if c and os.path.isfile(c) and os.access(c, os.X_OK)), None)


@pytest.mark.skipif(prism() is None, reason="needs the Prism binary (make prism)")
def test_a_stream_s_windows_become_events_as_they_commit_each_row_once(site, tmp_path):
    """`newsbeam stream` on Prism (a few seconds) with `newsbeam tail --follow` beside it: every
    window's rows arrive, once, tagged with the window's commit id, and nothing else."""
    out = tmp_path / "stream"
    stream = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "stream", "--feeds",
                               f"{site.base}/feeds/local.xml", "--output", str(out), *LOCAL, f"--prism_location={prism()}",
                               "--poll_interval=1", "--window=2", "--duration=6"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              start_new_session=True)
    deadline = time.monotonic() + 120
    while not os.path.isdir(out / "_runs") and stream.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    follow = subprocess.Popen([sys.executable, "-m", "pipelines.cli", "tail", "--dataset", str(out), "--follow",
                               "--interval", "0.2", "--consumer", "live"],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        _, err = stream.communicate(timeout=180)
        assert stream.returncode == 0, err[-3000:]
        expected = {t: sorted(r[0] for r in run_query(str(out), f"SELECT {k} FROM {t}")[1]) for t, k in KEYS.items()}
        total = sum(map(len, expected.values()))
        lines = [follow.stdout.readline() for _ in range(total)]
        time.sleep(1)   # a look or two more: nothing else may come
        follow.send_signal(signal.SIGTERM)
        rest, err = follow.communicate(timeout=30)
    finally:
        follow.kill()
        if stream.poll() is None:
            os.killpg(stream.pid, signal.SIGKILL)
    events = [json.loads(line) for line in lines + rest.splitlines()]
    assert follow.returncode == 0, err
    assert {t: sorted(e["key"] for e in events if e["table"] == t) for t in KEYS} == expected
    windows = {r[0] for r in run_query(str(out), "SELECT run_id FROM runs")[1]}
    assert {e["commit_id"] for e in events} <= windows and all("w" in c for c in windows)
    assert expected["articles"]
