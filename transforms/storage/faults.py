"""Fault injection for the runner tests: the one seam, kept out of the writer.

When the launcher's environment names a marker file in LOSE_BUNDLE_ONCE, the first bundle of
articles to claim it fails after writing its files, so the runner retries the bundle (Flink) or the
run fails (FnApiRunner) exactly where duplicates would come from. The environment is read where the
pipeline is built and the hook travels in the DoFn, so it reaches any runner.
"""

import os

LOSE_BUNDLE_ONCE = "NEWSBEAM_TEST_LOSE_BUNDLE_ONCE"


class LoseBundleOnce:
    """Called by the writer after a bundle's files are written: fails the first bundle only."""

    def __init__(self, marker: str):
        self.marker = marker

    def __call__(self) -> None:
        try:
            os.close(os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            return
        raise RuntimeError(f"{LOSE_BUNDLE_ONCE}: this bundle is lost after writing its files")


def after_bundle_written(table: str):
    """The hook the writer of `table` calls after a bundle's files are written, or None (always, outside tests)."""
    marker = os.environ.get(LOSE_BUNDLE_ONCE)
    return LoseBundleOnce(marker) if marker and table == "articles" else None
