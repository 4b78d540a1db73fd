"""The live progress of a run on stderr: the counts of every worker process summed
(transforms/progress.py), redrawn in place on a terminal, a plain line every few seconds elsewhere."""

import base64
import collections
import dataclasses
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.request

from transforms import progress

TTY_REFRESH = 0.25   # seconds between redraws on a terminal
RATE_WINDOW = 10.0   # pages/s is measured over this many recent seconds
FLINK_POLL = 2.0     # seconds between two readings of a Flink job's counts


@dataclasses.dataclass(frozen=True)
class Plan:
    """What the launcher knows before the workers report."""
    feeds: int | None = None        # feeds, sitemaps and archives to read once; None: a stream polls again and again
    retried: int = 0                # entries of earlier runs tried again (they come from no feed)
    duration: float | None = None   # a stream's --duration
    workers_here: bool = True       # False on a cluster runner: its workers cannot reach the spool
    flink_master: str | None = None  # on Flink, the REST address its running job's counts are read from


def pages_done(counts: dict) -> int:
    return counts.get("pages_fetched", 0) + counts.get("pages_failed", 0) + counts.get("pages_read", 0)


def pages_total(counts: dict, plan: Plan) -> int | None:
    """The pages to fetch (or read from archives), once every feed has been read: entries less
    duplicates. None while feeds are still being polled."""
    polled = counts.get("feeds_fetched", 0) + counts.get("feeds_failed", 0)
    if plan.feeds is None or polled < plan.feeds:
        return None
    return max(counts.get("entries", 0) + plan.retried - counts.get("duplicates", 0), pages_done(counts))


