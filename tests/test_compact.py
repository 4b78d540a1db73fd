"""Compaction: real Parquet files in tmp_path, read back with DuckDB, while readers run."""

import json
import os
import threading
import time

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.compact import (CompactError, DatasetLocked, compact, dataset_lock, format_stats,
                               new_compact_run_id)
from pipelines.query import run_query
from schemas import ERRORS, QUOTES, TABLES
from transforms.dataset import (completed_runs, failed_inputs, ingested_article_ids, load_feed_state,
                                rollback_incomplete_runs, write_parquet_file)


def quote_rows(run_id: str, start: int, count: int) -> list[dict]:
    return [{"quote_id": f"q{n:07d}", "article_id": f"a{n // 5:06d}", "text": f"We will build {n} ferries",
             "speaker": f"Speaker {n % 7}", "speaker_title": None if n % 3 else "Minister",
             "speaker_start": n % 100, "speaker_end": n % 100 + 9, "cue": "said", "kind": "direct",
             "start": n, "end": n + 20, "sentence": f"Sentence {n}.", "confidence": 0.5 + (n % 5) / 10,
             "run_id": run_id} for n in range(start, start + count)]


def add_run(output, run_id: str, partitions: dict[str, int], files_per_partition: int, start: int = 0,
            manifest: bool = True, table: str = "quotes") -> int:
    """Files of one ingest run: `files_per_partition` quote files per date; returns the next row number."""
    n = start
    for date, rows in partitions.items():
        per_file = rows // files_per_partition
        for i in range(files_per_partition):
            count = per_file if i < files_per_partition - 1 else rows - per_file * i
            write_parquet_file(f"{output}/{table}/date={date}/part-{run_id}-{i:04d}.parquet",
                               quote_rows(run_id, n, count), TABLES[table])
            n += count
    if manifest:
        os.makedirs(f"{output}/_runs", exist_ok=True)
        with open(f"{output}/_runs/{run_id}.json", "w") as f:
            json.dump({"run_id": run_id, "feeds": []}, f)
    return n


def files_of(output, table="quotes") -> dict[str, list[str]]:
    base = os.path.join(output, table)
    return {d: sorted(os.listdir(os.path.join(base, d))) for d in sorted(os.listdir(base))}


def snapshot(output, table="quotes"):
    """Every row with its partition, as a sorted list: the multiset compaction must keep."""
    con = duckdb.connect()
    rows = con.execute(f"SELECT * FROM read_parquet('{output}/{table}/*/*.parquet', hive_partitioning = true) "
                       "ORDER BY ALL").fetchall()
    con.close()
    return rows


def test_compacts_partitions_keeping_rows_and_schema(tmp_path):
    out = str(tmp_path)
    n = add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 300, "2026-01-02": 120}, 6)
    add_run(out, "20260102T000000Zbbbb", {"2026-01-01": 50, "2026-01-03": 10}, 2, start=n)
    before, old_layout = snapshot(out), files_of(out)

    stats = compact(out)

    assert stats["partitions"] == 3 and stats["partitions_compacted"] == 3 and stats["partitions_skipped"] == 0
    assert (stats["files_before"], stats["files_after"], stats["rows"]) == (16, 3, 480)
    layout = files_of(out)
    run_id = stats["run_id"]
    # Each partition is one file now, named like its first old file (see _stage_partition).
    assert layout == {date: names[:1] for date, names in old_layout.items()}
    assert snapshot(out) == before
    for date, [name] in layout.items():
        path = f"{out}/quotes/{date}/{name}"
        assert pq.read_schema(path).equals(QUOTES, check_metadata=False)
        meta = pq.ParquetFile(path).metadata
        assert meta.num_row_groups == 1 and meta.row_group(0).column(0).compression == "ZSTD"
    manifest = json.load(open(f"{out}/_runs/{run_id}.json"))
    assert manifest["kind"] == "compact" and manifest["status"] == "finished"
    assert manifest["stats"]["files_before"] == 16
    assert manifest["files"] == sorted(f"{out}/quotes/{d}/{n}" for d, names in layout.items() for n in names)
    assert not os.path.exists(f"{out}/_compact")
    assert "files 16 -> 3, rows 480" in format_stats(stats)


