"""End to end: the batch pipeline against a real local news site, read back with DuckDB."""

import glob
import json
import os
import shutil

import duckdb
import pytest
from apache_beam.options.pipeline_options import PipelineOptions

from pipelines import batch
from transforms.storage.layout import article_files
from transforms.storage.views import delta_extension
from transforms.storage.runs import manifests

FEEDS = ("/feeds/local.xml", "/feeds/regional.atom", "/feeds/malformed.xml", "/feeds/empty.xml",
         "/feeds/not-a-feed.html", "/feeds/server-error.xml", "/feeds/absent.xml", "/feeds/garbage.xml")


# The fixture site is on 127.0.0.1 and ours: allow it, and don't wait between requests.
LOCAL = ("--allow_private_hosts", "--per_host_delay=0", "--retry_base_delay=0.01")


def run(site, output, *extra):
    feeds = [site.base + path for path in FEEDS]
    options = PipelineOptions(["--output", str(output), *LOCAL, *extra])
    return batch.run(options, feeds)


def view(output, table):
    return f"delta_scan('{output}/{table}')"


def delta_db() -> duckdb.DuckDBPyConnection:
    """Plain DuckDB with the delta extension: reads committed rows only, as any Delta reader does."""
    con = duckdb.connect()
    con.execute(f"LOAD '{delta_extension()}'")
    return con


@pytest.fixture(scope="module")
def first_run(site, tmp_path_factory):
    output = tmp_path_factory.mktemp("dataset")
    manifest = run(site, output)
    return site, output, manifest


@pytest.fixture
def own_copy(first_run, tmp_path):
    """The first run's dataset copied for a test that runs again on it."""
    site, output, manifest = first_run
    copy = tmp_path / "dataset"
    shutil.copytree(output, copy)
    return site, copy, manifest


def test_every_entry_ends_as_exactly_one_article_duplicate_or_error(first_run):
    _, output, manifest = first_run
    totals = manifest["totals"]
    assert totals["entries"] == 8
    assert totals["articles"] + totals["duplicates"] + totals["errors"] == totals["entries"]
    for feed in manifest["feeds"]:
        assert feed["articles"] + feed["duplicates"] + feed["errors"] == feed["entries"], feed
    con = delta_db()
    articles = con.execute(f"SELECT count(*), count(DISTINCT article_id) FROM {view(output, 'articles')}").fetchone()
    assert articles == (totals["articles"], totals["articles"])
    entry_errors = con.execute(f"SELECT count(*) FROM {view(output, 'errors')} "
                               "WHERE stage IN ('fetch_page', 'extract')").fetchone()[0]
    assert entry_errors == totals["errors"]


def test_manifest_shows_which_feeds_are_dead_empty_or_broken(first_run):
    _, _, manifest = first_run
    by_name = {f["feed_url"].rsplit("/", 1)[1]: f for f in manifest["feeds"]}
    assert {name: f["error_kind"] for name, f in by_name.items()} == {
        "local.xml": None, "regional.atom": None, "malformed.xml": "malformed_feed", "empty.xml": "empty_feed",
        "not-a-feed.html": "not_a_feed", "server-error.xml": "http_500", "absent.xml": "http_404",
        "garbage.xml": "malformed_feed"}
    assert by_name["local.xml"]["http_status"] == 200 and by_name["local.xml"]["entries"] == 6
    assert by_name["regional.atom"]["duplicates"] == 1


def test_bad_pages_become_error_rows_with_url_reason_and_status(first_run):
    site, output, _ = first_run
    rows = delta_db().execute(
        f"SELECT stage, error_kind, http_status, url, input FROM {view(output, 'errors')} "
        "WHERE stage <> 'parse_feed' AND stage <> 'fetch_feed' ORDER BY url").fetchall()
    assert [(r[0], r[1], r[2], r[3].replace(site.base, "")) for r in rows] == [
        ("fetch_page", "http_404", 404, "/news/missing-story.html"),
        ("extract", "no_body", 200, "/news/no-body.html"),
        ("fetch_page", "http_500", 500, "/news/server-error.html"),
    ]
    retry = json.loads(rows[0][4])
    assert retry["link"] == rows[0][3] and retry["feed_url"].endswith("/feeds/local.xml")


