"""Polling a source: a feed, a sitemap, or a page that leads to them -> entries, a report, error rows."""

import dataclasses
import typing

import apache_beam as beam
from apache_beam import pvalue

from transforms import progress
from urllib.parse import urlsplit
from urllib.request import url2pathname

from transforms.fetching.fetch import FetchConfig, FetchError, Fetcher, Response, robots_txt_getter
from transforms.records import ERRORS, REPORTS, DateWindow, error_row, exception_row
from transforms.sources.feeds import FeedError, discover_feed_links, parse_feed
from transforms.sources.sitemaps import MAX_DEPTH, MAX_SITEMAPS, gunzip, is_sitemap, parse_sitemap, robots_sitemaps


def feed_request(feed_url: str, state: dict | None = None) -> dict:
    """What to ask a feed's server for: its current URL and the validators of the last poll."""
    state = state or {}
    return {"feed_url": feed_url, "fetch_url": state.get("fetch_url") or feed_url,
            "etag": state.get("etag"), "last_modified": state.get("last_modified")}


def poll_feed(fetcher: Fetcher, request: dict, window: DateWindow = DateWindow(),
              children: list | None = None) -> tuple[dict, list[dict]]:
    """One poll of a source: conditional GET, then a feed or a sitemap by what the body holds; an
    HTML page leads to the sitemaps its site's robots.txt names (a site root) or the feeds it advertises
    (all of them, see _discovered_feeds); a file:// URL is a local feed file, read whole.

    Returns the report (for the manifest and the feed state) and the entries dated inside `window`.
    Raises FetchError or FeedError; a 304 Not Modified is a report with no entries.

    Child sitemaps (an index's children, the sitemaps robots.txt names): with a `children` list
    they are appended to it as sitemap requests (see read_child_sitemap) for the pipeline to fetch
    one by one on any worker, and the report counts this document's own entries only; without
    one they are fetched here, one at a time, and their entries and failures are the report's.
    Child sitemaps that fail are listed in report["failures"], the rest of the source going on."""
    headers = {k: v for k, v in (("If-None-Match", request["etag"]),
                                 ("If-Modified-Since", request["last_modified"])) if v}
    if request["fetch_url"].lower().startswith("file://"):
        response = read_local_feed(request["fetch_url"], fetcher.config.max_bytes)
    else:
        response = fetcher.get(request["fetch_url"], headers=headers)
    report = {**request, "http_status": response.status, "status": "ok", "error_kind": None, "entries": 0,
              "failures": []}
    if response.permanent_url:
        report["fetch_url"] = response.permanent_url
    if response.status == 304:
        return {**report, "status": "not_modified"}, []
    feed_url = request["feed_url"]
    requests = []  # child sitemaps to read
    try:
        body = gunzip(response.body, fetcher.config.max_bytes)
        if is_sitemap(body):
            found_children, entries = parse_sitemap(body, response.final_url, feed_url)
            del body
            requests = sitemap_requests(feed_url, response.final_url, found_children, 1, MAX_SITEMAPS,
                                        (response.final_url,), report["failures"])
        else:
            try:
                entries = parse_feed(body, feed_url, response.content_type, response.final_url)
            except FeedError as exc:
                if exc.kind != "not_a_feed":
                    raise
                named = _robots_sitemaps(fetcher, response.final_url)
                if named is not None:
                    entries = []
                    requests = sitemap_requests(feed_url, response.final_url, named, 0, MAX_SITEMAPS, (),
                                                report["failures"])
                else:
                    # An HTML page: follow every feed it advertises (see _discovered_feeds).
                    entries, found, fetch_url, report["feeds"] = _discovered_feeds(
                        fetcher, feed_url, response, exc, report["failures"])
                    if found is None:   # several feeds: the page is polled again, unconditionally
                        response = dataclasses.replace(response, headers={
                            k: v for k, v in response.headers.items() if k not in ("etag", "last-modified")})
                    else:
                        response, report["fetch_url"] = found, fetch_url
    except FeedError as exc:
        exc.status = response.status
        raise
    dated = [entry for entry in entries if window.holds(entry["published_at"])]
    report.update(entries=len(dated), outside_dates=len(entries) - len(dated), etag=response.headers.get("etag"),
                  last_modified=response.headers.get("last-modified"))
    if children is not None:
        children.extend(requests)
        return report, dated
    # Inline: a queue of requests, one child in memory at a time.
    while requests:
        part = read_child_sitemap(fetcher, requests.pop(0), window)
        dated.extend(part["entries"])
        requests.extend(part["children"])
        report["failures"].extend(part["failures"])
        report["entries"] += len(part["entries"])
        report["outside_dates"] += part["outside_dates"]
    return report, dated


