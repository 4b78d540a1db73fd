"""DuckDB views over the Delta tables of a dataset directory: connect, run_query, print_result, format_table."""

import csv
import datetime as dt
import io
import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.query import MAX_CELL, connect, format_table, print_result, run_query
from schemas import ARTICLES, PARTITION_COLUMN, TABLES
from transforms.storage.runs import build_manifest
from transforms.storage.commit import commit
from transforms.storage.files import write_data_file

UTC = dt.timezone.utc


def _article(aid, title, words, day):
    return {"article_id": aid, "url": f"https://gazette.example/{aid}", "canonical_url": f"https://gazette.example/{aid}",
            "source": "Harlow Gazette", "title": title, "authors": ["Mira Castell"], "tags": ["Local"],
            "published_at": dt.datetime(2026, 11, day, 8, 0, tzinfo=UTC), "text": "Body text.",
            "word_count": words, "body_source": "page", "http_status": 200, "run_id": "run1"}


def commit_rows(root, run_id, table_rows):
    """Commit {table: {date: rows}} as one run, the way the pipeline's commit step does."""
    files = [{"fact": "file", **write_data_file(str(root), table, date, run_id, rows)}
             for table, partitions in table_rows.items() for date, rows in partitions.items()]
    manifest = build_manifest({"run_id": run_id, "started_at": dt.datetime.now(UTC).isoformat()}, files)
    commit(str(root), {"commit_id": run_id, "files": files, "feed_states": [], "manifest": manifest})


@pytest.fixture
def dataset(tmp_path):
    commit_rows(tmp_path, "run1", {
        "articles": {"2026-11-17": [_article("a1", "Tram opens", 310, 17), _article("a2", "Dredging delayed", 120, 17)],
                     "2026-11-18": [_article("a3", "Roof repaired", 95, 18)]},
        "errors": {"2026-11-18": [
            {"error_id": "e1", "run_id": "run1", "stage": "fetch_page", "url": "https://gazette.example/gone",
             "error_kind": "http_404", "message": "HTTP 404", "http_status": 404,
             "occurred_at": dt.datetime(2026, 11, 18, 9, 0, tzinfo=UTC)}]}})
    return str(tmp_path)


def test_run_query_reads_all_partitions(dataset):
    columns, rows = run_query(dataset, "SELECT article_id FROM articles ORDER BY article_id")
    assert columns == ["article_id"]
    assert rows == [("a1",), ("a2",), ("a3",)]


def test_partition_column_comes_from_the_delta_log_as_a_date(dataset):
    _, rows = run_query(dataset, "SELECT date, count(*) FROM articles GROUP BY date ORDER BY date")
    assert rows == [(dt.date(2026, 11, 17), 2), (dt.date(2026, 11, 18), 1)]


def test_partition_filter_selects_one_day(dataset):
    _, rows = run_query(dataset, "SELECT title FROM articles WHERE date = DATE '2026-11-18'")
    assert rows == [("Roof repaired",)]


def test_list_and_timestamp_columns_round_trip(dataset):
    _, rows = run_query(dataset, "SELECT authors, published_at FROM articles WHERE article_id = 'a1'")
    (authors, published), = rows
    assert authors == ["Mira Castell"]
    assert published.tzinfo is not None  # stored as timestamp with time zone
    assert published.astimezone(UTC) == dt.datetime(2026, 11, 17, 8, 0, tzinfo=UTC)


def test_tables_can_be_joined(dataset):
    _, rows = run_query(dataset, "SELECT e.error_kind, count(a.article_id) FROM errors e "
                                 "LEFT JOIN articles a ON a.date = e.date GROUP BY 1")
    assert rows == [("http_404", 1)]


def test_runs_view_shows_each_commit_with_its_manifest(dataset):
    _, rows = run_query(dataset, "SELECT run_id, kind, json_extract(manifest, '$.rows.articles')::INT FROM runs")
    assert rows == [("run1", "run", 3)]


def test_tables_without_files_are_empty_but_have_every_schema_column(dataset):
    for table in ("quotes", "figures"):
        columns, rows = run_query(dataset, f"SELECT * FROM {table}")
        assert rows == []
        assert columns == TABLES[table].names + [PARTITION_COLUMN]


