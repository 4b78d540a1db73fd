"""Housekeeping and the commit protocol of the Delta tables: compaction while readers run, vacuum of
files no commit added, idempotent and resumable commits, the lease, and migration of a dataset of
the layout before Delta."""

import datetime as dt
import json
import os
import threading

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.cli import main
from pipelines.housekeeping import format_stats, run_compact, run_migrate
from pipelines.query import run_query
from schemas import ARTICLES, FEED_STATE, QUOTES
import transforms.storage.commit as commit_module
from transforms.storage import files as files_module, layout
from transforms.storage.lease import DatasetBusy, Lease
from transforms.storage.commit import apply_plan, commit, recover
from transforms.storage.runs import build_manifest, failed_inputs, load_feed_state, manifests
from transforms.storage.layout import table_uri
from transforms.storage.files import write_data_file

UTC = dt.timezone.utc


def quote_rows(run_id: str, start: int, count: int) -> list[dict]:
    return [{"quote_id": f"q{n:07d}", "article_id": f"a{n // 5:06d}", "text": f"We will build {n} ferries",
             "speaker": f"Speaker {n % 7}", "cue": "said", "kind": "direct", "start": n, "end": n + 20,
             "sentence": f"Sentence {n}.", "confidence": 0.5 + (n % 5) / 10, "run_id": run_id}
            for n in range(start, start + count)]


def article_rows(run_id: str, ids: list[str]) -> list[dict]:
    return [{"article_id": a, "url": f"https://harbour.example/{a}", "title": f"Story {a}", "text": "Body.",
             "run_id": run_id} for a in ids]


def plan(output, run_id: str, tables: dict[str, dict[str, list[dict]]]) -> dict:
    """Write the files of one run ({table: {date: rows}}) and return its commit plan."""
    files = [{"fact": "file", **write_data_file(str(output), table, date, run_id, rows)}
             for table, partitions in tables.items() for date, rows in partitions.items()]
    manifest = build_manifest({"run_id": run_id, "started_at": dt.datetime.now(UTC).isoformat()}, files)
    return {"commit_id": run_id, "files": files, "feed_states": [], "manifest": manifest}


def commits_of_quotes(output, runs: int, rows_per_run: int, dates=("2026-11-20", "2026-11-21"),
                      first_run: int = 0, first_row: int = 0) -> int:
    n = first_row
    for r in range(first_run, first_run + runs):
        commit(str(output), plan(output, f"run{r}", {"quotes": {
            d: quote_rows(f"run{r}", n + i * rows_per_run, rows_per_run) for i, d in enumerate(dates)}}))
        n += rows_per_run * len(dates)
    return n - first_row


def data_files_on_disk(output, table: str) -> set[str]:
    root = table_uri(str(output), table)
    return {os.path.relpath(os.path.join(d, f), root) for d, _, names in os.walk(root) if "_delta_log" not in d
            for f in names if f.endswith(".parquet")}


def committed_files(output, table: str) -> set[str]:
    root = table_uri(str(output), table)
    return {os.path.relpath(uri.removeprefix("file://"), root) for uri in layout.open_table(str(output), table).file_uris()}


def test_compact_merges_small_files_keeps_every_row_and_vacuum_deletes_the_old_ones(tmp_path):
    total = commits_of_quotes(tmp_path, runs=12, rows_per_run=50)
    before = run_query(str(tmp_path), "SELECT * FROM quotes ORDER BY quote_id")[1]
    assert len(before) == total and len(committed_files(tmp_path, "quotes")) == 24
    stats = run_compact(str(tmp_path), retention_hours=0)
    assert stats["tables"]["quotes"]["files_removed"] == 24 and stats["tables"]["quotes"]["files_added"] == 2
    assert run_query(str(tmp_path), "SELECT * FROM quotes ORDER BY quote_id")[1] == before
    assert data_files_on_disk(tmp_path, "quotes") == committed_files(tmp_path, "quotes")
    assert "quotes: files 24 merged into 2, 24 deleted" in format_stats(stats)
    assert os.path.exists(os.path.join(table_uri(str(tmp_path), "quotes"), "_delta_log", "_last_checkpoint"))