def test_target_rows_splits_and_second_run_changes_nothing(tmp_path):
    out = str(tmp_path)
    add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 250}, 10)
    before = snapshot(out)
    listed = files_of(out)["date=2026-01-01"]  # what a reader listed just before the swap
    stats = compact(out, target_rows=100)
    # ... and keeps, when it stats those names by path just after it (DuckDB's glob drops entries whose
    # stat fails), exactly the new files: so it reads the right rows, or fails opening a vanished one.
    assert [n for n in listed if os.path.exists(f"{out}/quotes/date=2026-01-01/{n}")] == \
        files_of(out)["date=2026-01-01"]
    assert stats["files_after"] == 3
    layout = files_of(out)
    assert [pq.read_metadata(f"{out}/quotes/date=2026-01-01/{name}").num_rows
            for name in layout["date=2026-01-01"]] == [100, 100, 50]
    runs = sorted(os.listdir(f"{out}/_runs"))
    assert layout["date=2026-01-01"] == [f"part-20260101T000000Zaaaa-{i:04d}.parquet" for i in range(3)]

    again = compact(out, target_rows=100)

    assert again["partitions_compacted"] == 0 and again["run_id"] is None
    assert files_of(out) == layout and sorted(os.listdir(f"{out}/_runs")) == runs
    assert snapshot(out) == before
    assert "nothing to compact" in format_stats(again)


def test_duckdb_globs_read_hidden_names_but_not_the_staging_area(tmp_path):
    """Why staging lives in DIR/_compact/ and not beside the partition: DuckDB's * and ** match
    names starting with '.' and '_' (unlike shell globs), so a hidden sibling would be read."""
    def put(relative, value):
        os.makedirs(os.path.dirname(tmp_path / relative), exist_ok=True)
        pq.write_table(pa.table({"v": [value]}), tmp_path / relative)
    put("quotes/date=2026-01-01/part-a-0.parquet", "live")
    put("quotes/.date=2026-01-01/part-a-0.parquet", "dot sibling")
    put("quotes/_date=2026-01-01/part-a-0.parquet", "underscore sibling")
    put("quotes/date=2026-01-01/_sub/part-a-0.parquet", "nested")
    put("_compact/run/0/new/part-a-0.parquet", "staged")
    con = duckdb.connect()
    seen = lambda glob: sorted(v for (v,) in con.execute(f"SELECT v FROM read_parquet('{tmp_path}/{glob}')").fetchall())
    assert seen("quotes/*/*.parquet") == ["dot sibling", "live", "underscore sibling"]
    assert "nested" in seen("quotes/**/*.parquet") and "staged" not in seen("quotes/**/*.parquet")


def test_min_files_and_single_file_partitions_left_alone(tmp_path):
    out = str(tmp_path)
    add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 10}, 1)
    add_run(out, "20260101T000000Zbbbb", {"2026-01-02": 10}, 3, start=100)
    layout = files_of(out)
    assert compact(out, min_files=4)["partitions_compacted"] == 0
    assert files_of(out) == layout
    assert compact(out)["partitions_compacted"] == 1
    assert files_of(out)["date=2026-01-01"] == layout["date=2026-01-01"]


def test_empty_dataset_and_bad_output(tmp_path):
    (tmp_path / "_runs").mkdir()
    stats = compact(str(tmp_path))
    assert stats["partitions"] == 0 and stats["run_id"] is None
    assert os.listdir(tmp_path / "_runs") == []
    stranger = tmp_path / "not-a-dataset"
    stranger.mkdir()
    with pytest.raises(CompactError, match="not a newsbeam dataset"):
        compact(str(stranger))
    assert os.listdir(stranger) == []   # not even a lock file left behind
    with pytest.raises(CompactError, match="not a directory"):
        compact(str(tmp_path / "missing"))
    with pytest.raises(CompactError, match="local directory"):
        compact("gs://bucket/data")


