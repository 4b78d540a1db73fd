"""Polling a source: a feed, a sitemap, or a page that leads to them -> entries, a report, error rows."""

import apache_beam as beam
from apache_beam import pvalue

from transforms import progress
from urllib.parse import urlsplit

from transforms.fetching.fetch import FetchConfig, FetchError, Fetcher, robots_txt_getter
from transforms.records import ERRORS, REPORTS, DateWindow, error_row, exception_row
from transforms.sources.feeds import FeedError, discover_feed_links, parse_feed
from transforms.sources.sitemaps import MAX_DEPTH, MAX_SITEMAPS, gunzip, is_sitemap, parse_sitemap, robots_sitemaps


def feed_request(feed_url: str, state: dict | None = None) -> dict:
    """What to ask a feed's server for: its current URL and the validators of the last poll."""
    state = state or {}
    return {"feed_url": feed_url, "fetch_url": state.get("fetch_url") or feed_url,
            "etag": state.get("etag"), "last_modified": state.get("last_modified")}


def poll_feed(fetcher: Fetcher, request: dict, window: DateWindow = DateWindow()) -> tuple[dict, list[dict]]:
    """One poll of a source: conditional GET, then a feed or a sitemap by what the body holds; an
    HTML page leads to the sitemaps its site's robots.txt names (a site root) or the feed it advertises.

    Returns the report (for the manifest and the feed state) and the entries dated inside `window`.
    Raises FetchError or FeedError; a 304 Not Modified is a report with no entries. Child sitemaps
    that fail are listed in report["failures"], the rest of the source going on."""
    headers = {k: v for k, v in (("If-None-Match", request["etag"]),
                                 ("If-Modified-Since", request["last_modified"])) if v}
    response = fetcher.get(request["fetch_url"], headers=headers)
    report = {**request, "http_status": response.status, "status": "ok", "error_kind": None, "entries": 0,
              "failures": []}
    if response.permanent_url:
        report["fetch_url"] = response.permanent_url
    if response.status == 304:
        return {**report, "status": "not_modified"}, []
    feed_url = request["feed_url"]
    try:
        body = gunzip(response.body, fetcher.config.max_bytes)
        if is_sitemap(body):
            entries = _sitemap_entries(fetcher, feed_url, [(response.final_url, body)], report["failures"])
        else:
            try:
                entries = parse_feed(body, feed_url, response.content_type, response.final_url)
            except FeedError as exc:
                if exc.kind != "not_a_feed":
                    raise
                entries = _site_sitemap_entries(fetcher, feed_url, response.final_url, report["failures"])
                if entries is None:
                    # An HTML page: follow the feed it advertises, and remember that feed's URL and validators.
                    entries, response, report["fetch_url"] = _discovered_feed(fetcher, feed_url, response, exc)
    except FeedError as exc:
        exc.status = response.status
        raise
    dated = [entry for entry in entries if window.holds(entry["published_at"])]
    report.update(entries=len(dated), outside_dates=len(entries) - len(dated), etag=response.headers.get("etag"),
                  last_modified=response.headers.get("last-modified"))
    return report, dated


def _sitemap_entries(fetcher: Fetcher, source_url: str, documents: list, failures: list) -> list[dict]:
    """Entries of sitemap documents [(url, body)], following index files breadth first within
    MAX_DEPTH levels and MAX_SITEMAPS files. A child that fails is a failure, not the source's end."""
    entries, seen, level = [], {url for url, _ in documents}, 0
    while documents:
        children = []
        for url, body in documents:
            try:
                found_children, found = parse_sitemap(body, url, source_url)
            except FeedError as exc:
                if level == 0 and len(documents) == 1:
                    raise  # the source itself is broken: its own error row
                failures.append({"url": url, "kind": exc.kind, "message": exc.message, "status": None})
                continue
            entries.extend(found)
            children.extend(c for c in found_children if c not in seen)
            seen.update(found_children)
        level += 1
        if level > MAX_DEPTH or len(seen) > MAX_SITEMAPS:
            if children:
                failures.append({"url": source_url, "kind": "sitemap_limit", "status": None,
                                 "message": f"{len(children)} sitemaps beyond {MAX_DEPTH} levels or "
                                            f"{MAX_SITEMAPS} files not followed"})
            break
        documents = []
        for child in children:
            try:
                response = fetcher.get(child)
                body = gunzip(response.body, fetcher.config.max_bytes)
            except (FetchError, FeedError) as exc:
                failures.append({"url": child, "kind": exc.kind, "message": exc.message, "status": exc.status})
                continue
            documents.append((response.final_url, body))
    return entries