def clock(seconds: float) -> str:
    seconds = int(max(0, seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def describe(counts: dict, plan: Plan, elapsed: float, rate: float | None) -> str:
    """One line: feeds polled of total, pages done of the known total, rows found, errors, pages/s,
    elapsed and the time left once the total is known."""
    if not counts:   # nothing counted yet: the runner is starting its workers
        if plan.flink_master:
            return f"{clock(elapsed)} elapsed | the cluster reports counts as its stages finish"
        if not plan.workers_here:
            return f"{clock(elapsed)} elapsed | the cluster's workers report their counts when the run ends"
        return f"starting | {clock(elapsed)} elapsed"
    parts = []
    polled = counts.get("feeds_fetched", 0) + counts.get("feeds_failed", 0)
    parts.append(f"feeds {polled}/{plan.feeds}" if plan.feeds is not None else f"polls {polled}")
    total, done = pages_total(counts, plan), pages_done(counts)
    parts.append(f"pages {done}/{total}" if total is not None else f"pages {done}")
    parts += [f"{name} {counts.get(name, 0)}" for name in ("articles", "quotes", "figures", "errors")]
    fetching = total is None or done < total
    if rate is not None and fetching:
        parts.append(f"{rate:.1f} pages/s")
    parts.append(f"{clock(elapsed)} elapsed")
    if total is not None and fetching and rate:
        parts.append(f"~{clock((total - done) / rate)} left")
    elif plan.duration is not None:
        parts.append(f"{clock(plan.duration - elapsed)} left")
    return " | ".join(parts)


# On a narrow terminal, the parts left out first (time left and elapsed stay longest).
DROP_FIRST = ("quotes", "figures", "pages/s", "articles", "errors")


def fit(line: str, width: int) -> str:
    """The line within `width` columns: parts dropped in DROP_FIRST order, then cut."""
    parts = line.split(" | ")
    for word in DROP_FIRST:
        if len(" | ".join(parts)) <= width:
            break
        parts = [p for p in parts if word not in p.split()]
    return " | ".join(parts)[:width]


class LiveProgress:
    """While open: a spool directory for the workers' counts (named in their environment), and a
    thread that draws the sum on `stream`. Closed: the spool is gone, the terminal line cleared."""

    def __init__(self, plan: Plan, stream=None, interval: float = 10.0, tty: bool | None = None):
        self.plan, self.stream, self.interval = plan, stream or sys.stderr, interval
        self.tty = self.stream.isatty() if tty is None else tty
        self._stop = threading.Event()
        self._samples: collections.deque = collections.deque()
        self._flink_asked, self._flink_counts = float("-inf"), {}

    def __enter__(self):
        self.spool = tempfile.mkdtemp(prefix="newsbeam-progress-")
        self._previous = os.environ.get(progress.SPOOL_ENV)
        os.environ[progress.SPOOL_ENV] = self.spool   # inherited by the worker processes the runner starts
        self.started, self.started_at = time.monotonic(), time.time()
        self._thread = threading.Thread(target=self._draw_until_stopped, daemon=True, name="newsbeam-display")
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        if self.tty:
            self.stream.write("\r\x1b[K")   # the summary takes the line's place
        elif exc_info[0] is None:
            self.stream.write(f"newsbeam: {self.line()}\n")   # a log ends with the run's totals
        self.stream.flush()
        if self._previous is None:
            os.environ.pop(progress.SPOOL_ENV, None)
        else:
            os.environ[progress.SPOOL_ENV] = self._previous
        shutil.rmtree(self.spool, ignore_errors=True)
        return False

    def counts(self) -> dict:
        if self.plan.workers_here:
            return progress.read_totals(self.spool)
        if self.plan.flink_master:
            # The terminal redraws 4 times a second; Flink's counts change by the stage: ask every 2 s.
            now = time.monotonic()
            if now - self._flink_asked >= FLINK_POLL:
                self._flink_asked, self._flink_counts = now, flink_counts(self.plan.flink_master, self.started_at)
            return self._flink_counts
        return {}

    def line(self) -> str:
        now = time.monotonic()
        counts = self.counts()
        self._samples.append((now, pages_done(counts)))
        while now - self._samples[0][0] > RATE_WINDOW:
            self._samples.popleft()
        (first, done_then), done_now = self._samples[0], self._samples[-1][1]
        rate = (done_now - done_then) / (now - first) if now - first >= 1 and done_now else None
        return describe(counts, self.plan, now - self.started, rate)

    def _draw_until_stopped(self) -> None:
        if self.tty:
            while True:
                width = _columns(self.stream)
                self.stream.write("\r" + fit(self.line(), max(width - 1, 10)) + "\x1b[K")
                self.stream.flush()
                if self._stop.wait(TTY_REFRESH):
                    return
        while not self._stop.wait(self.interval):
            self.stream.write(f"newsbeam: {self.line()}\n")
            self.stream.flush()


def _columns(stream) -> int:
    """The terminal's width (a longer line would wrap, and the next redraw could not take it back)."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError, AttributeError):
        columns = 0
    return columns or shutil.get_terminal_size().columns   # a terminal that doesn't say: $COLUMNS, or 80


# --- Counts from a Flink cluster ---------------------------------------------------------------
# Beam's Flink runner keeps the job's metrics in one Flink accumulator, `__metricscontainers`: JSON
# of Beam monitoring infos, updated as bundles finish (a batch stage's bundle is a whole partition,
# so counts arrive stage by stage) and readable from Flink's REST API while the job runs.

USER_COUNTER = "beam:metric:user:sum_int64:v1"


def metric_totals(accumulator: str) -> dict[str, int]:
    """newsbeam's counters in a `__metricscontainers` accumulator, summed over steps (attempted)."""
    totals: dict[str, int] = {}
    for info in json.loads(accumulator).get("metrics", {}).get("attempted", []):
        labels = info.get("labels", {})
        if info.get("urn") == USER_COUNTER and labels.get("NAMESPACE") == progress.NAMESPACE:
            name = labels.get("NAME", "")
            totals[name] = totals.get(name, 0) + _varint(base64.b64decode(info.get("payload", "")))
    return totals


def _varint(data: bytes) -> int:
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            break
    return value


def flink_counts(master: str, since: float) -> dict[str, int]:
    """The counts of the newest job the Flink cluster at `master` started after `since` (epoch
    seconds): ours, unless another launcher submitted one at the same time. {} when the job has not
    started yet or the REST API does not answer."""
    base = master if master.startswith(("http://", "https://")) else f"http://{master}"
    try:
        jobs = [job for job in _rest_json(f"{base}/jobs/overview")["jobs"] if job["start-time"] >= since * 1000]
        if not jobs:
            return {}
        job = max(jobs, key=lambda j: j["start-time"])
        accumulators = _rest_json(f"{base}/jobs/{job['jid']}/accumulators").get("user-task-accumulators", [])
    except (OSError, ValueError, KeyError):
        return {}
    return next((metric_totals(a["value"]) for a in accumulators if a.get("name") == "__metricscontainers"), {})


def _rest_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)
