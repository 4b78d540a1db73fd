"""newsbeam's pipeline options: the Beam way, so every standard Beam option passes through."""

import argparse
import datetime as dt
import ipaddress
import ssl

from apache_beam.options.pipeline_options import PipelineOptions

from pipelines.spelling import flag_spelling, option_names
from transforms.fetching.fetch import CONTACT_URL, FetchConfig, user_agent
from transforms.sources.archives import CC_NEWS_BASE, RecordFilter, cc_news_months
from transforms.fetching.netguard import parse_pin
from transforms.records import DateWindow
from transforms.analysis.quotes import MIXED_SPANS
from transforms.fetching.retry import RetryPolicy


class NewsbeamOptions(PipelineOptions):
    """newsbeam's own pipeline options, in groups by concern (what `newsbeam run --help` shows)."""

    @classmethod
    def _add_argparse_args(cls, parser):
        sources = parser.add_argument_group("sources")
        sources.add_argument("--feeds", metavar="SOURCE", nargs="+", action="extend", default=None,
                            help="feed URLs, text files of URLs (one a line, # comments) or OPML files")
        sources.add_argument("--retry_errors", nargs="?", const=True, default=None, metavar="DIR",
                            help="retry the failed feeds and pages of earlier runs in the dataset (given here "
                                 "or by --dataset)")
        sources.add_argument("--warc", nargs="+", action="extend", default=None, metavar="PATH",
                            help="web archive files (WARC or ARC, gzipped or not) to ingest without fetching: "
                                 "local paths, globs or any Beam filesystem URL (gs://, s3://)")
        sources.add_argument("--cc_news", default=None, metavar="YYYY-MM[..YYYY-MM]",
                            help="ingest Common Crawl's news archive (CC-NEWS) for these months, listed from "
                                 "--archive_base")
        sources.add_argument("--archive_base", metavar="URL", default=CC_NEWS_BASE,
                            help="where the CC-NEWS archive lives: its public URL, a mirror, s3://commoncrawl, "
                                 "or a local directory laid out the same way")
        sources.add_argument("--hosts", action="append", default=[], metavar="HOST[,HOST]",
                            help="from archives, keep only pages of these hosts (and their subdomains)")
        sources.add_argument("--languages", action="append", default=[], metavar="LANG[,LANG]",
                            help="from archives, keep only pages declared in these languages (ISO 639-1, e.g. "
                                 "en,de); pages that declare none are kept")
        sources.add_argument("--since", default=None, metavar="YYYY-MM-DD",
                            help="keep only entries, sitemap URLs and archive records dated on or after this day "
                                 "(UTC; undated ones are left out when a bound is given)")
        sources.add_argument("--until", default=None, metavar="YYYY-MM-DD",
                            help="keep only those dated on or before this day (UTC)")

        dataset = parser.add_argument_group("dataset")
        dataset.add_argument("--dataset", "--output", dest="output", default=None, metavar="DIR",
                            help="the dataset directory: a local path or a Beam filesystem URL (gs://, s3://)")
        dataset.add_argument("--run_id", metavar="ID", default=None,
                            help="run id (default: UTC time plus a random suffix)")
        # 5000: each commit after the first is a pipeline of its own, about 6 s to start and finish on 2
        # cores (bench/README.md), a tax of over 15% on 1000 archived pages and about 5% on 5000.
        dataset.add_argument("--commit_every", metavar="N", type=int, default=5000,
                            help="a batch run commits every N new articles (the rest wait for its next commit), "
                                 "so a run stopped midway keeps what it committed and the next run goes on "
                                 "from there; 0: one commit at the end")

        fetching = parser.add_argument_group("fetching")
        fetching.add_argument("--connect_timeout", metavar="S", type=float, default=5.0, help="seconds to connect")
        fetching.add_argument("--read_timeout", metavar="S", type=float, default=15.0, help="seconds between bytes")
        fetching.add_argument("--total_timeout", metavar="S", type=float, default=30.0,
                            help="seconds for a whole response")
        fetching.add_argument("--max_body_bytes", metavar="BYTES", type=int, default=10 * 1024 * 1024,
                            help="largest response body accepted, after decompression")
        fetching.add_argument("--contact_url", metavar="URL", default=CONTACT_URL,
                            help="where publishers can reach you; sent in the User-Agent")
        fetching.add_argument("--max_attempts", metavar="N", type=int, default=3,
                            help="tries per URL on connection errors, timeouts, 429 and 5xx")
        fetching.add_argument("--retry_base_delay", metavar="S", type=float, default=0.5,
                            help="seconds before the first retry; doubles each time, with jitter")
        fetching.add_argument("--per_host_concurrency", metavar="N", type=int, default=2,
                            help="requests in flight to one host, per worker")
        fetching.add_argument("--per_host_delay", metavar="S", type=float, default=0.5,
                            help="seconds between request starts to one host, per worker")
        fetching.add_argument("--fetch_threads", metavar="N", type=int, default=16,
                            help="pages fetched at once by one worker (within the per-host limits)")
        fetching.add_argument("--ignore_robots", action="store_true", default=False,
                            help="fetch article pages even where robots.txt disallows it")
        fetching.add_argument("--allow_private_hosts", action="store_true", default=False,
                            help="allow loopback and private addresses (local feeds, tests); off by default "
                                 "because a feed could otherwise point the crawler at internal services")
        fetching.add_argument("--allow_private_network", action="append", default=[], metavar="CIDR",
                            help="dial this private network all the same (e.g. an intranet news site), "
                                 "the guard staying on for every other address; repeatable")
        fetching.add_argument("--resolve", action="append", default=[], metavar="HOST:PORT:ADDRESS[,ADDRESS]",
                            help="use these addresses for HOST on PORT (* for any) instead of DNS, as curl's "
                                 "--resolve; the guard still checks them; repeatable")
        fetching.add_argument("--ca_bundle", default=None, metavar="PEM",
                            help="also trust the CA certificates in this file (a TLS-inspecting proxy, a "
                                 "private mirror); verification is never turned off")

        extraction = parser.add_argument_group("extraction")
        # The dataset keeps every construction measured at >= 0.6 precision, each row with its
        # confidence; `confidence >= 0.84` selects the set `newsbeam extract` emits by default.
        extraction.add_argument("--min_quote_confidence", metavar="P", type=float, default=0.6,
                            help="store quotes whose construction is at least this precise (measured on "
                                 "annotated news; each row keeps its confidence)")
        extraction.add_argument("--mixed_quote_spans", choices=MIXED_SPANS, default="clause",
                            help="span a mixed quote as its reported clause (default) or as the quoted words alone")

        output = parser.add_argument_group("runner and output")
        output.add_argument("--verbose", action="store_true", default=False, help="show Beam's own logging")
        output.add_argument("--quiet", action="store_true", default=False, help="no live progress on stderr")
        output.add_argument("--progress_interval", metavar="S", type=float, default=10.0,
                            help="seconds between progress lines when stderr is not a terminal (a terminal's "
                                 "line is redrawn in place)")

    def date_window(self) -> DateWindow:
        return DateWindow(self.since, self.until)

    def record_filter(self) -> RecordFilter:
        def listed(values):
            return tuple(v.strip().lower() for value in values or () for v in value.split(",") if v.strip())
        return RecordFilter(listed(self.hosts), self.date_window(), listed(self.languages))

    def fetch_config(self) -> FetchConfig:
        return FetchConfig(connect_timeout=self.connect_timeout, read_timeout=self.read_timeout,
                           total_timeout=self.total_timeout, max_bytes=self.max_body_bytes,
                           user_agent=user_agent(self.contact_url),
                           retry=RetryPolicy(max_attempts=max(1, self.max_attempts), base_delay=self.retry_base_delay),
                           per_host_concurrency=self.per_host_concurrency, per_host_delay=self.per_host_delay,
                           allow_private_hosts=self.allow_private_hosts,
                           allowed_networks=tuple(self.allow_private_network or ()),
                           resolve=tuple(self.resolve or ()), ca_bundle=self.ca_bundle)


