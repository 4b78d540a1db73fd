"""The record types newsbeam writes, and their Arrow schemas: the one source of truth.

Records travel through the pipeline as plain dicts whose keys are these field names.
Every table is a Delta Lake table hive-partitioned on `date` (YYYY-MM-DD); the partition
column lives in the directory name and the Delta log, not in the files.
A change here is a versioned decision: bump SCHEMA_VERSION, only add nullable fields, never rename or retype one, so old datasets
stay readable (the commit adds the new column to the Delta schema; older files read it as NULL).
"""

import pyarrow as pa

# 1: the first layout. 2: errors.traceback; articles.warc_file, warc_offset, warc_record_id.
# 3: figures.object_start, object_end (where what a figure is about is written); quotes.speaker_id (the same
#    speaker across articles: a hash of the normalised canonical name, see transforms/analysis/speakers.py).
# 4: quotes.speaker_kind (person | organisation | description | unresolved) and quotes.speaker_org (the
#    organisation a person or description speaks for); articles.language is decided for every article and
#    quotes and figures are only written in a language newsbeam has rules for (transforms/analysis/lang/).
#    articles.modified_at, date_source, source_agency, is_accessible_for_free, section, keywords, image_url
#    (nullable: the article's metadata as the publisher states it; rows written before read them as NULL).
#    Every table's rows carry commit_id, the commit that makes them visible: readers show a row only
#    once DIR/_runs has that commit (its row is committed last), so a run is seen in every table or in
#    none (NULL: a row written before v4, visible as it always was).
#    runs.window_start, window_end: the window a stream's commit holds (NULL for batch runs and rows written before).
SCHEMA_VERSION = 4
PARTITION_COLUMN = "date"

_TS = pa.timestamp("us", tz="UTC")

ARTICLES = pa.schema([
    ("article_id", pa.string()),        # sha1 of canonical_url, first 16 hex digits
    ("url", pa.string()),               # the link as the feed gave it
    ("canonical_url", pa.string()),
    ("feed_url", pa.string()),
    ("source", pa.string()),            # site name, falling back to the host
    ("title", pa.string()),
    ("authors", pa.list_(pa.string())),
    ("published_at", _TS),
    ("fetched_at", _TS),
    ("language", pa.string()),
    ("description", pa.string()),
    ("tags", pa.list_(pa.string())),
    ("text", pa.string()),              # quote and figure offsets index this
    ("word_count", pa.int32()),
    ("content_hash", pa.string()),      # sha1 of text
    ("body_source", pa.string()),       # "page" (trafilatura) or "feed" (entry content fallback)
    ("http_status", pa.int16()),
    ("run_id", pa.string()),
    ("warc_file", pa.string()),         # for pages read from a web archive (v2): where the capture is
    ("warc_offset", pa.int64()),
    ("warc_record_id", pa.string()),
    ("commit_id", pa.string()),         # the commit that makes the row visible (v4; see above)
    # v4, the article's metadata as the publisher states it (transforms/extraction/metadata.py, README):
    ("modified_at", _TS),               # last update the page states (JSON-LD dateModified, article:modified_time)
    ("date_source", pa.string()),       # where published_at comes from: json-ld | meta | time | url | page | feed
    ("source_agency", pa.string()),     # news agencies the page credits ("dpa", "AP, Reuters"), comma-separated
    ("is_accessible_for_free", pa.bool_()),  # JSON-LD isAccessibleForFree; false: paywalled, text is the teaser
    ("section", pa.string()),           # JSON-LD articleSection, else article:section
    ("keywords", pa.list_(pa.string())),  # JSON-LD keywords, else article:tag / news_keywords / keywords
    ("image_url", pa.string()),         # the lead image (JSON-LD image, else og:image)
])

QUOTES = pa.schema([
    ("quote_id", pa.string()),
    ("article_id", pa.string()),
    ("text", pa.string()),
    ("speaker", pa.string()),
    ("speaker_title", pa.string()),
    ("speaker_start", pa.int32()),
    ("speaker_end", pa.int32()),
    ("cue", pa.string()),
    ("kind", pa.string()),              # direct | mixed | indirect
    ("start", pa.int32()),              # articles.text[start:end] == text
    ("end", pa.int32()),
    ("sentence", pa.string()),
    ("confidence", pa.float32()),
    ("run_id", pa.string()),
    ("speaker_id", pa.string()),        # one id per person or organisation across articles (v3)
    ("speaker_kind", pa.string()),      # person | organisation | description | unresolved (v4)
    ("speaker_org", pa.string()),       # the organisation the speaker speaks for, as the article names it (v4)
    ("commit_id", pa.string()),         # the commit that makes the row visible (v4; see above)
])

