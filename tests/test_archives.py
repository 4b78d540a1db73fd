"""Web archives as sources: WARC files these tests write themselves (real WARC/1.0 response records
around our own pages, gzip members, non-HTML and non-response records, a duplicate capture, a damaged
record, a truncated end), read by the real pipeline and read back with DuckDB."""

import gzip
import io
import os
import uuid

import pytest
from apache_beam.options.pipeline_options import PipelineOptions
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines import batch
from pipelines.query import connect
from pipelines.site import serve
from pipelines.sources import SourceError, read_archives
from tests.conftest import FIXTURE_SITE
from tests.test_cli import newsbeam
from transforms.sources.archives import RecordFilter, addressable, cc_news_months, read_archive, read_record
from transforms.fetching.fetch import FetchConfig, Fetcher
from transforms.records import DateWindow
from transforms.storage.runs import manifests

PAGES = os.path.join(FIXTURE_SITE, "news")
# The captured site does not exist: an article can only come from the archive, never a request.
HOST = "https://courier.invalid"


def page(name: str) -> bytes:
    with open(os.path.join(PAGES, name), "rb") as f:
        return f.read().replace(b"{{BASE}}", HOST.encode())


def response(writer, url: str, body: bytes, content_type="text/html; charset=utf-8", date="2026-11-20T10:00:00Z",
             status="200 OK", record_id=None):
    http = StatusAndHeaders(status, [("Content-Type", content_type)], protocol="HTTP/1.1")
    # A fixed record id (warcio draws one at random): the same compressed bytes, so the same damage, every run.
    record_id = record_id or f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url + date)}>"
    return writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=http,
                                     warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": record_id})


def write_warc(records, compress=True) -> tuple[bytes, list[int]]:
    """WARC bytes and the offset of each record (each a callable of the writer)."""
    out, offsets = io.BytesIO(), []
    writer = WARCWriter(out, gzip=compress)
    for make in records:
        offsets.append(out.tell())
        writer.write_record(make(writer))
    return out.getvalue(), offsets


def capture_set():
    return [
        lambda w: w.create_warcinfo_record("capture.warc.gz", {"software": "newsbeam tests"}),
        lambda w: response(w, f"{HOST}/news/ferry-terminal.html", page("ferry-terminal.html")),
        lambda w: w.create_warc_record(f"{HOST}/news/library-reopens.html", "request",
                                       payload=io.BytesIO(b"GET /news/library-reopens.html HTTP/1.1\r\n\r\n")),
        lambda w: response(w, f"{HOST}/logo.png", b"\x89PNG\r\n", content_type="image/png"),
        lambda w: response(w, f"{HOST}/news/library-reopens.html", page("library-reopens.html"),
                           date="2026-11-21T08:00:00Z"),
        lambda w: response(w, f"{HOST}/news/missing.html", b"gone", status="404 Not Found"),
        lambda w: response(w, f"{HOST}/news/cafe-latin1.html", page("cafe-latin1.html"),
                           content_type="text/html; charset=iso-8859-1", date="2026-10-02T08:00:00Z"),
        lambda w: response(w, f"{HOST}/news/ferry-terminal.html?utm_source=x", page("ferry-terminal.html"),
                           date="2026-11-22T08:00:00Z"),   # the same page captured again
    ]


def damaged(data: bytes, offsets: list[int], index: int) -> bytes:
    """`data` with record `index`'s gzip member garbled in the middle (its header intact)."""
    start, end = offsets[index], offsets[index + 1]
    middle = (start + end) // 2
    return data[:middle] + bytes(b ^ 0x5A for b in data[middle:middle + 40]) + data[middle + 40:]


