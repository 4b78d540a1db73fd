"""Counting: Beam metrics for the runner, and a throttled progress line on stderr for people.

Beam metrics only reach the launcher when the run ends, so a long run also prints the
counts this worker process has seen so far, at most once every few seconds.
"""

import os
import sys
import threading
import time

from apache_beam.metrics import Metrics

NAMESPACE = "newsbeam"
_ORDER = ("feeds_fetched", "entries", "duplicates", "pages_fetched", "articles", "quotes", "figures", "errors")
_INTERVAL = 3.0
_counts: dict[str, int] = {}
_lock = threading.Lock()
_last = [time.monotonic()]


def count(name: str, n: int = 1) -> None:
    Metrics.counter(NAMESPACE, name).inc(n)
    with _lock:
        _counts[name] = _counts.get(name, 0) + n
        if os.environ.get("NEWSBEAM_PROGRESS") != "1" or time.monotonic() - _last[0] < _INTERVAL:
            return
        _last[0] = time.monotonic()
        line = " | ".join(f"{k.replace('_', ' ')} {_counts[k]}" for k in _ORDER if k in _counts)
    print(f"newsbeam: {line}", file=_TERMINAL or sys.stderr, flush=True)


# In a worker whose stderr newsbeam silenced (pipelines/quiet_worker), the terminal's copy of it.
_TERMINAL = (os.fdopen(int(os.environ["NEWSBEAM_TERMINAL_FD"]), "w", closefd=False)
             if "NEWSBEAM_TERMINAL_FD" in os.environ else None)