def test_the_default_retention_keeps_replaced_files_for_readers_and_time_travel(tmp_path):
    commits_of_quotes(tmp_path, runs=3, rows_per_run=10)
    run_compact(str(tmp_path))
    assert len(data_files_on_disk(tmp_path, "quotes")) == 6 + 2   # the 6 merged files stay a week
    assert len(committed_files(tmp_path, "quotes")) == 2


def test_readers_during_compaction_see_every_row_exactly_once(tmp_path):
    """Readers query only while a compaction runs; rounds of new small commits and compaction go on until
    several reads have overlapped one, so the test never passes without the situation it names."""
    rows_per_run, runs, total = 25, 0, 0
    compacting, done = threading.Event(), threading.Event()
    seen, errors, rounds = [], [], [0]

    def read():
        while not done.is_set():
            if not compacting.wait(timeout=0.05):
                continue
            round_started = rounds[0]   # before the total: a round begun in between is caught below
            expected = total
            try:
                counted = run_query(str(tmp_path), "SELECT count(*), count(DISTINCT quote_id) FROM quotes")[1][0]
            except Exception as exc:   # a reader error is a failure of the guarantee too
                errors.append(exc)
                continue
            if compacting.is_set() and rounds[0] == round_started:
                seen.append((counted, (expected, expected)))

    run_query(str(tmp_path), "SELECT 1")   # the first query loads DuckDB's delta extension
    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(20):
            total += commits_of_quotes(tmp_path, runs=10, rows_per_run=rows_per_run, first_run=runs, first_row=total)
            runs += 10
            rounds[0] += 1
            compacting.set()
            # the replaced files stay an hour, as a slow reader needs (the default keeps a week): a vacuum with
            # no retention deletes files a read that began before the compaction's commit still opens
            run_compact(str(tmp_path), retention_hours=1)
            compacting.clear()
            if len(seen) >= 3:
                break
    finally:
        done.set()
        compacting.set()
        reader.join()
    assert errors == []
    assert len(seen) >= 3
    assert all(counted == expected for counted, expected in seen)


def test_vacuum_deletes_files_no_commit_added(tmp_path):
    commits_of_quotes(tmp_path, runs=2, rows_per_run=10)
    orphan = write_data_file(str(tmp_path), "quotes", "2026-11-20", "crashedrun", quote_rows("crashedrun", 900, 5))
    assert orphan["path"] in data_files_on_disk(tmp_path, "quotes")
    assert run_query(str(tmp_path), "SELECT count(*) FROM quotes WHERE run_id = 'crashedrun'")[1] == [(0,)]
    run_compact(str(tmp_path), retention_hours=0)
    assert orphan["path"] not in data_files_on_disk(tmp_path, "quotes")


def test_a_retried_commit_is_skipped(tmp_path):
    first = plan(tmp_path, "once", {"quotes": {"2026-11-20": quote_rows("once", 0, 30)}})
    commit(str(tmp_path), first)
    commit(str(tmp_path), first)   # the commit step run again (a retried bundle of the commit)
    apply_plan(str(tmp_path), first)
    assert run_query(str(tmp_path), "SELECT count(*), count(DISTINCT quote_id) FROM quotes")[1] == [(30, 30)]
    assert run_query(str(tmp_path), "SELECT count(*) FROM runs")[1] == [(1,)]


def test_a_commit_interrupted_between_tables_is_finished_by_the_next_run(tmp_path):
    """The commit step died after the articles table: the quotes are not visible without their
    articles meanwhile, and recover() (what every run does first) adds exactly the missing ones."""
    half = plan(tmp_path, "halfway", {"articles": {"2026-11-20": article_rows("halfway", ["a1", "a2"])},
                                      "quotes": {"2026-11-20": quote_rows("halfway", 0, 10)}})

    class Died(Exception):
        pass

    real = commit_module.commit_files

    def die_after_articles(output, name, commit_id, files):
        if name != "articles":
            raise Died(name)
        real(output, name, commit_id, files)

    commit_module.commit_files = die_after_articles
    try:
        with pytest.raises(Died):
            commit(str(tmp_path), half)
    finally:
        commit_module.commit_files = real
    # The articles table has committed the run's files, but readers see none of the run until its
    # row in _runs is there: no articles without their quotes.
    assert len(layout.open_table(str(tmp_path), "articles").file_uris()) == 1
    assert run_query(str(tmp_path), "SELECT count(*) FROM articles")[1] == [(0,)]
    assert run_query(str(tmp_path), "SELECT count(*) FROM quotes")[1] == [(0,)]
    assert manifests(str(tmp_path)) == []
    assert recover(str(tmp_path)) == ["halfway"]
    assert run_query(str(tmp_path), "SELECT count(*) FROM articles")[1] == [(2,)]
    assert run_query(str(tmp_path), "SELECT count(*) FROM quotes")[1] == [(10,)]
    assert [m["run_id"] for m in manifests(str(tmp_path))] == ["halfway"]
    assert recover(str(tmp_path)) == []