# Flink: state is at most this old after a lost worker, and a window's commit waits for the next
# checkpoint (storage.commit.StableParDo), so it also bounds what that adds to latency.
DEFAULT_CHECKPOINTING_INTERVAL_MS = 5_000


class StreamOptions(PipelineOptions):
    """Options of `newsbeam stream` (continuous mode)."""

    @classmethod
    def _add_argparse_args(cls, parser):
        parser.add_argument("--poll_interval", metavar="S", type=float, default=300.0,
                            help="seconds between polls of every feed")
        parser.add_argument("--window", metavar="S", type=float, default=60.0,
                            help="seconds of polls committed together (new articles are queryable within one window)")
        parser.add_argument("--duration", metavar="S", type=float, default=None,
                            help="stop polling after this many seconds (default: run until stopped)")
        parser.add_argument("--state_ttl", metavar="S", type=float, default=7 * 86400.0,
                            help="seconds an article stays remembered as seen in the stream's state "
                                 "(committed articles are also checked in the dataset)")
        parser.add_argument("--checkpointing_interval", metavar="MS", type=int, default=None,
                            help="on Flink, milliseconds between checkpoints of the stream's state (default "
                                 f"{DEFAULT_CHECKPOINTING_INTERVAL_MS} for `newsbeam stream`; -1: none, and a "
                                 "lost worker restarts the stream from nothing). See docs/continuous.md")
        parser.add_argument("--enable_stable_input_drain", action="store_true", default=None,
                            help="Flink's: when a stream ends, commit the windows still waiting for a checkpoint; "
                                 "newsbeam stream sets it on Flink")
        parser.add_argument("--finish_bundle_before_checkpointing", action="store_true", default=None,
                            help="Flink's: finish the open bundles before a checkpoint instead of holding their "
                                 "output in it until the next bundle; newsbeam stream sets it on Flink")
        parser.add_argument("--max_bundle_time_mills", metavar="MS", type=int, default=None,
                            help="Flink's: longest a bundle stays open (default 1000); longer bundles are cheaper "
                                 "but hold their output back as long")
        parser.add_argument("--shutdown_sources_after_idle_ms", metavar="MS", type=int, default=None,
                            help="Flink's: with checkpointing on, sources never shut down, so a stream with "
                                 "--duration would never end; newsbeam stream sets it to the duration")
        parser.add_argument("--housekeeping_every", metavar="N", type=int, default=100,
                            help="every N window commits the stream compacts, checkpoints and vacuums its tables "
                                 "(and _runs, _lease) itself, holding the lease; 0: never")
        parser.add_argument("--vacuum_retention_hours", metavar="H", type=float, default=168.0,
                            help="in the stream's housekeeping, data files removed less than H hours ago are "
                                 "kept (readers and writes in flight); lower only if none runs that long")