def _site_sitemap_entries(fetcher: Fetcher, source_url: str, page_url: str, failures: list) -> list[dict] | None:
    """For a site's root page: the entries of the sitemaps its robots.txt names; None when it names none."""
    parts = urlsplit(page_url)
    if parts.path not in ("", "/") or parts.query:
        return None
    origin = f"{parts.scheme}://{parts.netloc}"
    status, robots = robots_txt_getter(fetcher)(origin + "/robots.txt")
    sitemaps = robots_sitemaps(robots, origin) if status == 200 else []
    if not sitemaps:
        return None
    documents = []
    for url in sitemaps[:MAX_SITEMAPS]:
        try:
            response = fetcher.get(url)
            documents.append((response.final_url, gunzip(response.body, fetcher.config.max_bytes)))
        except (FetchError, FeedError) as exc:
            failures.append({"url": url, "kind": exc.kind, "message": exc.message, "status": exc.status})
    return _sitemap_entries(fetcher, source_url, documents, failures) if documents else []


def _discovered_feed(fetcher: Fetcher, feed_url: str, page, not_a_feed: FeedError):
    """(entries, response, URL) of the first feed an HTML page links to that parses."""
    for link in discover_feed_links(page.body, page.final_url):
        try:
            response = fetcher.get(link)
            entries = parse_feed(response.body, feed_url, response.content_type, response.final_url)
            return entries, response, response.permanent_url or link
        except (FetchError, FeedError):
            continue
    raise not_a_feed


class FetchFeedFn(beam.DoFn):
    """Feed request -> entries; one report per feed for the manifest; failures -> error rows."""

    def __init__(self, run_id: str, fetch_config: FetchConfig, window: DateWindow = DateWindow()):
        self.run_id, self.fetch_config, self.window = run_id, fetch_config, window

    def setup(self):
        self.fetcher = Fetcher(self.fetch_config)

    def process(self, request):
        feed_url = request["feed_url"]
        try:
            report, entries = poll_feed(self.fetcher, request, self.window)
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
        for failure in report.pop("failures"):  # child sitemaps that could not be read
            progress.count("errors")
            yield pvalue.TaggedOutput(ERRORS, error_row(
                self.run_id, "fetch_sitemap", failure["url"], failure["kind"], failure["message"],
                feed_url=feed_url, http_status=failure["status"], payload={"feed_url": feed_url}))
        progress.count("feeds_fetched")
        progress.count("entries", len(entries))
        yield pvalue.TaggedOutput(REPORTS, {**report, "fact": "feed"})
        yield from entries

    def _failed(self, request: dict, row: dict):
        progress.count("feeds_failed")
        progress.count("errors")
        yield pvalue.TaggedOutput(ERRORS, row)
        yield pvalue.TaggedOutput(REPORTS, {**request, "fact": "feed", "status": "error", "entries": 0,
                                            "error_kind": row["error_kind"], "http_status": row["http_status"]})


class FetchFeeds(beam.PTransform):
    """Feed and sitemap requests (see feed_request) -> entries, with `errors` and per-source `reports`."""

    def __init__(self, run_id: str, fetch_config: FetchConfig = FetchConfig(), window: DateWindow = DateWindow()):
        super().__init__()
        self.run_id, self.fetch_config, self.window = run_id, fetch_config, window

    def expand(self, requests):
        return requests | "PollFeeds" >> beam.ParDo(
            FetchFeedFn(self.run_id, self.fetch_config, self.window)).with_outputs(ERRORS, REPORTS, main="entries")