def test_the_lease_refuses_a_second_writer_and_frees_on_release(tmp_path):
    commits_of_quotes(tmp_path, runs=1, rows_per_run=5)
    with Lease(str(tmp_path), "run"):
        with pytest.raises(DatasetBusy, match="being written by another newsbeam run"):
            Lease(str(tmp_path), "compact").acquire()
        assert main(["compact", str(tmp_path)]) == 1
    with Lease(str(tmp_path), "compact"):
        pass


def test_a_lease_of_a_dead_process_on_this_host_is_free(tmp_path):
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    # A holder that takes the lease and dies without releasing it (as SIGKILL leaves it).
    subprocess.run([sys.executable, "-c", f"from transforms.storage.lease import Lease; Lease({str(tmp_path)!r}, 'run')"
                    ".acquire(); import os; os._exit(9)"], cwd=root, check=False, timeout=120)
    with Lease(str(tmp_path), "run"):
        pass


# ---------------------------------------------------------------------------------------------
# newsbeam migrate: a dataset in the layout written before Delta tables


def write_old_layout(root) -> None:
    """The layout of the code before Delta: part-<run_id>-<n>.parquet renamed into place, one
    _runs/<run_id>.json per completed run, feed state in _state/feeds/part-<run_id>.parquet, a
    crashed run's files without a manifest, a temp file, the lock file."""
    def part(table, date, name, rows, schema):
        os.makedirs(root / table / f"date={date}", exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), root / table / f"date={date}" / name)

    part("articles", "2026-11-19", "part-20261119T080000Zab12-0.parquet",
         article_rows("20261119T080000Zab12", ["a1", "a2"]), ARTICLES)
    part("articles", "2026-11-20", "part-20261119T080000Zab12-1.parquet",
         article_rows("20261119T080000Zab12", ["a3"]), ARTICLES)
    part("quotes", "2026-11-19", "part-20261119T080000Zab12-0.parquet", quote_rows("20261119T080000Zab12", 0, 4),
         QUOTES)
    part("articles", "2026-11-20", "part-20261120T090000Zdead-0.parquet",   # crashed: no manifest
         article_rows("20261120T090000Zdead", ["a9"]), ARTICLES)
    (root / "articles" / "date=2026-11-20" / ".part-x.parquet.inprogress").write_bytes(b"PAR1 half")
    os.makedirs(root / "_state" / "feeds")
    pq.write_table(pa.Table.from_pylist([{"feed_url": "https://harbour.example/feed.xml",
                                          "fetch_url": "https://harbour.example/feed.xml", "etag": '"v1"',
                                          "checked_at": dt.datetime(2026, 11, 19, 8, 5, tzinfo=UTC),
                                          "run_id": "20261119T080000Zab12"}], schema=FEED_STATE),
                   root / "_state" / "feeds" / "part-20261119T080000Zab12.parquet")
    os.makedirs(root / "_runs")
    (root / "_runs" / "20261119T080000Zab12.json").write_text(json.dumps({
        "run_id": "20261119T080000Zab12", "started_at": "2026-11-19T08:00:00+00:00",
        "finished_at": "2026-11-19T08:05:00+00:00", "seconds": 300.0,
        "totals": {"entries": 4, "articles": 3, "duplicates": 0, "errors": 1, "feed_errors": 1},
        "rows": {"articles": 3, "quotes": 4, "figures": 0, "errors": 0},
        "feeds": [{"feed_url": "https://harbour.example/gone.xml", "error_kind": "http_404"}],
        "files": ["articles/date=2026-11-19/part-20261119T080000Zab12-0.parquet"]}))
    (root / "_lock").write_text("")