# Numeric options and the values that make sense, checked before a run so that a bad one is a usage
# error rather than a failed run (or, for a zero timeout, a run in which every fetch fails).
_POSITIVE = ("connect_timeout", "read_timeout", "total_timeout", "max_body_bytes", "max_attempts",
             "per_host_concurrency", "fetch_threads", "poll_interval", "window", "duration", "state_ttl",
             "progress_interval", "max_bundle_time_mills")
_NOT_NEGATIVE = ("retry_base_delay", "per_host_delay", "commit_every")


def out_of_range(options: PipelineOptions) -> str | None:
    """What is wrong with the first numeric option out of its range (NaN included), or None."""
    values = options.get_all_options()
    for name in _POSITIVE:
        if values.get(name) is not None and not values[name] > 0:
            return f"--{name} must be greater than 0, not {values[name]}"
    for name in _NOT_NEGATIVE:
        if values.get(name) is not None and not values[name] >= 0:
            return f"--{name} must be 0 or more, not {values[name]}"
    return confidence_out_of_range(values.get("min_quote_confidence")) or fetch_options_invalid(values)


def fetch_options_invalid(values: dict) -> str | None:
    """What is wrong with --allow_private_network, --resolve, --since/--until or --ca_bundle, or None."""
    for network in values.get("allow_private_network") or ():
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            return f"--allow_private_network takes a network such as 10.2.0.0/16, not {network!r}"
    for pin in values.get("resolve") or ():
        try:
            parse_pin(pin)
        except ValueError as exc:
            return str(exc) if str(exc).startswith("--resolve") else f"--resolve {pin!r}: {exc}"
    for name in ("since", "until"):
        if values.get(name) is not None:
            try:
                dt.date.fromisoformat(values[name])
            except ValueError:
                return f"--{name} takes a day as YYYY-MM-DD, not {values[name]!r}"
    if values.get("since") and values.get("until") and values["since"] > values["until"]:
        return f"--since {values['since']} is after --until {values['until']}"
    if values.get("cc_news"):
        try:
            cc_news_months(values["cc_news"])
        except ValueError:
            return f"--cc_news takes YYYY-MM or YYYY-MM..YYYY-MM, not {values['cc_news']!r}"
    bundle = values.get("ca_bundle")
    if bundle:
        try:
            ssl.create_default_context().load_verify_locations(cafile=bundle)
        except (OSError, ssl.SSLError) as exc:
            return f"--ca_bundle {bundle}: not a readable PEM file of CA certificates ({exc})"
    return None


def confidence_out_of_range(value: float | None) -> str | None:
    if value is not None and not 0 <= value <= 1:
        return f"--min_quote_confidence is a precision between 0 and 1, not {value}"
    return None


def newsbeam_spelling(argv: list[str]) -> list[str]:
    """argv with newsbeam's pipeline options (NewsbeamOptions, StreamOptions) in Beam's spelling."""
    parser = argparse.ArgumentParser(add_help=False)
    for options in (NewsbeamOptions, StreamOptions):
        options._add_argparse_args(parser)
    return flag_spelling(argv, option_names(parser))


def unknown_options(argv: list[str]) -> list[str]:
    """Flags that no PipelineOptions class knows: a user's typo, reported instead of silently dropped."""
    argv = newsbeam_spelling(argv)
    captured = []
    PipelineOptions(argv).get_all_options(add_extra_args_fn=captured.append)
    _, unknown = captured[0].parse_known_args(argv)
    return [arg for arg in unknown if arg.startswith("-")]