def test_articles_are_partitioned_by_published_date_and_keep_their_metadata(first_run):
    _, output, _ = first_run
    partitions = sorted(os.path.basename(d) for d in glob.glob(f"{output}/articles/date=*"))
    assert partitions == ["date=2026-11-17", "date=2026-11-18", "date=2026-11-19", "date=2026-11-20"]
    rows = delta_db().execute(
        f"SELECT title, body_source, source, authors, strftime(published_at, '%Y-%m-%d %H:%M'), date::VARCHAR, "
        f"word_count > 40 FROM {view(output, 'articles')} ORDER BY published_at").fetchall()
    assert rows == [
        ("Council approves new ferry terminal", "page", "Millbrook Courier", ["Ruth Okafor"], "2026-11-17 09:30",
         "2026-11-17", True),
        ("Library reopens after flood repairs", "page", "Millbrook Courier", ["Ruth Okafor"], "2026-11-18 19:00",
         "2026-11-18", True),
        ("Harbour festival draws record crowd", "feed", "Millbrook Courier", [], "2026-11-19 08:00", "2026-11-19",
         True),
        ("Café owner wins regional award", "page", "Millbrook Courier", ["Ruth Okafor"], "2026-11-20 11:00",
         "2026-11-20", True),
    ]


def test_quotes_and_figures_join_articles_and_their_offsets_point_into_the_text(first_run):
    _, output, _ = first_run
    con = delta_db()
    for table, raw in (("quotes", "text"), ("figures", "raw")):
        joined, mismatched = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE substr(a.text, t.start + 1, t.\"end\" - t.start) <> t.{raw}) "
            f"FROM {view(output, table)} t JOIN {view(output, 'articles')} a USING (article_id)").fetchone()
        total = con.execute(f"SELECT count(*) FROM {view(output, table)}").fetchone()[0]
        assert total > 0 and joined == total and mismatched == 0, table
    speakers = {r[0] for r in con.execute(f"SELECT speaker FROM {view(output, 'quotes')}").fetchall()}
    assert {"Helen Draycott", "Oskar Pennington", "Renée Marchetti"} <= speakers


def test_rerun_fetches_no_page_again_and_writes_no_duplicate_rows(own_copy):
    site, output, first = own_copy
    seen_before = len(site.requests)
    second = run(site, output)
    refetched = {path for path in site.requests[seen_before:] if path.startswith("/news/")}
    # Only the pages that failed are tried again (the 500 one with retries, hence a set).
    assert refetched == {"/news/missing-story.html", "/news/server-error.html", "/news/no-body.html"}
    assert second["totals"]["articles"] == 0
    assert second["totals"]["duplicates"] == first["totals"]["articles"] + first["totals"]["duplicates"]
    con = delta_db()
    for table, key in (("articles", "article_id"), ("quotes", "quote_id"), ("figures", "figure_id")):
        total, distinct = con.execute(f"SELECT count(*), count(DISTINCT {key}) FROM {view(output, table)}").fetchone()
        assert total == distinct, table
    assert [m["run_id"] for m in manifests(str(output))] == [first["run_id"], second["run_id"]]


def test_files_of_a_crashed_run_are_never_committed(own_copy):
    site, output, _ = own_copy
    committed = set(article_files(str(output)))
    partition = f"{output}/articles/date=2026-11-17"
    crashed = f"{partition}/part-19990101T000000Zdead-0000.parquet"
    shutil.copy(next(iter(committed)).removeprefix("file://"), crashed)   # a whole, valid file, never committed
    second = run(site, output)
    assert second["totals"]["articles"] == 0
    assert set(article_files(str(output))) == committed
    total, distinct = delta_db().execute(f"SELECT count(*), count(DISTINCT article_id) FROM {view(output, 'articles')}"
                                         ).fetchone()
    assert total == distinct


# --- languages: each article's language decided, rules only in their language ----------------------

LANG_SITE = os.path.join(os.path.dirname(__file__), "fixtures", "lang")