@pytest.fixture(scope="module")
def archives(tmp_path_factory):
    root = tmp_path_factory.mktemp("archives")
    data, offsets = write_warc(capture_set())
    (root / "2026-11-a.warc.gz").write_bytes(data)
    # a second file: a garbled record between two good ones, and a last record cut short
    more, more_offsets = write_warc([
        lambda w: response(w, f"{HOST}/news/festival-video.html", page("festival-video.html")),
        lambda w: response(w, f"{HOST}/news/no-body.html", page("no-body.html")),
        lambda w: response(w, f"{HOST}/news/ferry-terminal.html#again", page("ferry-terminal.html")),
        lambda w: response(w, f"{HOST}/news/library-reopens.html?again", page("library-reopens.html")),
    ])
    more = damaged(more, more_offsets, 1)[:-100]
    (root / "2026-11-b.warc.gz").write_bytes(more)
    plain, _ = write_warc(capture_set()[1:2], compress=False)
    (root / "plain.warc").write_bytes(plain)
    return root, offsets, more_offsets


def records_of(data: bytes, keep=RecordFilter()):
    return list(read_archive(io.BytesIO(data), "x.warc.gz", keep))


def test_reading_keeps_html_200_responses_with_their_offsets_and_skips_the_rest(archives):
    root, offsets, _ = archives
    outcomes = records_of((root / "2026-11-a.warc.gz").read_bytes())
    pages = [item for kind, item in outcomes if kind == "page"]
    assert [(p["url"], p["warc_offset"]) for p in pages] == [
        (f"{HOST}/news/ferry-terminal.html", offsets[1]), (f"{HOST}/news/library-reopens.html", offsets[4]),
        (f"{HOST}/news/cafe-latin1.html", offsets[6]), (f"{HOST}/news/ferry-terminal.html?utm_source=x", offsets[7])]
    assert pages[1]["warc_date"] == "2026-11-21T08:00:00+00:00" and pages[0]["warc_record_id"].startswith("<urn:uuid:")
    assert sorted(item for kind, item in outcomes if kind == "skip") == [
        "not HTML", "not an HTTP 200 response", "request record", "warcinfo record"]


def test_a_garbled_record_is_a_failure_at_its_offset_and_the_records_after_it_still_come(archives):
    root, _, offsets = archives
    outcomes = records_of((root / "2026-11-b.warc.gz").read_bytes())
    kinds = [(kind, item["url"] if kind == "page" else item.get("kind")) for kind, item in outcomes]
    assert kinds == [("page", f"{HOST}/news/festival-video.html"), ("failure", "corrupt_record"),
                     ("page", f"{HOST}/news/ferry-terminal.html#again"), ("failure", "truncated_record")]
    corrupt, truncated = [item for kind, item in outcomes if kind == "failure"]
    assert corrupt["offset"] == offsets[1] and truncated["offset"] == offsets[3]