def local_path(url: str) -> str:
    """The path of a file:// URL (file:///srv/feed.xml, file://localhost/srv/feed.xml)."""
    parts = urlsplit(url)
    return url2pathname(parts.path) if parts.netloc in ("", "localhost") else url


def read_local_feed(url: str, max_bytes: int) -> Response:
    """A local feed file given as a source (see pipelines.sources), read as a response of status 200:
    no validators, it is read whole at each poll. A missing or unreadable file is a FetchError."""
    path = local_path(url)
    try:
        with open(path, "rb") as f:
            body = f.read(max_bytes + 1)
    except OSError as exc:
        raise FetchError("unreadable_file", f"cannot read the feed file {path}: {exc.strerror}", url) from None
    if len(body) > max_bytes:
        raise FetchError("too_large", f"the feed file {path} is larger than {max_bytes} bytes", url)
    return Response(url, url, 200, {}, body)


def sitemap_requests(feed_url: str, parent_url: str, children: list[str], level: int, budget: int,
                     ancestors: tuple, failures: list) -> list[dict]:
    """Requests to read child sitemaps found in `parent_url` (level: the children's depth below the
    source; budget: how many sitemap files the parent's descendants may still read).

    Within MAX_DEPTH levels; no sitemap that is one of its own ancestors (a loop); at most `budget`
    children, the rest of the budget shared among them, so one source reads at most MAX_SITEMAPS
    files however its indexes nest, without workers having to count together. What is cut is one
    `sitemap_limit` failure."""
    children = [c for c in dict.fromkeys(children) if c not in ancestors]
    if not children:
        return []
    if level > MAX_DEPTH or budget <= 0:
        failures.append({"url": parent_url, "kind": "sitemap_limit", "status": None,
                         "message": f"{len(children)} sitemaps beyond {MAX_DEPTH} levels or {MAX_SITEMAPS} "
                                    f"files not followed"})
        return []
    taken = children[:budget]
    if len(children) > budget:
        failures.append({"url": parent_url, "kind": "sitemap_limit", "status": None,
                         "message": f"{len(children) - budget} sitemaps beyond {MAX_DEPTH} levels or "
                                    f"{MAX_SITEMAPS} files not followed"})
    spare = budget - len(taken)
    share, extra = divmod(spare, len(taken))
    return [{"feed_url": feed_url, "sitemap_url": url, "level": level, "budget": share + (i < extra),
             "ancestors": (*ancestors, url)} for i, url in enumerate(taken)]


def read_child_sitemap(fetcher: Fetcher, request: dict, window: DateWindow = DateWindow()) -> dict:
    """One child sitemap (a request from sitemap_requests): fetched, decompressed within the fetch's
    max_bytes, parsed, and let go. Returns {"entries": those dated inside `window`, "outside_dates",
    "children": requests for the sitemaps it names, "failures"}; its own failure is one of them."""
    url, failures = request["sitemap_url"], []
    try:
        response = fetcher.get(url)
        body = gunzip(response.body, fetcher.config.max_bytes)
        response.body = b""  # let the compressed copy go before parsing
        found_children, entries = parse_sitemap(body, response.final_url, request["feed_url"])
    except (FetchError, FeedError) as exc:
        failures.append({"url": url, "kind": exc.kind, "message": exc.message, "status": exc.status})
        return {"entries": [], "outside_dates": 0, "children": [], "failures": failures}
    del body
    dated = [entry for entry in entries if window.holds(entry["published_at"])]
    children = sitemap_requests(request["feed_url"], url, found_children, request["level"] + 1, request["budget"],
                                tuple(request.get("ancestors", ())), failures)
    return {"entries": dated, "outside_dates": len(entries) - len(dated), "children": children,
            "failures": failures}


def _robots_sitemaps(fetcher: Fetcher, page_url: str) -> list[str] | None:
    """For a site's root page: the sitemaps its robots.txt names; None when it is no root or names none."""
    parts = urlsplit(page_url)
    if parts.path not in ("", "/") or parts.query:
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    status, robots = robots_txt_getter(fetcher)(origin + "/robots.txt")
    sitemaps = robots_sitemaps(robots, origin) if status == 200 else []
    return sitemaps or None


MAX_DISCOVERED_FEEDS = 20   # feeds followed from one page: a home page advertises one per section