def test_migrate_converts_the_old_layout_in_place(tmp_path):
    write_old_layout(tmp_path)
    assert main(["migrate", str(tmp_path)]) == 0
    assert run_query(str(tmp_path), "SELECT article_id, date::VARCHAR FROM articles ORDER BY 1")[1] == [
        ("a1", "2026-11-19"), ("a2", "2026-11-19"), ("a3", "2026-11-20")]
    assert run_query(str(tmp_path), "SELECT count(*) FROM quotes")[1] == [(4,)]
    assert run_query(str(tmp_path), "SELECT run_id, articles, feed_errors FROM runs")[1] == [
        ("20261119T080000Zab12", 3, 1)]
    assert load_feed_state(str(tmp_path))["https://harbour.example/feed.xml"]["etag"] == '"v1"'
    assert failed_inputs(str(tmp_path))[0] == ["https://harbour.example/gone.xml"]
    leftovers = [f for d, _, names in os.walk(tmp_path) for f in names
                 if f.endswith((".json", ".inprogress")) and "_delta_log" not in d] + \
        [f for f in os.listdir(tmp_path) if f in ("_lock", "_compact")]
    assert leftovers == []
    assert not os.path.exists(tmp_path / "articles" / "date=2026-11-20" / "part-20261120T090000Zdead-0.parquet")
    assert run_migrate(str(tmp_path))["converted"] == []   # a second migrate changes nothing


@pytest.mark.parametrize("bad", ["a-b", "", "x" * 65, "nightlyw17", "é"])
def test_a_malformed_run_id_is_refused_by_every_entry_point(tmp_path, bad, capsys):
    from apache_beam.options.pipeline_options import PipelineOptions

    from pipelines import batch, stream
    from transforms.storage.layout import InvalidRunId, check_run_id
    with pytest.raises(InvalidRunId):
        check_run_id(str(tmp_path), bad)
    if bad:   # (an empty --run_id is no run id: one is generated)
        options = PipelineOptions(["--output", str(tmp_path), "--run_id", bad])
        for entry in (batch.run, stream.run):
            with pytest.raises(InvalidRunId):
                entry(options, ["https://harbour.example/feed.xml"])
        for command in ("run", "stream"):
            assert main([command, "--feeds", "https://harbour.example/feed.xml", "--output", str(tmp_path),
                         "--run_id", bad]) == 2
            assert "--run_id may hold only" in capsys.readouterr().err
    assert not os.path.exists(tmp_path / "_lease")   # refused before taking anything


def test_a_run_id_is_not_reused_nor_extended_into_a_window_id(tmp_path):
    from transforms.storage.layout import InvalidRunId, check_run_id
    manifest = build_manifest({"run_id": "nightlyw17", "stream_run_id": "nightly",
                               "started_at": dt.datetime.now(UTC).isoformat()}, [])
    commit(str(tmp_path), {"commit_id": "nightlyw17", "files": [], "feed_states": [], "manifest": manifest})
    with pytest.raises(InvalidRunId, match="already taken"):
        check_run_id(str(tmp_path), "nightly")    # the stream whose window this is
    check_run_id(str(tmp_path), "nightly2")


def test_the_writer_flushes_its_largest_partition_when_its_buffers_hold_too_much_text(tmp_path, monkeypatch):
    from apache_beam.transforms.window import GlobalWindow
    monkeypatch.setattr(files_module, "MAX_BUFFERED_BYTES", 10_000)
    writer = files_module._WriteFilesFn(str(tmp_path), "errors", "run1")
    writer.start_bundle()
    written = []
    for n in range(40):
        day = n % 3 + 1
        row = {"error_id": f"e{n:02d}", "run_id": "run1", "stage": "fetch", "url": f"https://x.test/{n}",
               "error_kind": "http_error", "message": "m" * (300 * day), "occurred_at": "2026-11-01T00:00:00+00:00",
               "date": f"2026-11-0{day}"}
        largest = max({**writer.sizes, ("w", row["date"]): 0}.items(), key=lambda kv: kv[1])[0][1]
        flushed = [w.value for w in writer.process(row, window=GlobalWindow())]
        if flushed:
            assert [f["date"] for f in flushed] in ([largest], [row["date"]])
        written += flushed
        assert writer.buffered == sum(writer.sizes.values()) < files_module.MAX_BUFFERED_BYTES
    assert len(written) >= 2, "40 rows of ~1 KB flush more than once at 10,000 bytes"
    written += [w.value for w in writer.finish_bundle()]
    table_dir = os.path.join(str(tmp_path), "errors")
    ids = sorted(i for f in written for i in pq.read_table(os.path.join(table_dir, f["path"])).column("error_id").to_pylist())
    assert ids == [f"e{n:02d}" for n in range(40)] and sum(f["rows"] for f in written) == 40


