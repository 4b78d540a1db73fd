"""End to end: the metadata fixture pages (tests/fixtures/metadata/, written for these tests) served by a
real local server with a feed, ingested by `newsbeam run` with default options, read back with DuckDB."""

import datetime as dt
import os
import subprocess
import sys

import pytest

from pipelines.site import serve
from transforms.storage.views import connect

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(REPO, "tests", "fixtures", "metadata")
# The fixture site is on 127.0.0.1 and ours: allow it, and don't wait between requests.
LOCAL = ("--allow_private_hosts", "--per_host_delay=0", "--retry_base_delay=0.01")
COLUMNS = ("title", "authors", "source_agency", "published_at", "modified_at", "date_source",
           "is_accessible_for_free", "section", "keywords", "image_url", "text", "body_source", "source")
UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    """{fixture page name: its stored row} after one `newsbeam run` of the fixture feed."""
    output = tmp_path_factory.mktemp("metadata")
    with serve(FIXTURES) as site:
        result = subprocess.run([sys.executable, "-m", "pipelines.cli", "run", "--feeds", site.base + "/feed.xml",
                                 "--dataset", str(output), *LOCAL],
                                capture_output=True, text=True, timeout=600, cwd=REPO)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    con = connect(str(output))
    con.execute("SET TimeZone = 'UTC'")
    rows = con.execute(f"SELECT url, {', '.join(COLUMNS)} FROM articles").fetchall()
    return {url.rsplit("/", 1)[-1].removesuffix(".html"): dict(zip(COLUMNS, rest)) for url, *rest in rows}


def utc(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).astimezone(UTC)


def test_every_fixture_page_is_stored(articles):
    assert set(articles) == {"graph", "several_authors", "paywalled", "conflicting_dates", "undated"}


def test_json_ld_graph_page(articles):
    row = articles["graph"]
    assert row["title"] == "Ferry pier to be rebuilt after four-year dispute"      # no " - Local | Bayside Courier"
    assert row["authors"] == ["Ana Lindqvist"]                                    # the @graph's Person, by @id
    assert row["published_at"] == utc("2026-03-02T08:30:00+00:00")               # +01:00 in the page
    assert row["modified_at"] == utc("2026-03-02T10:05:00+00:00")
    assert row["date_source"] == "json-ld"                                        # not the feed's 3 March
    assert row["section"] == "Local" and row["keywords"] == ["harbour", "ferry", "council"]
    assert row["image_url"] == "https://courier.example/img/pier.jpg"
    assert row["is_accessible_for_free"] is True and row["source"] == "Bayside Courier"


def test_several_authors_split_and_the_agency_apart(articles):
    row = articles["several_authors"]
    assert row["authors"] == ["Ana Lindqvist", "Tomas Brenner", "Leila Haddad", "Jon Okafor", "dpa"]
    assert row["source_agency"] == "dpa"
    assert row["title"] == "Ferry pier to be rebuilt & sea wall repaired"         # not the feed's title


def test_paywalled_article_flagged_with_its_teaser_kept(articles):
    row = articles["paywalled"]
    assert row["is_accessible_for_free"] is False
    teaser = ("Der Hafenrat hat am Dienstagabend beschlossen, den alten Fähranleger am Nordende der Bucht vollständig "
              "neu zu bauen. Damit endet ein Streit, der den Gemeinderat mehr als vier Jahre lang gespalten und die "
              "Reparatur der Kaimauer verzögert hat.\n"
              "Die Ingenieure erklärten in der Sitzung, dass die Holzpfähle unter der Wasserlinie verrottet seien und "
              "der Anleger ohne neue Stützen keine Fahrzeuge mehr tragen könne.")
    assert teaser in row["text"]                                                   # both paragraphs, whole and in order
    assert row["body_source"] == "page"
    assert row["authors"] == ["Jana Petersen"] and row["section"] == "Lokales"
    assert row["title"] == "Neuer Anleger für die Fähre"                           # no " – Hafenbote"
    assert row["published_at"] == utc("2026-03-02T06:15:00+00:00") and row["date_source"] == "meta"
    assert row["image_url"] == "https://hafenbote.example/bilder/anleger.jpg"      # og:image


def test_conflicting_dates_a_future_json_ld_date_is_passed_over(articles):
    row = articles["conflicting_dates"]
    assert row["title"] == "Ferry pier to be rebuilt"                              # no " | Bayside Courier"
    assert row["published_at"] == utc("2026-03-02T08:30:00+00:00") and row["date_source"] == "meta"
    assert row["modified_at"] == utc("2026-03-02T11:00:00+00:00")


def test_the_feed_date_only_when_the_page_has_none(articles):
    row = articles["undated"]
    assert row["published_at"] == utc("2026-03-04T07:00:00+00:00") and row["date_source"] == "feed"
    assert row["modified_at"] is None and row["is_accessible_for_free"] is None
    assert row["title"] == "Lighthouse keeper's cottage to become a museum"