def _discovered_feeds(fetcher: Fetcher, feed_url: str, page, not_a_feed: FeedError, failures: list):
    """(entries, response, URL, feeds) of every feed an HTML page advertises, entries deduplicated by link.

    A page advertising one feed that parses: that feed's response and URL, so that the next poll
    asks the feed directly with its own validators. Several: no response and no URL (None, None):
    the page is polled again next time, without validators (a page that has not changed must not be
    answered 304 while its feeds have news), and finds all of them again. `feeds` lists each feed's URL, status
    and entry count; a feed that fails is one of `failures` while the others count. When none
    parses, the page is `not_a_feed`."""
    links = discover_feed_links(page.body, page.final_url, limit=MAX_DISCOVERED_FEEDS)
    entries, seen, feeds, parsed = [], set(), [], []
    for link in links:
        try:
            response = fetcher.get(link)
            found = parse_feed(response.body, feed_url, response.content_type, response.final_url)
        except (FetchError, FeedError) as exc:
            feeds.append({"url": link, "status": "error", "error_kind": exc.kind, "entries": 0})
            failures.append({"url": link, "kind": exc.kind, "message": exc.message,
                             "status": getattr(exc, "status", None), "stage": "fetch_feed"})
            continue
        fresh = [e for e in found if not (e["link"] and e["link"] in seen)]
        seen.update(e["link"] for e in fresh if e["link"])
        entries.extend(fresh)
        feeds.append({"url": link, "status": "ok", "error_kind": None, "entries": len(fresh)})
        parsed.append((link, response))
    if not parsed:
        failures.clear()   # the page itself is the failure: no feed of it could be read
        raise not_a_feed
    if len(parsed) == 1 and len(links) == 1:
        link, response = parsed[0]
        return entries, response, response.permanent_url or link, feeds
    return entries, None, None, feeds


SITEMAPS = "sitemaps"   # child sitemaps still to read, as elements


class SourceOutputs(typing.NamedTuple):
    entries: beam.PCollection
    errors: beam.PCollection
    reports: beam.PCollection


def _failure_rows(run_id: str, feed_url: str, failures: list):
    for failure in failures:  # child sitemaps (or feeds a page advertises) that could not be read
        progress.count("errors")
        yield pvalue.TaggedOutput(ERRORS, error_row(
            run_id, failure.get("stage", "fetch_sitemap"), failure["url"], failure["kind"], failure["message"],
            feed_url=feed_url, http_status=failure["status"], payload={"feed_url": feed_url}))


class FetchFeedFn(beam.DoFn):
    """Feed request -> entries; one report per feed for the manifest; failures -> error rows.

    With `split_sitemaps`, child sitemaps leave as requests on the SITEMAPS output (for
    FetchSitemapFn) and the report counts the source document's own entries; without, they are
    read here, one at a time."""

    def __init__(self, run_id: str, fetch_config: FetchConfig, window: DateWindow = DateWindow(),
                 split_sitemaps: bool = False):
        self.run_id, self.fetch_config, self.window = run_id, fetch_config, window
        self.split_sitemaps = split_sitemaps

    def setup(self):
        self.fetcher = Fetcher(self.fetch_config)

    def process(self, request):
        feed_url = request["feed_url"]
        children = [] if self.split_sitemaps else None
        try:
            report, entries = poll_feed(self.fetcher, request, self.window, children)
        except (FetchError, FeedError) as exc:
            stage = "fetch_feed" if isinstance(exc, FetchError) else "parse_feed"
            yield from self._failed(request, error_row(self.run_id, stage, feed_url, exc.kind, exc.message,
                                                       feed_url=feed_url, http_status=exc.status,
                                                       payload={"feed_url": feed_url}))
            return
        except Exception as exc:  # a bug of ours or a library's must cost this feed, not the run
            yield from self._failed(request, exception_row(self.run_id, "fetch_feed", feed_url, exc,
                                                           feed_url=feed_url, payload={"feed_url": feed_url}))
            return
        yield from _failure_rows(self.run_id, feed_url, report.pop("failures"))
        progress.count("feeds_fetched")
        progress.count("entries", len(entries))
        yield pvalue.TaggedOutput(REPORTS, {**report, "fact": "feed"})
        yield from entries
        for child in children or ():
            yield pvalue.TaggedOutput(SITEMAPS, child)

    def _failed(self, request: dict, row: dict):
        progress.count("feeds_failed")
        progress.count("errors")
        yield pvalue.TaggedOutput(ERRORS, row)
        yield pvalue.TaggedOutput(REPORTS, {**request, "fact": "feed", "status": "error", "entries": 0,
                                            "error_kind": row["error_kind"], "http_status": row["http_status"]})