FIGURES = pa.schema([
    ("figure_id", pa.string()),
    ("article_id", pa.string()),
    ("raw", pa.string()),               # articles.text[start:end] == raw
    ("start", pa.int32()),
    ("end", pa.int32()),
    ("value", pa.float64()),
    ("low", pa.float64()),
    ("high", pa.float64()),
    ("kind", pa.string()),              # count, money, percent, ordinal, measure, ...
    ("unit", pa.string()),
    ("object", pa.string()),
    ("qualifier", pa.string()),         # exact, approximate, more_than, at_least, less_than, at_most, range, vague
    ("approximate", pa.bool_()),
    ("change", pa.string()),            # up | down | null
    ("sentence", pa.string()),
    ("run_id", pa.string()),
    ("object_start", pa.int32()),       # articles.text[object_start:object_end] == object (v3)
    ("object_end", pa.int32()),
    ("commit_id", pa.string()),         # the commit that makes the row visible (v4; see above)
])

ERRORS = pa.schema([
    ("error_id", pa.string()),
    ("run_id", pa.string()),
    ("stage", pa.string()),             # fetch_feed, parse_feed, fetch_page, extract, ...
    ("url", pa.string()),
    ("feed_url", pa.string()),
    ("error_kind", pa.string()),        # http_404, timeout, malformed_feed, no_body, ...
    ("message", pa.string()),
    ("http_status", pa.int16()),
    ("occurred_at", _TS),
    ("input", pa.string()),             # JSON of what failed, enough to retry it
    ("traceback", pa.string()),         # for internal_error: where newsbeam failed (v2)
    ("commit_id", pa.string()),         # the commit that makes the row visible (v4; see above)
])

TABLES = {"articles": ARTICLES, "quotes": QUOTES, "figures": FIGURES, "errors": ERRORS}

# What the crawler remembers about each feed between runs (the Delta table DIR/_state/feeds;
# the newest row per feed_url wins): validators for conditional GET and where the feed now lives.
FEED_STATE = pa.schema([
    ("feed_url", pa.string()),          # as the user gave it
    ("fetch_url", pa.string()),         # after permanent redirects or feed discovery
    ("etag", pa.string()),
    ("last_modified", pa.string()),
    ("checked_at", _TS),
    ("run_id", pa.string()),
])

# One row per commit (a batch run, a stream window, a compaction): the run manifest. Its row is
# committed last, after every table of the run, so it marks the run complete.
RUNS = pa.schema([
    ("run_id", pa.string()),            # the commit id: the run id, or <stream run id>w<window start>
    ("kind", pa.string()),              # run | window
    ("stream_run_id", pa.string()),     # the stream a window belongs to; null for a batch run
    ("started_at", _TS),                # when the run (for a window: its stream) started
    ("finished_at", _TS),
    ("seconds", pa.float64()),
    ("entries", pa.int64()),
    ("articles", pa.int64()),
    ("duplicates", pa.int64()),
    ("errors", pa.int64()),             # error rows the commit wrote (feeds', pages', extractors'); the
                                        # entries that failed are the manifest's totals.errors
    ("feed_errors", pa.int64()),
    ("manifest", pa.string()),          # JSON: options, counts per feed, rows per table, timing
    ("window_start", _TS),              # a window's own start and end (v4); null for a batch run
    ("window_end", _TS),
])

# Which writer may write DIR (the Delta table DIR/_lease, one row; transforms/storage/lease.py).
LEASE = pa.schema([
    ("holder", pa.string()),            # host:pid-namespace:pid:random of the holder; null when released
    ("purpose", pa.string()),           # run | stream | compact | migrate
    ("expires_at", pa.float64()),       # Unix time; a holder that stops renewing loses it then
    ("generation", pa.int64()),         # raised by every taking: the fence each commit checks (v4)
])

__all__ = ["SCHEMA_VERSION", "PARTITION_COLUMN", "ARTICLES", "QUOTES", "FIGURES", "ERRORS", "TABLES", "FEED_STATE",
           "RUNS", "LEASE"]
