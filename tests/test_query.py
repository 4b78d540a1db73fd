"""DuckDB views over hive-partitioned Parquet: connect, run_query, print_result, format_table."""

import csv
import datetime as dt
import io
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipelines.query import MAX_CELL, connect, format_table, print_result, run_query
from schemas import ARTICLES, ERRORS, PARTITION_COLUMN, TABLES

UTC = dt.timezone.utc


def _article(aid, title, words, day):
    return {"article_id": aid, "url": f"https://gazette.example/{aid}", "canonical_url": f"https://gazette.example/{aid}",
            "source": "Harlow Gazette", "title": title, "authors": ["Mira Castell"], "tags": ["Local"],
            "published_at": dt.datetime(2026, 11, day, 8, 0, tzinfo=UTC), "text": "Body text.",
            "word_count": words, "body_source": "page", "http_status": 200, "run_id": "run-1"}


def write_partition(root, table, date, rows, schema):
    part = root / table / f"{PARTITION_COLUMN}={date}"
    part.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), part / "x.parquet")


@pytest.fixture
def dataset(tmp_path):
    write_partition(tmp_path, "articles", "2026-11-17", [_article("a1", "Tram opens", 310, 17),
                                                         _article("a2", "Dredging delayed", 120, 17)], ARTICLES)
    write_partition(tmp_path, "articles", "2026-11-18", [_article("a3", "Roof repaired", 95, 18)], ARTICLES)
    write_partition(tmp_path, "errors", "2026-11-18", [
        {"error_id": "e1", "run_id": "run-1", "stage": "fetch_page", "url": "https://gazette.example/gone",
         "error_kind": "http_404", "message": "HTTP 404", "http_status": 404,
         "occurred_at": dt.datetime(2026, 11, 18, 9, 0, tzinfo=UTC)}], ERRORS)
    return str(tmp_path)


def test_run_query_reads_all_partitions(dataset):
    columns, rows = run_query(dataset, "SELECT article_id FROM articles ORDER BY article_id")
    assert columns == ["article_id"]
    assert rows == [("a1",), ("a2",), ("a3",)]


def test_partition_column_comes_from_the_directory_as_a_date(dataset):
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


def test_partition_directory_without_parquet_files_counts_as_empty(tmp_path):
    (tmp_path / "figures" / "date=2026-11-18").mkdir(parents=True)
    assert run_query(str(tmp_path), "SELECT count(*) FROM figures") == (["count_star()"], [(0,)])


def test_data_dir_with_a_quote_in_its_name(tmp_path):
    root = tmp_path / "it's data"
    write_partition(root, "articles", "2026-11-17", [_article("a1", "Tram opens", 310, 17)], ARTICLES)
    assert run_query(str(root), "SELECT article_id FROM articles")[1] == [("a1",)]


def test_files_from_an_older_schema_are_read_alongside_new_ones(tmp_path):
    old = pa.schema([f for f in ARTICLES if f.name != "body_source"])
    old_row = {k: v for k, v in _article("old", "Old", 50, 16).items() if k != "body_source"}
    write_partition(tmp_path, "articles", "2026-11-16", [old_row], old)
    write_partition(tmp_path, "articles", "2026-11-17", [_article("new", "New", 60, 17)], ARTICLES)
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


def test_print_result_json_writes_one_object_per_line(dataset):
    columns, rows = run_query(dataset, "SELECT article_id, authors, date, published_at FROM articles "
                                       "ORDER BY article_id")
    out = io.StringIO()
    print_result(columns, rows, "json", out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert first["article_id"] == "a1"
    assert first["authors"] == ["Mira Castell"]
    assert first["date"] == "2026-11-17"
    assert first["published_at"].startswith("2026-11-17")


def test_print_result_json_keeps_non_ascii_text():
    out = io.StringIO()
    print_result(["title"], [("Café crème",)], "json", out)
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