class FetchSitemapFn(beam.DoFn):
    """A child sitemap request -> its entries (dated inside the window), requests for the sitemaps it
    names (SITEMAPS), a `sitemap_part` report of what it counted, and error rows. One child's body
    is in memory at a time, whichever worker reads it."""

    def __init__(self, run_id: str, fetch_config: FetchConfig, window: DateWindow = DateWindow()):
        self.run_id, self.fetch_config, self.window = run_id, fetch_config, window

    def setup(self):
        self.fetcher = Fetcher(self.fetch_config)

    def process(self, request):
        feed_url = request["feed_url"]
        try:
            part = read_child_sitemap(self.fetcher, request, self.window)
        except Exception as exc:  # a bug of ours or a library's must cost this sitemap, not the run
            progress.count("errors")
            yield pvalue.TaggedOutput(ERRORS, exception_row(self.run_id, "fetch_sitemap", request["sitemap_url"], exc,
                                                            feed_url=feed_url, payload={"feed_url": feed_url}))
            return
        yield from _failure_rows(self.run_id, feed_url, part["failures"])
        progress.count("entries", len(part["entries"]))
        yield pvalue.TaggedOutput(REPORTS, {"fact": "sitemap_part", "feed_url": feed_url,
                                            "entries": len(part["entries"]), "outside_dates": part["outside_dates"]})
        yield from part["entries"]
        for child in part["children"]:
            yield pvalue.TaggedOutput(SITEMAPS, child)


def merge_reports(reports) -> dict:
    """A source's report with the counts of its child sitemaps' parts added (associative, so it
    also merges its own partial results); parts without their source's report stay a part."""
    reports = list(reports)
    if len(reports) == 1:
        return reports[0]
    base = next((r for r in reports if r.get("fact") == "feed"), None)
    entries = sum(r.get("entries") or 0 for r in reports)
    outside = sum(r.get("outside_dates") or 0 for r in reports)
    if base is None:
        return {"fact": "sitemap_part", "feed_url": reports[0]["feed_url"], "entries": entries,
                "outside_dates": outside}
    return {**base, "entries": entries, "outside_dates": outside}


class FetchFeeds(beam.PTransform):
    """Feed and sitemap requests (see feed_request) -> entries, with `errors` and per-source `reports`.

    Child sitemaps are elements: each level of an index is reshuffled and read by FetchSitemapFn,
    one child at a time on any worker, to MAX_DEPTH levels below the source (MAX_DEPTH + 1 stages,
    the sitemaps a site's robots.txt names being level 0), so memory holds one child sitemap, not a
    whole index. Their counts are folded into their source's one report."""

    def __init__(self, run_id: str, fetch_config: FetchConfig = FetchConfig(), window: DateWindow = DateWindow()):
        super().__init__()
        self.run_id, self.fetch_config, self.window = run_id, fetch_config, window

    def expand(self, requests):
        polled = requests | "PollFeeds" >> beam.ParDo(
            FetchFeedFn(self.run_id, self.fetch_config, self.window, split_sitemaps=True)).with_outputs(
                ERRORS, REPORTS, SITEMAPS, main="entries")
        entries, errors, reports, pending = [polled.entries], [polled[ERRORS]], [polled[REPORTS]], polled[SITEMAPS]
        for level in range(MAX_DEPTH + 1):
            read = (pending
                    | f"SpreadSitemaps{level}" >> beam.Reshuffle()
                    | f"ReadSitemaps{level}" >> beam.ParDo(
                        FetchSitemapFn(self.run_id, self.fetch_config, self.window)).with_outputs(
                            ERRORS, REPORTS, SITEMAPS, main="entries"))
            entries.append(read.entries)
            errors.append(read[ERRORS])
            reports.append(read[REPORTS])
            pending = read[SITEMAPS]  # levels only grow: after MAX_DEPTH + 1 stages none is left
        merged = (reports
                  | "AllReportParts" >> beam.Flatten()
                  | "ByFeed" >> beam.Map(lambda r: (r["feed_url"], r))
                  | "MergeReports" >> beam.CombinePerKey(merge_reports)
                  | "Reports" >> beam.Values())
        return SourceOutputs(
            entries=entries | "AllEntries" >> beam.Flatten(), errors=errors | "AllErrors" >> beam.Flatten(),
            reports=merged)
