"""newsbeam run: ingest feeds, sitemaps and web archives into a dataset once."""

import sys

from pipelines.commands.common import (UsageError, check_output, check_run_id, pipeline_options, print_pipeline_help,
                                       read_archives, read_feeds, run_pipeline, with_progress)

SUMMARY = ("--feeds SOURCE... --dataset DIR [Beam options]",
           "ingest feeds, sitemaps or web archives (--warc, --cc_news) into DIR")


def main(argv: list[str]) -> int:
    from pipelines.options import NewsbeamOptions
    if "-h" in argv or "--help" in argv:
        print_pipeline_help("newsbeam run", SUMMARY[0], "Ingest feeds, sitemaps or web archives into a dataset "
                            "directory. Exit codes: 0 done, 1 the run could not complete, 2 a usage error, 3 the "
                            "run completed but ingested nothing because every source failed.",
                            NewsbeamOptions,
                            example="newsbeam run --feeds https://news.example.org/rss.xml --dataset news")
        return 0
    options, nb = pipeline_options(argv, "run")
    retry_dir = None
    if nb.retry_errors:
        retry_dir = nb.output if nb.retry_errors is True else nb.retry_errors
        if not retry_dir:
            raise UsageError("--retry_errors needs the dataset: --retry_errors DIR or --dataset DIR")
        if nb.output and nb.output != retry_dir:
            raise UsageError(f"--retry_errors {retry_dir} retries into that dataset, not --dataset {nb.output}")
        nb.output = retry_dir
    if not nb.feeds and not retry_dir and not nb.warc and not nb.cc_news:
        raise UsageError("--feeds is required: feed or sitemap URLs, a text file of URLs, or an OPML file "
                         "(or --warc/--cc_news to read web archives, --retry_errors to retry what earlier "
                         "runs failed on)")
    if not nb.output:
        raise UsageError("--dataset is required: the dataset directory to write")
    check_run_id(nb)
    feed_urls, retry_entries = [], []
    if retry_dir:
        feed_urls, retry_entries = failed_inputs(retry_dir)
    if nb.feeds:
        feed_urls = list(dict.fromkeys(feed_urls + read_feeds(nb)))
    archives = read_archives(nb)
    if not feed_urls and not retry_entries and not archives:
        print(f"nothing to retry: no failed feeds or pages in {retry_dir}")
        return 0
    check_output(nb.output)
    manifest = ingest(options, feed_urls, retry_entries, archives)
    print(summary(manifest))
    if everything_failed(manifest):
        print("newsbeam run: nothing was ingested: every source failed (exit code 3)", file=sys.stderr)
        return 3
    return 0


def everything_failed(manifest: dict) -> bool:
    """A run that ingested nothing because every source or every page failed: committed, but for a
    scheduler no success (exit code 3). A source that was read and had nothing new is a success."""
    t, feeds = manifest["totals"], manifest["feeds"]
    if t["articles"] or t["duplicates"] or t["feeds_not_modified"] or not feeds:
        return False
    return all(f["error_kind"] for f in feeds) or t["entries"] > 0 and t["errors"] >= t["entries"]


def ingest(options, feed_urls: list[str], retry_entries: list[dict] = (), archives: list[str] = ()) -> dict:
    """One batch run under live progress; its manifest, or Failed."""
    from pipelines import batch
    plan = {"feeds": len(feed_urls) + len(archives), "retried": len(retry_entries)}
    return with_progress(options, plan, lambda: run_pipeline(
        options, lambda: batch.run(options, feed_urls, list(retry_entries), list(archives))))


def failed_inputs(directory: str) -> tuple[list[str], list[dict]]:
    from transforms.storage.runs import failed_inputs as failed
    from transforms.storage.layout import is_dataset
    if not is_dataset(directory):
        raise UsageError(f"--retry_errors {directory}: not a newsbeam dataset (no _runs/ in it)")
    feeds, entries = failed(directory)
    print(f"retrying {len(feeds)} failed feed(s) and {len(entries)} failed page(s) from {directory}", file=sys.stderr)
    return feeds, entries


def summary(manifest: dict) -> str:
    t, rows = manifest["totals"], manifest["rows"]
    lines = [f"run {manifest['run_id']} finished in {manifest['seconds']:.1f}s -> {manifest['output']}",
             f"  feeds {len(manifest['feeds'])} ({t['feed_errors']} failed), entries {t['entries']}: "
             f"{t['articles']} new articles, {t['duplicates']} duplicates, {t['errors']} failed",
             "  rows written: " + ", ".join(f"{k} {v}" for k, v in rows.items())]
    if len(manifest.get("commits", ())) > 1:
        lines.append(f"  committed in {len(manifest['commits'])} parts (--commit_every): "
                     + ", ".join(manifest["commits"]))
    kinds = manifest.get("error_kinds") or {}
    if kinds:
        lines.append(f"  error rows {sum(kinds.values())}: " + ", ".join(f"{k} {v}" for k, v in kinds.items()))
    if "blocked_address" in kinds:
        lines.append("  blocked_address: the host resolves to a private, local or reserved address (the SSRF "
                     "guard). If you mean to read it, pass --allow_private_hosts, or --allow_private_network CIDR "
                     "for one network")
    lines += not_analysed_lines(manifest)
    for feed in manifest["feeds"]:
        lines.append(f"  {feed['feed_url']}: {feed_state(feed)}, {feed['entries']} entries, {feed['articles']} new, "
                     f"{feed['duplicates']} dup, {feed['errors']} err")
        for advertised in feed.get("advertised_feeds", ()):   # a home page: every feed it advertises
            lines.append(f"    advertised {advertised['url']}: {advertised['error_kind'] or 'read'}, "
                         f"{advertised['entries']} entries")
    return "\n".join(lines)


def not_analysed_lines(manifest: dict) -> list[str]:
    """The articles newsbeam had no rules for, by language: "not analysed (no rules for the
    language): 3 articles (fr 2, unknown 1)", and those that got one task but not the other."""
    def counted(by_language: dict) -> str:
        n = sum(by_language.values())
        return f"{n} article{'s' if n != 1 else ''} (" + ", ".join(f"{k} {v}" for k, v in by_language.items()) + ")"
    lines = []
    neither = manifest.get("not_analysed") or {}
    if neither:
        lines.append(f"  not analysed (no rules for the language): {counted(neither)}")
    for task, by_language in (manifest.get("not_analysed_by_task") or {}).items():
        partial = {k: v - neither.get(k, 0) for k, v in by_language.items() if v > neither.get(k, 0)}
        if partial:
            lines.append(f"  no {task} (no {task[:-1]} rules for the language): {counted(partial)}")
    return lines


def feed_state(feed: dict) -> str:
    """How a feed's poll went, in a few words (the report shows the same)."""
    return (feed.get("error_kind") or (feed.get("status") == "not_modified" and "not modified (304)")
            or (feed.get("http_status") and f"HTTP {feed['http_status']}") or (feed.get("status") == "ok" and "read")
            or "not polled, entries retried")