def test_partitions_of_incomplete_runs_and_temp_files_are_skipped(tmp_path):
    out = str(tmp_path)
    n = add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 40, "2026-01-02": 40, "2026-01-03": 40}, 4)
    add_run(out, "20260102T000000Zdead", {"2026-01-01": 10}, 1, start=n, manifest=False)  # crashed run
    open(f"{out}/quotes/date=2026-01-02/.part-x.parquet.inprogress", "wb").close()
    layout = files_of(out)

    stats = compact(out)

    assert stats["partitions_compacted"] == 1 and stats["partitions_skipped"] == 2
    assert any("20260102T000000Zdead" in s and "no manifest" in s for s in stats["skipped"])
    assert any("inprogress" in s for s in stats["skipped"])
    assert "skipped 2 partition(s)" in format_stats(stats)
    after = files_of(out)
    assert after["date=2026-01-01"] == layout["date=2026-01-01"]
    assert after["date=2026-01-02"] == layout["date=2026-01-02"]
    assert len(after["date=2026-01-03"]) == 1

    # The next run rolls the crashed run back (compacted files survive); then compaction finishes the job.
    rolled = rollback_incomplete_runs(out)
    assert sorted(os.path.basename(p) for p in rolled) == [".part-x.parquet.inprogress",
                                                           "part-20260102T000000Zdead-0000.parquet"]
    assert len(files_of(out)["date=2026-01-03"]) == 1
    assert compact(out)["partitions_compacted"] == 2
    assert all(len(names) == 1 for names in files_of(out).values())


def test_rollback_and_dataset_readers_agree_after_compaction(tmp_path):
    out = str(tmp_path)
    run = "20260101T000000Zaaaa"
    os.makedirs(f"{out}/_runs")
    for i in range(3):
        write_parquet_file(f"{out}/articles/date=2026-01-01/part-{run}-{i}.parquet",
                           [{"article_id": f"a{i}{k}", "run_id": run} for k in range(4)], TABLES["articles"])
        write_parquet_file(f"{out}/errors/date=2026-01-01/part-{run}-{i}.parquet",
                           [{"error_id": f"e{i}", "run_id": run, "stage": "fetch_page", "url": f"http://x/{i}",
                             "input": json.dumps({"link": f"http://x/{i}"})}], ERRORS)
    from schemas import FEED_STATE
    write_parquet_file(f"{out}/_state/feeds/part-{run}.parquet",
                       [{"feed_url": "http://x/feed", "fetch_url": "http://x/feed", "checked_at":
                         "2026-01-01T00:00:00+00:00", "run_id": run}], FEED_STATE)
    with open(f"{out}/_runs/{run}.json", "w") as f:
        json.dump({"run_id": run, "feeds": [{"feed_url": "http://x/feed", "error_kind": "timeout"}]}, f)
    def dataset_view():
        feeds, entries = failed_inputs(out)
        return (ingested_article_ids(out), load_feed_state(out), feeds, sorted(e["link"] for e in entries),
                snapshot(out, "errors"))
    before = dataset_view()

    stats = compact(out)

    assert stats["tables"]["articles"]["files_after"] == 1 and stats["tables"]["errors"]["files_after"] == 1
    assert stats["run_id"] in completed_runs(out)
    assert rollback_incomplete_runs(out) == []
    assert len(files_of(out, "articles")["date=2026-01-01"]) == 1
    assert dataset_view() == before
    columns, rows = run_query(out, "SELECT count(*), count(DISTINCT article_id) FROM articles")
    assert rows == [(12, 12)]


def test_compact_run_id_parses_like_a_run_id():
    run_id = new_compact_run_id()
    assert "-" not in run_id and run_id.replace("_", "").isalnum()
    assert f"part-{run_id}-3.parquet"[len("part-"):-len(".parquet")].split("-")[0] == run_id