def test_empty_data_dir_still_binds_queries_on_every_table(tmp_path):
    columns, rows = run_query(str(tmp_path), "SELECT article_id, word_count, date FROM articles WHERE word_count > 10")
    assert columns == ["article_id", "word_count", "date"] and rows == []
    _, rows = run_query(str(tmp_path), "SELECT count(*) FROM errors")
    assert rows == [(0,)]


def test_empty_table_columns_have_schema_types(tmp_path):
    con = connect(str(tmp_path))
    try:
        types = dict(con.execute("SELECT column_name, column_type FROM (DESCRIBE quotes)").fetchall())
    finally:
        con.close()
    assert types["confidence"] == "FLOAT"
    assert types["start"] == "INTEGER"
    assert types[PARTITION_COLUMN] == "DATE"


def test_a_file_no_commit_added_is_invisible(dataset):
    """A worker's file of a run that never committed (crashed, or a retried bundle's first try)."""
    stray = os.path.join(dataset, "articles", "date=2026-11-18", "part-crashed-0.parquet")
    pq.write_table(pa.Table.from_pylist([_article("a9", "Never committed", 10, 18)], schema=ARTICLES), stray)
    assert run_query(dataset, "SELECT count(*) FROM articles") == (["count_star()"], [(3,)])


def test_data_dir_with_a_quote_in_its_name(tmp_path):
    root = tmp_path / "it's data"
    commit_rows(root, "run1", {"articles": {"2026-11-17": [_article("a1", "Tram opens", 310, 17)]}})
    assert run_query(str(root), "SELECT article_id FROM articles")[1] == [("a1",)]


def test_a_column_added_later_needs_no_rewrite_and_old_files_read_it_as_null(tmp_path, monkeypatch):
    """Schema evolution: a table created by an older schema version (without body_source) gets the
    new nullable column at the next commit; the old file is not rewritten and reads it as NULL."""
    import schemas
    from transforms.storage.layout import article_files
    old = pa.schema([f for f in ARTICLES if f.name != "body_source"])
    monkeypatch.setitem(schemas.TABLES, "articles", old)
    old_row = {k: v for k, v in _article("old", "Old", 50, 16).items() if k != "body_source"}
    commit_rows(tmp_path, "older", {"articles": {"2026-11-16": [old_row]}})
    old_file = article_files(str(tmp_path))
    monkeypatch.setitem(schemas.TABLES, "articles", ARTICLES)
    commit_rows(tmp_path, "newer", {"articles": {"2026-11-17": [_article("new", "New", 60, 17)]}})
    assert set(old_file) < set(article_files(str(tmp_path)))
    _, rows = run_query(str(tmp_path), "SELECT article_id, body_source FROM articles ORDER BY article_id")
    assert rows == [("new", "page"), ("old", None)]


def test_invalid_sql_raises(dataset):
    with pytest.raises(Exception):
        run_query(dataset, "SELECT no_such_column FROM articles")


# --- output formats ----------------------------------------------------------------------------

def test_print_result_csv_has_header_and_rows(dataset):
    columns, rows = run_query(dataset, "SELECT article_id, title, word_count, date FROM articles ORDER BY article_id")
    out = io.StringIO()
    print_result(columns, rows, "csv", out)
    parsed = list(csv.reader(io.StringIO(out.getvalue())))
    assert parsed[0] == ["article_id", "title", "word_count", "date"]
    assert parsed[1] == ["a1", "Tram opens", "310", "2026-11-17"]
    assert len(parsed) == 4