def interrupted_after_articles(output, run_id: str) -> dict:
    """A commit that died after the articles table (its plan pending in DIR/_commits)."""
    half = plan(output, run_id, {"articles": {"2026-11-20": article_rows(run_id, ["a1", "a2"])},
                                 "quotes": {"2026-11-20": quote_rows(run_id, 0, 10)}})
    real = commit_module.commit_files

    def die_after_articles(output, name, commit_id, files):
        if name != "articles":
            raise RuntimeError("died")
        real(output, name, commit_id, files)

    commit_module.commit_files = die_after_articles
    try:
        with pytest.raises(RuntimeError, match="died"):
            commit(str(output), half)
    finally:
        commit_module.commit_files = real
    return half


def test_compact_finishes_an_interrupted_commit_before_it_vacuums(tmp_path):
    """Vacuum with no retention deletes every file no table names: the quotes of a commit
    interrupted after its articles would go, and finishing that commit later would name missing
    files. compact takes the launch sequence, which finishes the commit first."""
    interrupted_after_articles(tmp_path, "pending")
    run_compact(str(tmp_path), retention_hours=0)
    assert run_query(str(tmp_path), "SELECT count(*) FROM quotes")[1] == [(10,)]
    assert run_query(str(tmp_path), "SELECT count(*) FROM articles")[1] == [(2,)]
    assert [m["run_id"] for m in manifests(str(tmp_path))] == ["pending"]


def test_recovery_drops_a_plan_whose_files_are_gone_and_every_query_still_works(tmp_path):
    interrupted_after_articles(tmp_path, "broken")
    for name in data_files_on_disk(tmp_path, "quotes"):
        os.remove(os.path.join(table_uri(str(tmp_path), "quotes"), name))
    assert recover(str(tmp_path)) == []
    assert os.path.exists(os.path.join(str(tmp_path), "_commits", "dropped", "broken.json"))
    assert not [n for n in os.listdir(os.path.join(str(tmp_path), "_commits")) if n.endswith(".json")]
    for table in ("articles", "quotes", "runs"):   # the run never shows, and nothing names a missing file
        assert run_query(str(tmp_path), f"SELECT count(*) FROM {table}")[1] == [(0,)]


def test_two_bundles_with_the_same_keys_write_two_files_and_each_add_action_describes_its_bytes(tmp_path):
    """File names never collide between bundles or attempts (a retried attempt writes a new file,
    never the same name with other bytes), so a commit never adds one path twice."""
    rows = quote_rows("same", 0, 5)
    once = write_data_file(str(tmp_path), "quotes", "2026-11-20", "same", rows)
    again = write_data_file(str(tmp_path), "quotes", "2026-11-20", "same", [{**r, "text": r["text"] * 3} for r in rows])
    assert once["path"] != again["path"]
    files = [{"fact": "file", **once}, {"fact": "file", **again}]
    manifest = build_manifest({"run_id": "same", "started_at": dt.datetime.now(UTC).isoformat()}, files)
    commit(str(tmp_path), {"commit_id": "same", "files": files, "feed_states": [], "manifest": manifest})
    table = layout.open_table(str(tmp_path), "quotes")
    adds = pa.table(table.get_add_actions(flatten=True)).to_pylist()
    assert len(adds) == 2 and len({a["path"] for a in adds}) == 2
    for add in adds:
        assert add["size_bytes"] == os.path.getsize(os.path.join(table_uri(str(tmp_path), "quotes"), add["path"]))
    assert run_query(str(tmp_path), "SELECT count(*) FROM quotes")[1] == [(10,)]


def test_error_rows_of_the_same_failure_twice_have_distinct_ids():
    """Entries without a link share url "", a failing feed polled twice in a window the same url, stage
    and kind: each failure is still its own row."""
    from transforms.records import error_row
    first, second = (error_row("run1", "parse_feed", "", "no_link", "entry has no link") for _ in range(2))
    assert first["error_id"] != second["error_id"]