def test_lock_excludes_runs_and_compactions(tmp_path):
    out = str(tmp_path)
    add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 20}, 4)
    layout = files_of(out)
    with dataset_lock(out, wait=True, purpose="run"):
        with pytest.raises(DatasetLocked, match=r"in use by another newsbeam process \(run, pid \d+"):
            compact(out)
        with pytest.raises(DatasetLocked):
            with dataset_lock(out, wait=False):
                pass
    assert files_of(out) == layout
    # A waiting locker gets the lock once the holder lets go.
    got = threading.Event()

    def wait_for_lock():
        with dataset_lock(out, wait=True):
            got.set()
    with dataset_lock(out, wait=False):
        waiter = threading.Thread(target=wait_for_lock)
        waiter.start()
        waiter.join(0.3)
        assert not got.is_set()
    waiter.join(5)
    assert got.is_set()


def test_lock_is_released_when_compaction_fails(tmp_path, monkeypatch):
    out = str(tmp_path)
    add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 20}, 4)
    before = snapshot(out)
    import pipelines.compact as module

    def broken(a, b):
        raise CompactError("no atomic swap here")
    monkeypatch.setattr(module, "_exchange", broken)
    with pytest.raises(CompactError, match="no atomic swap"):
        compact(out)
    assert snapshot(out) == before and not os.path.exists(f"{out}/_compact")
    monkeypatch.undo()
    assert compact(out)["partitions_compacted"] == 1
    assert snapshot(out) == before


def test_readers_never_see_a_gap_or_a_duplicate(tmp_path, monkeypatch):
    """Readers loop (plain DuckDB with the * and ** globs, and newsbeam query's views) while
    compaction swaps partitions in; each swap is followed by a pause so readers also query the
    half-compacted states. Every answer is the full row count with as many distinct ids. A reader
    that listed the old files and opens one after its swap may get 'file not found', never a
    wrong answer."""
    import pipelines.compact as module
    out = str(tmp_path)
    dates = {f"2026-01-{d:02d}": 300 for d in range(1, 7)}
    n = add_run(out, "20260101T000000Zaaaa", dates, 10)
    add_run(out, "20260102T000000Zbbbb", dates, 5, start=n)
    total, files_before = 2 * sum(dates.values()), 15 * len(dates)
    exchange, swapping = module._exchange, threading.Event()

    def slow_exchange(a, b):
        exchange(a, b)
        if "probe-" not in a:
            swapping.set()
            time.sleep(0.15)
    monkeypatch.setattr(module, "_exchange", slow_exchange)
    select = "SELECT count(*), count(DISTINCT quote_id), count(DISTINCT filename)"
    queries = {glob: f"{select} FROM read_parquet('{out}/quotes/{glob}/*.parquet', hive_partitioning = true, "
                     "filename = true)" for glob in ("*", "**")}
    answers, errors, stop = [], [], threading.Event()

    def reader(kind):
        con = duckdb.connect()
        while not stop.is_set():
            try:
                if kind == "query":
                    row = run_query(out, "SELECT count(*), count(DISTINCT quote_id) FROM quotes")[1][0]
                else:
                    row = con.execute(queries[kind]).fetchone()
                answers.append((kind, swapping.is_set(), *row))
            except duckdb.IOException as exc:
                errors.append(str(exc).splitlines()[0])

    threads = [threading.Thread(target=reader, args=(kind,)) for kind in ("*", "**", "query")]
    for t in threads:
        t.start()
    try:
        stats = compact(out)
        time.sleep(0.2)
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert stats["partitions_compacted"] == len(dates) and stats["files_after"] == len(dates)
    wrong = [a for a in answers if a[2:4] != (total, total)]
    assert wrong == [], wrong[:5]
    files_seen = {a[4] for a in answers if a[0] != "query" and a[1]}
    assert {files_before, len(dates)} & files_seen and len(files_seen) >= 3, files_seen  # mid-swap states read
    assert all(kind in {a[0] for a in answers if a[1]} for kind in ("*", "**", "query"))
    assert all("No such file" in e or "not found" in e.lower() for e in errors), errors[:3]
    print(f"\n{len(answers)} reader answers ({sum(a[1] for a in answers)} during the swaps), all {total} rows; "
          f"files per answer {sorted(files_seen)}; {len(errors)} 'file not found' errors")