@pytest.fixture(scope="module")
def lang_run(tmp_path_factory):
    """`newsbeam run` on a real local server with a German page (its template declaring "en"), a
    Swedish one, a Polish one declaring nothing, an English one declaring nothing, a French and a Spanish one."""
    import subprocess
    import sys
    from pipelines.site import serve
    output = tmp_path_factory.mktemp("lang")
    with serve(LANG_SITE) as site:
        result = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "run", "--feeds", f"{site.base}/feeds/lang.xml",
             "--dataset", str(output), "--direct_num_workers=1", *LOCAL],
            capture_output=True, text=True, timeout=600, cwd=os.path.dirname(os.path.dirname(__file__)))
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    return output, result.stdout, manifests(str(output))[-1]


def _rows(output, table, columns):
    return delta_db().execute(
        f"SELECT a.url, {columns} FROM {view(output, table)} t JOIN {view(output, 'articles')} a USING (article_id) "
        "ORDER BY a.url, t.start").fetchall()


def test_run_decides_each_articles_language_from_page_and_text(lang_run):
    output, _, _ = lang_run
    languages = dict((url.rsplit("/", 1)[1], language) for url, language in delta_db().execute(
        f"SELECT url, language FROM {view(output, 'articles')}").fetchall())
    assert languages == {"de_bruecke.html": "de", "sv_farja.html": "sv", "pl_biblioteka.html": "pl",
                         "en_sea_wall.html": "en", "fr_tramway.html": "fr", "es_puente.html": "es"}


def test_articles_in_a_language_without_rules_get_no_quotes_no_figures_and_are_counted(lang_run):
    output, stdout, manifest = lang_run
    for table in ("quotes", "figures"):
        urls = {url.rsplit("/", 1)[1] for url, *_ in _rows(output, table, "t.start")}
        assert not urls & {"sv_farja.html", "pl_biblioteka.html"}, table
    assert manifest["not_analysed"] == {"pl": 1, "sv": 1}
    assert manifest["not_analysed_by_task"]["quotes"] == {"pl": 1, "sv": 1}
    assert "not analysed (no rules for the language): 2 articles (pl 1, sv 1)" in stdout
    assert manifest["totals"]["errors"] == 0


def test_an_english_page_declaring_nothing_still_gets_quotes_and_figures(lang_run):
    output, _, _ = lang_run
    quotes = [r[1:] for r in _rows(output, "quotes", "t.speaker") if r[0].endswith("en_sea_wall.html")]
    figures = [r[1:] for r in _rows(output, "figures", "t.value, t.unit") if r[0].endswith("en_sea_wall.html")]
    assert ("Daniel Osei",) in quotes
    assert (12_000_000, "USD") in figures and (3400, None) in [(v, u) for v, u in figures if v == 3400]


def test_a_german_article_gets_german_figures_and_quotes(lang_run):
    output, _, _ = lang_run
    figures = [r[1:] for r in _rows(output, "figures", "t.raw, t.value, t.unit") if r[0].endswith("de_bruecke.html")]
    assert ("40.000 Euro", 40000, "EUR") in figures        # English rules would have stored 40
    assert not any(value == 40 for _, value, _ in figures)
    assert ("12.500", 12500, None) in figures
    quotes = [r[1:] for r in _rows(output, "quotes", "t.text, t.speaker") if r[0].endswith("de_bruecke.html")]
    assert [text for text, _ in quotes] == ["„Wir haben keine andere Wahl“"]
    assert "Anna Becker" in quotes[0][1]


@pytest.mark.parametrize("page, speakers, figure", [
    ("fr_tramway.html", ["la maire, Hélène Moreau", "elle", "L'opposition"],
     ("1,2 million d'euros", 1_200_000, "EUR")),
    ("es_puente.html", ["el alcalde, Javier Ortega"] * 2, ("3,5 millones de euros", 3_500_000, "EUR")),
])
def test_french_and_spanish_articles_get_their_quotes_speakers_and_figures(lang_run, page, speakers, figure):
    output, _, manifest = lang_run
    quotes = [r[1:] for r in _rows(output, "quotes", "t.speaker, t.speaker_id") if r[0].endswith(page)]
    assert [speaker for speaker, _ in quotes] == speakers
    assert quotes[0][1] is not None and quotes[1][1] == quotes[0][1]   # "elle" is the mayor, the pro-drop too
    figures = [r[1:] for r in _rows(output, "figures", "t.raw, t.value, t.unit") if r[0].endswith(page)]
    assert figure in figures
    assert "fr" not in manifest["not_analysed_by_task"].get("quotes", {})

