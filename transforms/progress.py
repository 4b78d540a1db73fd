"""Counting: Beam metrics for the runner, and live totals for the person watching the run.

Beam metrics reach the launcher only when a run ends, so every process that counts also keeps its
running totals in a small JSON file of the run's spool directory, which the launcher names in
NEWSBEAM_PROGRESS_DIR and sums across processes (pipelines/display.py). A process without that
variable (a cluster runner's worker elsewhere) counts Beam metrics only.
"""

import atexit
import json
import os
import secrets
import threading
import time

from apache_beam.metrics import Metrics

NAMESPACE = "newsbeam"
SPOOL_ENV = "NEWSBEAM_PROGRESS_DIR"
FLUSH_SECONDS = 0.5

_lock = threading.Lock()
_state = {"spool": None, "pid": None, "counts": {}, "dirty": False, "flusher": None}


def count(name: str, n: int = 1) -> None:
    Metrics.counter(NAMESPACE, name).inc(n)
    spool = os.environ.get(SPOOL_ENV)
    if not spool:
        return
    with _lock:
        if _state["spool"] != spool or _state["pid"] != os.getpid():
            # A new run in this process, or a forked child: its counts start from zero.
            _state.update(spool=spool, pid=os.getpid(), counts={}, flusher=None,
                          file=os.path.join(spool, f"{os.getpid()}-{secrets.token_hex(3)}.json"))
        _state["counts"][name] = _state["counts"].get(name, 0) + n
        _state["dirty"] = True
        if _state["flusher"] is None:
            _state["flusher"] = threading.Thread(target=_flush_every, args=(spool,), daemon=True,
                                                 name="newsbeam-progress")
            _state["flusher"].start()


def _flush_every(spool: str) -> None:
    while _state["spool"] == spool and _state["pid"] == os.getpid():
        time.sleep(FLUSH_SECONDS)
        flush()


@atexit.register
def flush() -> None:
    """Write this process's totals, whole (a reader never sees half a file)."""
    with _lock:
        if not _state["dirty"] or _state["pid"] != os.getpid():
            return
        counts, path = dict(_state["counts"]), _state["file"]
        _state["dirty"] = False
    try:
        with open(path + ".tmp", "w") as out:
            json.dump(counts, out)
        os.replace(path + ".tmp", path)
    except OSError:   # the launcher removed the spool at the end of the run: nobody is watching
        pass


def read_totals(spool: str) -> dict[str, int]:
    """The counts of every process that wrote to `spool`, summed."""
    totals: dict[str, int] = {}
    try:
        names = [n for n in os.listdir(spool) if n.endswith(".json")]
    except OSError:
        return totals
    for name in names:
        try:
            with open(os.path.join(spool, name)) as f:
                counts = json.load(f)
        except (OSError, ValueError):
            continue
        for key, value in counts.items():
            totals[key] = totals.get(key, 0) + value
    return totals