def test_print_result_csv_quotes_commas_and_newlines():
    out = io.StringIO()
    print_result(["text"], [("Yes, she said\n\"no\"",)], "csv", out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [["text"], ["Yes, she said\n\"no\""]]


def test_print_result_jsonl_writes_one_object_per_line_and_json_one_array(dataset):
    columns, rows = run_query(dataset, "SELECT article_id, authors, date, published_at FROM articles "
                                       "ORDER BY article_id")
    out = io.StringIO()
    print_result(columns, rows, "jsonl", out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    whole = io.StringIO()
    print_result(columns, rows, "json", whole)
    assert json.loads(whole.getvalue()) == [json.loads(line) for line in lines]
    first = json.loads(lines[0])
    assert first["article_id"] == "a1"
    assert first["authors"] == ["Mira Castell"]
    assert first["date"] == "2026-11-17"
    assert first["published_at"].startswith("2026-11-17")


def test_print_result_json_keeps_non_ascii_text():
    out = io.StringIO()
    print_result(["title"], [("Café crème",)], "jsonl", out)
    assert out.getvalue() == '{"title": "Café crème"}\n'


def test_print_result_defaults_to_a_table():
    out = io.StringIO()
    print_result(["n"], [(1,)], out=out)
    assert out.getvalue() == format_table(["n"], [(1,)]) + "\n"


def test_format_table_aligns_columns_and_counts_rows():
    text = format_table(["id", "title"], [("a1", "Tram opens"), ("a22", "Roof")])
    lines = text.splitlines()
    assert lines[0] == "id   title"
    assert lines[1] == "---  ----------"
    assert lines[2] == "a1   Tram opens"
    assert lines[3] == "a22  Roof"
    assert lines[-1] == "(2 rows)"


def test_format_table_singular_row_count_and_null():
    lines = format_table(["speaker"], [(None,)]).splitlines()
    assert lines[2] == "NULL"
    assert lines[-1] == "(1 row)"


def test_format_table_with_no_rows_shows_header_only():
    assert format_table(["a", "bb"], []).splitlines() == ["a  bb", "-  --", "(0 rows)"]


def test_format_table_cuts_long_cells_and_flattens_newlines():
    long = "word " * 40
    lines = format_table(["text"], [(long,), ("two\nlines",)]).splitlines()
    assert len(lines[2]) == MAX_CELL
    assert lines[2].endswith("…")
    assert lines[3] == "two lines"


def test_file_statistics_bound_their_rows_so_filters_skip_no_matching_file(tmp_path):
    """Readers skip files by the min/max a commit records: bounds rounded to milliseconds must
    still contain every value (here sub-millisecond times at both ends)."""
    times = [dt.datetime(2026, 11, 17, 8, 0, 0, 999_500, tzinfo=UTC), dt.datetime(2026, 11, 17, 9, 0, 0, 400, tzinfo=UTC)]
    rows = [{**_article(f"t{i}", "Tide", 10, 17), "published_at": t} for i, t in enumerate(times)]
    commit_rows(tmp_path, "stats", {"articles": {"2026-11-17": rows}})
    for i, t in enumerate(times):
        got = run_query(str(tmp_path), f"SELECT article_id FROM articles WHERE published_at = TIMESTAMPTZ '{t.isoformat()}'")
        assert got[1] == [(f"t{i}",)]


def readme_block_after(marker: str) -> str:
    """The first code block of README.md after `marker`, as written there."""
    text = open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md"),
                encoding="utf-8").read()
    rest = text[text.index(marker):]
    start = rest.index("```\n") + 4
    return rest[start:rest.index("```", start)]


def test_the_readmes_plain_duckdb_recipe_runs_as_written_without_newsbeam_and_hides_a_commit_under_way(tmp_path):
    """The recipe loads the delta extension by path (no INSTALL, no newsbeam import) and, like the
    views, shows no row of a commit whose run row is not there yet."""
    import subprocess
    import sys

    from tests.test_compact import article_rows, interrupted_after_articles, plan
    from transforms.storage.commit import commit
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    dataset = tmp_path / "newsbeam-demo"
    commit(str(dataset), plan(dataset, "done", {"articles": {"2026-11-20": article_rows("done", ["d1", "d2", "d3"])}}))
    interrupted_after_articles(dataset, "underway")   # its two articles are in the table, its run row is not
    os.symlink(os.path.join(root, ".venv"), tmp_path / ".venv")
    block = readme_block_after("Plain DuckDB works the same way")
    assert "import newsbeam" not in block and "from transforms" not in block and "INSTALL" not in block
    done = subprocess.run(["bash", "-c", block], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 0, done.stderr
    assert "harbour.example" not in done.stderr and "│ NULL" in done.stdout and "│            3 │" in done.stdout, done.stdout


def test_the_views_a_query_can_use_are_the_ones_help_lists(dataset, capsys):
    from pipelines.cli import main
    from pipelines.commands.query import VIEWS
    con = connect(dataset)
    made = {name for (name,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal "
                                            "AND NOT starts_with(view_name, '_')").fetchall()}
    assert made == set(VIEWS)
    assert main(["query", "--help"]) == 0
    shown = capsys.readouterr().out
    assert all(view in shown for view in VIEWS)
    assert main(["--help"]) == 0
    assert ", ".join(VIEWS) in " ".join(capsys.readouterr().out.split())