def test_wherever_a_record_is_garbled_it_alone_is_lost_and_said_so():
    """Garbled bytes in one gzip member (header, deflate data or trailer; under many record ids,
    which change the compressed bytes): the records before and after it all come through, and the
    damaged one is a page still or a failure at its offset. (Read as one stream, a garbled
    member's record could run on into the next member and take its record with it.)"""
    names = ["festival-video.html", "no-body.html", "ferry-terminal.html", "library-reopens.html"]

    def archive(seed):
        return write_warc([lambda w, n=n: response(w, f"{HOST}/news/{n}", page(n),
                                                   record_id=f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{seed}/{n}')}>")
                           for n in names])

    cases = [(seed, None) for seed in range(300)] + [(0, at) for at in range(0, 10_000, 37)]
    for seed, at in cases:
        data, offsets = archive(seed)
        start, end = offsets[1], offsets[2]
        at = (start + end) // 2 if at is None else start + at % (end - start - 12)
        garbled = data[:at] + bytes(b ^ 0x5A for b in data[at:at + 12]) + data[at + 12:]
        outcomes = records_of(garbled)
        pages = {item["url"].rsplit("/", 1)[1] for kind, item in outcomes if kind == "page"}
        failures = [item["offset"] for kind, item in outcomes if kind == "failure"]
        assert pages - {"no-body.html"} == {"festival-video.html", "ferry-terminal.html", "library-reopens.html"}, \
            (seed, at, outcomes)
        assert failures == ([] if "no-body.html" in pages else [start]), (seed, at, outcomes)


def test_a_record_over_the_size_limit_is_a_failure_and_the_next_record_still_comes():
    """A page larger than --max_body_bytes (a compression bomb alike) is one `too_large` failure
    with its URL and offset, and the record after it still comes."""
    huge = b"<html><body><p>" + b"flood " * 200_000 + b"</p></body></html>"   # 1.2 MB, a few KB gzipped
    data, offsets = write_warc([lambda w: response(w, f"{HOST}/news/huge.html", huge),
                                lambda w: response(w, f"{HOST}/news/ferry-terminal.html", page("ferry-terminal.html"))])
    outcomes = list(read_archive(io.BytesIO(data), "x.warc.gz", max_bytes=100_000))
    (failed, failure), (kept, item) = outcomes
    assert (failed, failure["kind"], failure["url"], failure["offset"]) == \
        ("failure", "too_large", f"{HOST}/news/huge.html", offsets[0])
    assert (kept, item["url"], item["warc_offset"]) == ("page", f"{HOST}/news/ferry-terminal.html", offsets[1])


def test_filters_by_host_capture_date_and_declared_language(archives):
    data = (archives[0] / "2026-11-a.warc.gz").read_bytes()

    def urls(keep):
        return [item["url"].rsplit("/", 1)[1] for kind, item in records_of(data, keep) if kind == "page"]

    assert urls(RecordFilter(hosts=("elsewhere.example",))) == []
    assert len(urls(RecordFilter(hosts=("invalid",)))) == 4  # a subdomain of a kept host is kept
    assert urls(RecordFilter(window=DateWindow("2026-11-21", "2026-11-21"))) == ["library-reopens.html"]
    assert len(urls(RecordFilter(languages=("en",)))) == 4 and urls(RecordFilter(languages=("de",))) == []


@pytest.fixture(scope="module")
def archive_run(archives, tmp_path_factory):
    root = archives[0]
    out = str(tmp_path_factory.mktemp("out"))
    paths = read_archives([str(root / "2026-11-*.warc.gz")], None, "", Fetcher())
    manifest = batch.run(PipelineOptions(["--output", out]), [], archives=paths)
    return root, out, manifest


def test_a_warc_run_stores_articles_with_their_provenance_and_no_request(archive_run, archives):
    root, out, manifest = archive_run
    offsets, first = archives[1], str(root / "2026-11-a.warc.gz")
    rows = connect(out).execute("SELECT url, warc_file, warc_offset, warc_record_id LIKE '<urn:uuid:%>', "
                                "strftime(fetched_at, '%Y-%m-%d %H:%M'), body_source FROM articles ORDER BY url").fetchall()
    assert rows == [(f"{HOST}/news/cafe-latin1.html", first, offsets[6], True, "2026-10-02 08:00", "page"),
                    (f"{HOST}/news/ferry-terminal.html", first, offsets[1], True, "2026-11-20 10:00", "page"),
                    (f"{HOST}/news/library-reopens.html", first, offsets[4], True, "2026-11-21 08:00", "page")]
    text = connect(out).execute("SELECT text FROM articles WHERE url LIKE '%cafe%'").fetchone()[0]
    assert "café" in text.lower()  # the capture's declared charset is honoured
    # the captured site does not exist: had anything been fetched, it would be a dns_error row
    assert connect(out).execute("SELECT count(*) FROM errors WHERE stage = 'fetch_page'").fetchone()[0] == 0
    assert (manifest["totals"]["articles"], manifest["totals"]["duplicates"], manifest["totals"]["errors"]) == (3, 2, 1)


def test_damaged_records_are_error_rows_with_file_and_offset_and_every_page_is_accounted_for(archive_run, archives):
    root, out, manifest = archive_run
    second = str(root / "2026-11-b.warc.gz")
    errors = connect(out).execute("SELECT stage, error_kind, feed_url, input FROM errors "
                                  "WHERE stage = 'read_archive' ORDER BY error_kind").fetchall()
    assert [(e[0], e[1], e[2]) for e in errors] == [("read_archive", "corrupt_record", second),
                                                    ("read_archive", "truncated_record", second)]
    assert f'"warc_offset": {archives[2][1]}' in errors[0][3]
    for feed in manifest["feeds"]:
        assert feed["articles"] + feed["duplicates"] + feed["errors"] == feed["entries"], feed
    assert manifest["totals"]["entries"] == 6  # four pages in the first file, two readable in the second


def test_a_second_run_over_the_same_archives_adds_nothing(archive_run, archives):
    root, out, _ = archive_run
    before = connect(out).execute("SELECT count(*) FROM articles").fetchone()[0]
    paths = read_archives([str(root / "2026-11-*.warc.gz")], None, "", Fetcher())
    manifest = batch.run(PipelineOptions(["--output", out]), [], archives=paths)
    # the page without a body fails again; everything else is already in the dataset
    assert (manifest["totals"]["articles"], manifest["totals"]["duplicates"], manifest["totals"]["errors"]) == (0, 5, 1)
    assert connect(out).execute("SELECT count(*) FROM articles").fetchone()[0] == before


def test_cc_news_months_are_listed_from_an_archive_laid_out_like_common_crawl(archives, tmp_path):
    base = tmp_path / "commoncrawl"
    for month, files in (("2026/10", ["CC-NEWS-20261031.warc.gz"]), ("2026/11", ["CC-NEWS-20261101.warc.gz"])):
        folder = base / "crawl-data" / "CC-NEWS" / month
        folder.mkdir(parents=True)
        listing = "".join(f"crawl-data/CC-NEWS/{month}/{name}\n" for name in files)
        (folder / "warc.paths.gz").write_bytes(gzip.compress(listing.encode()))
        for name in files:
            (folder / name).write_bytes((archives[0] / "plain.warc").read_bytes())
    paths = read_archives([], "2026-10..2026-11", str(base), Fetcher())
    assert paths == [f"{base}/crawl-data/CC-NEWS/2026/10/CC-NEWS-20261031.warc.gz",
                     f"{base}/crawl-data/CC-NEWS/2026/11/CC-NEWS-20261101.warc.gz"]
    manifest = batch.run(PipelineOptions(["--output", str(tmp_path / "out")]), [], archives=paths)
    assert (manifest["totals"]["articles"], manifest["totals"]["duplicates"]) == (1, 1)
    with pytest.raises(SourceError, match="cannot read its file list"):
        read_archives([], "2027-01", str(base), Fetcher())
    assert cc_news_months("2025-12..2026-02") == ["2025/12", "2026/01", "2026/02"]


def test_an_archive_over_https_is_streamed_through_the_guarded_fetcher(archives, tmp_path):
    data = (archives[0] / "2026-11-a.warc.gz").read_bytes()
    routes = {"/crawl/a.warc.gz": lambda h: h.reply(200, data, "application/warc")}
    with serve(FIXTURE_SITE, routes) as site:
        url = f"{site.base}/crawl/a.warc.gz"
        guarded = PipelineOptions(["--output", str(tmp_path / "guarded")])
        refused = batch.run(guarded, [], archives=[url])
        assert refused["feeds"][0]["error_kind"] == "unreadable_archive" and site.count("/crawl/") == 0
        allowed = PipelineOptions(["--output", str(tmp_path / "out"), "--allow_private_network=127.0.0.1/32"])
        manifest = batch.run(allowed, [], archives=[url])
    assert (manifest["totals"]["articles"], manifest["totals"]["duplicates"]) == (3, 1)
    assert read_archives([url], None, "", Fetcher(FetchConfig())) == [url]


def _summary(kind, item):
    """An outcome as the test compares it: a skip's reason, a page's URL and offset, a failure's kind and offset."""
    if kind == "skip":
        return kind, item
    if kind == "page":
        return kind, item["url"], item["warc_offset"]
    return kind, item["kind"], item["offset"]


_INTACT, _OFFSETS = write_warc(capture_set())


@settings(max_examples=200, deadline=None)
@given(garbled=st.sets(st.integers(0, len(_OFFSETS) - 1)), where=st.floats(0.0, 1.0),
       cut=st.one_of(st.none(), st.tuples(st.integers(0, len(_OFFSETS) - 1), st.floats(0.0, 1.0))))
def test_each_damaged_record_is_exactly_one_failure_at_its_offset_and_every_other_record_comes_as_it_was(
        garbled, where, cut):
    """Any set of records garbled in their deflate data, and the file perhaps cut inside a later
    record: each garbled record is one corrupt_record failure at its own offset, the cut one a
    truncated_record failure at its offset, and every other record before the cut the very same
    page or skip as in the intact file."""
    offsets = [*_OFFSETS, len(_INTACT)]
    expected = [_summary(kind, item) for kind, item in records_of(_INTACT)]
    assert len(expected) == len(_OFFSETS)
    data = bytearray(_INTACT)
    last = len(_OFFSETS) if cut is None else cut[0]
    for i in sorted(garbled):
        if i >= last:
            continue
        start, end = offsets[i], offsets[i + 1]
        # in the first half of the deflate data: garbled near its end, the last member can read as cut short
        at = start + 20 + int(where * (end - start - 52) / 2)
        data[at:at + 12] = bytes(b ^ 0x5A for b in data[at:at + 12])
        expected[i] = ("failure", "corrupt_record", start)
    if cut is not None:
        start, end = offsets[last], offsets[last + 1]
        data = data[:start + 3 + int(cut[1] * (end - start - 4))]   # past its 3 bytes of gzip magic: a record start
        expected = expected[:last] + [("failure", "truncated_record", start)]
    assert [_summary(kind, item) for kind, item in records_of(bytes(data))] == expected


def test_the_run_command_reads_archives_and_names_a_missing_one(archives, tmp_path):
    root = archives[0]
    ok = newsbeam("run", "--warc", str(root / "plain.warc"), "--output", str(tmp_path / "out"))
    assert ok.returncode == 0, ok.stderr[-2000:]
    assert f"{root / 'plain.warc'}: read, 1 entries, 1 new" in ok.stdout
    missing = newsbeam("run", "--warc", str(root / "nope-*.warc.gz"), "--output", str(tmp_path / "out"))
    assert missing.returncode == 2 and "no such archive file" in missing.stderr
    month = newsbeam("run", "--cc_news", "2026-13", "--output", str(tmp_path / "out"))
    assert month.returncode == 2 and "--cc_news takes YYYY-MM" in month.stderr


def test_records_are_read_by_offset_only_where_each_stands_alone(archives, tmp_path):
    root = archives[0]
    per_record, plain = (root / "2026-11-a.warc.gz").read_bytes(), (root / "plain.warc").read_bytes()
    whole_file = gzip.compress(write_warc(capture_set()[1:5], compress=False)[0])
    assert addressable(io.BytesIO(per_record)) and addressable(io.BytesIO(plain))
    assert not addressable(io.BytesIO(whole_file))
    # by reference: the first pass keeps offsets, and each body is read back from its own offset
    pages = [item for kind, item in read_archive(io.BytesIO(per_record), "a", with_body=False) if kind == "page"]
    assert "body" not in pages[0]
    assert read_record(io.BytesIO(per_record), pages[0]["warc_offset"]) == page("ferry-terminal.html")
    # a whole-file gzip archive still works: its pages travel with their bodies
    (tmp_path / "whole.warc.gz").write_bytes(whole_file)
    manifest = batch.run(PipelineOptions(["--output", str(tmp_path / "out")]), [],
                         archives=[str(tmp_path / "whole.warc.gz")])
    assert manifest["totals"]["articles"] == 2


def test_a_file_list_that_decompresses_beyond_its_cap_is_refused_with_the_reason():
    from transforms.sources.archives import MAX_LISTING_BYTES, archive_paths
    listing = gzip.compress(b"crawl-data/CC-NEWS/2026/11/a.warc.gz\n") + gzip.compress(b"crawl-data/b.warc.gz\n")
    assert archive_paths(listing, "https://data.example/") == [
        "https://data.example/crawl-data/CC-NEWS/2026/11/a.warc.gz", "https://data.example/crawl-data/b.warc.gz"]
    bomb = gzip.compress(b"x" * (1 << 20))   # about 1 KB that would be 1 MB
    with pytest.raises(ValueError, match=f"exceeds {64 * 1024} bytes once decompressed"):
        archive_paths(bomb, "https://data.example/", max_bytes=64 * 1024)
    assert MAX_LISTING_BYTES == 64 * 1024 * 1024
    with pytest.raises(ValueError, match="not readable gzip"):
        archive_paths(b"crawl-data/a.warc.gz\n", "https://data.example/")


def test_the_run_command_names_a_cc_news_file_list_too_large_once_decompressed(tmp_path):
    folder = tmp_path / "base" / "crawl-data" / "CC-NEWS" / "2026" / "11"
    folder.mkdir(parents=True)
    # 65 MB of one path repeated, compressed to about 65 KB: more than MAX_LISTING_BYTES once decompressed
    (folder / "warc.paths.gz").write_bytes(gzip.compress(b"crawl-data/x.warc.gz\n" * (65 * (1 << 20) // 21 + 1)))
    run = newsbeam("run", "--cc_news", "2026-11", "--archive_base", str(tmp_path / "base"),
                   "--output", str(tmp_path / "out"))
    assert run.returncode == 2 and "exceeds 67108864 bytes once decompressed" in run.stderr, run.stderr[-2000:]


def test_an_archive_run_in_parts_stores_the_deferred_pages_whole(archives, tmp_path):
    """--commit_every 1: the first commit takes one page, the others wait in chunks (their bodies with
    them, storage.deferred) and come in parts of their own, with the same text as a run in one part."""
    paths = [str(archives[0] / "2026-11-a.warc.gz")]
    texts = {}
    for every in (0, 1):
        out = str(tmp_path / f"every-{every}")
        batch.run(PipelineOptions(["--output", out, f"--commit_every={every}"]), [], archives=paths)
        assert len(manifests(out)) == (1 if every == 0 else 3)
        texts[every] = connect(out).execute("SELECT url, text, warc_offset FROM articles ORDER BY url").fetchall()
    assert len(texts[0]) == 3 and texts[1] == texts[0]
    assert "café" in texts[1][0][1].lower()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "url": st.text(), "body": st.binary(), "headers": st.dictionaries(st.text(), st.one_of(st.none(), st.text())),
    "more": st.lists(st.one_of(st.binary(max_size=5), st.integers(), st.text(max_size=5)), max_size=3)}), max_size=5))
def test_deferred_entries_come_back_from_their_chunk_as_they_were(tmp_path_factory, entries):
    from transforms.storage.deferred import read_chunk, write_chunk
    output = str(tmp_path_factory.mktemp("chunks"))
    assert read_chunk(write_chunk(output, "run1", entries)) == entries


def test_a_chunk_left_by_an_older_newsbeam_is_still_read(tmp_path):
    """Chunks written before the raw-bytes format (JSON lines, bodies in base64) of a run stopped then
    are taken by the next run's parts."""
    from transforms.storage.deferred import pending_parts, read_chunk
    folder = tmp_path / "_deferred" / "run1"
    folder.mkdir(parents=True)
    (folder / "0a1b2c3d4e5f-2.jsonl").write_text(
        '{"url": "https://courier.invalid/a", "body": {"$bytes": "PHA+YTwvcD4="}}\n'
        '{"url": "https://courier.invalid/b", "body": {"$bytes": ""}}\n', encoding="utf-8")
    (part,) = pending_parts(str(tmp_path), {"run1"}, 10)
    assert [read_chunk(path) for path in part] == [[{"url": "https://courier.invalid/a", "body": b"<p>a</p>"},
                                                    {"url": "https://courier.invalid/b", "body": b""}]]
