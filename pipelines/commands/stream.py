"""newsbeam stream: poll feeds continuously, committing once per window."""

from pipelines.commands.common import (LOCAL_RUNNERS, Failed, UsageError, check_output, check_run_id, pipeline_options,
                                       print_pipeline_help, read_feeds, run_pipeline, with_progress)

SUMMARY = ("--feeds SOURCE... --dataset DIR --poll_interval S [--window S] [--duration S] [Beam options]",
           "poll continuously, commit once per window")


def main(argv: list[str]) -> int:
    from pipelines.options import NewsbeamOptions, StreamOptions
    if "-h" in argv or "--help" in argv:
        print_pipeline_help("newsbeam stream", SUMMARY[0], "Poll feeds continuously into a dataset directory.",
                            StreamOptions,
                            NewsbeamOptions, epilog="Needs a streaming runner: Prism (the default; pass "
                            "--prism_location when offline, see `make prism`) or --runner=FlinkRunner.")
        return 0
    from apache_beam.options.pipeline_options import StandardOptions

    options, nb = pipeline_options(argv, "stream")
    if not nb.feeds or not nb.output:
        raise UsageError("--feeds and --dataset are required")
    standard = options.view_as(StandardOptions)
    standard.runner = standard.runner or "PrismRunner"
    runner = standard.runner.split(".")[-1]
    if runner in LOCAL_RUNNERS:
        # The FnApiRunner that the DirectRunner falls back to runs a stream as one long batch.
        raise UsageError(f"--runner {runner} cannot run a stream: use PrismRunner (the default) or FlinkRunner")
    stream_options = options.view_as(StreamOptions)
    if stream_options.housekeeping_every is not None and stream_options.housekeeping_every < 0:
        raise UsageError(f"--housekeeping_every must be 0 (never) or more, not {stream_options.housekeeping_every}")
    if stream_options.vacuum_retention_hours is not None and not stream_options.vacuum_retention_hours >= 0:
        raise UsageError(f"--vacuum_retention_hours must be 0 or more, not {stream_options.vacuum_retention_hours}")
    feed_urls = read_feeds(nb)
    check_run_id(nb)
    check_output(nb.output)
    from pipelines import stream
    try:
        run_id = with_progress(options, {"duration": stream_options.duration}, lambda: run_pipeline(
            options, lambda: stream.run(options, feed_urls), what="the stream"))
    except Failed as exc:
        if runner == "PrismRunner" and "prism" in str(exc).lower() and not options.get_all_options().get(
                "prism_location"):
            raise Failed(f"{exc}\n(Prism, the streaming runner, could not start: pass --prism_location PATH, "
                         "see `make prism`, or --runner=FlinkRunner)") from None
        raise
    from transforms.storage.runs import manifests
    commits = [m for m in manifests(nb.output) if m.get("stream_run_id") == run_id]
    print(f"stream {run_id} stopped after {len(commits)} window commit(s) -> {nb.output}")
    return 0