def test_older_schema_filled_with_nulls_and_foreign_columns_refused(tmp_path):
    out = str(tmp_path)
    add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 10, "2026-01-02": 10}, 2)
    old_schema = pa.schema([f for f in QUOTES if f.name != "confidence"])  # a file from before a field was added
    pq.write_table(pa.Table.from_pylist(quote_rows("20260101T000000Zaaaa", 500, 3), schema=old_schema),
                   f"{out}/quotes/date=2026-01-01/part-20260101T000000Zaaaa-9999.parquet", compression="zstd")
    extra = pa.Table.from_pylist(quote_rows("20260101T000000Zaaaa", 600, 3), schema=QUOTES)
    pq.write_table(extra.append_column("mystery", pa.array([1, 2, 3])),
                   f"{out}/quotes/date=2026-01-02/part-20260101T000000Zaaaa-9999.parquet")
    layout = files_of(out)

    stats = compact(out)

    assert stats["partitions_compacted"] == 1 and stats["rows"] == 13
    assert any("date=2026-01-02" in s and "mystery" in s for s in stats["skipped"])
    assert files_of(out)["date=2026-01-02"] == layout["date=2026-01-02"]
    [name] = files_of(out)["date=2026-01-01"]
    table = pq.read_table(f"{out}/quotes/date=2026-01-01/{name}")
    assert table.schema.equals(QUOTES, check_metadata=False)
    assert table.column("confidence").null_count == 3


def test_a_failure_half_way_leaves_every_partition_whole(tmp_path, monkeypatch):
    import pipelines.compact as module
    out = str(tmp_path)
    add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 20, "2026-01-02": 20, "2026-01-03": 20}, 4)
    before = snapshot(out)
    calls = []
    real = module._exchange

    def failing(a, b):
        calls.append(b)
        if len(calls) == 3:  # the probe, one partition swapped in, then the disk "fails"
            raise OSError(5, "Input/output error")
        real(a, b)
    monkeypatch.setattr(module, "_exchange", failing)
    with pytest.raises(OSError):
        compact(out)
    monkeypatch.undo()
    assert snapshot(out) == before and not os.path.exists(f"{out}/_compact")
    assert sorted(len(names) for names in files_of(out).values()) == [1, 4, 4]
    [manifest] = [json.load(open(f"{out}/_runs/{n}")) for n in os.listdir(f"{out}/_runs") if "compact" in n]
    assert manifest["status"] == "failed" and manifest["stats"]["partitions_compacted"] == 1
    assert rollback_incomplete_runs(out) == []
    assert compact(out)["partitions_compacted"] == 2 and snapshot(out) == before


def test_a_file_committed_without_the_lock_during_compaction_is_kept(tmp_path, monkeypatch):
    import pipelines.compact as module
    out = str(tmp_path)
    add_run(out, "20260101T000000Zaaaa", {"2026-01-01": 20}, 4)
    real = module._exchange

    def writer_sneaks_in(a, b):
        if "probe-" not in a:  # a run that ignored the lock commits a file just before the swap
            add_run(out, "20260101T000000Zlate", {"2026-01-01": 5}, 1, start=900)
        real(a, b)
    monkeypatch.setattr(module, "_exchange", writer_sneaks_in)
    compact(out)
    assert len(snapshot(out)) == 25
    assert "part-20260101T000000Zlate-0000.parquet" in files_of(out)["date=2026-01-01"]
