"""The lease: one writer at a time per DIR, fenced, on local disks and object stores alike.

The lease is the one row of the Delta table DIR/_lease: its holder, a generation and an expiry.
Every taking of the lease raises the generation. A writer shows its Fence (holder and generation)
at every renewal, commit and recovery, and each of them checks it against the row: a writer that
stalled past the expiry (a GC pause, a suspended VM, a laptop asleep) while another took over finds
a newer generation there, commits nothing and stops (LeaseLost), instead of taking the lease back.
"""

import dataclasses
import logging
import os
import secrets
import socket
import threading
import time

import pyarrow as pa

from schemas import LEASE
from transforms.storage.layout import LEASE_TABLE, open_or_create, open_table, read_columns, storage_options, table_uri

log = logging.getLogger(__name__)

LEASE_SECONDS = 600               # a lease not renewed for this long is free (its holder died)


class DatasetBusy(RuntimeError):
    """Another run holds the dataset's lease."""


class LeaseLost(RuntimeError):
    """This writer's lease was taken by another writer (it stalled past the expiry): it must not commit."""


@dataclasses.dataclass(frozen=True)
class Fence:
    """What a writer shows to commit: the holder and generation of the lease it took. It travels
    with the pipeline to the worker that commits. `detached`: the launcher handed the lease to a
    job that outlives it (the job releases it when it has committed)."""
    holder: str
    generation: int
    detached: bool = False


def _process_identity() -> str:
    """host:pid-namespace:pid: containers can share a host name, never a PID namespace."""
    try:
        namespace = os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        namespace = 0
    return f"{socket.gethostname()}:{namespace}:{os.getpid()}"


def current_lease(output: str) -> dict | None:
    """DIR's lease row (holder, purpose, expires_at, generation), or None when none was ever taken."""
    table = open_table(output, LEASE_TABLE)
    if table is None:
        return None
    rows = read_columns(output, LEASE_TABLE, LEASE.names, table=table).to_pylist()
    return rows[0] if rows else None


def check_fence(output: str, fence: Fence | None) -> None:
    """LeaseLost unless DIR's lease is still the one `fence` was given for (None: no lease to check)."""
    if fence is None:
        return
    row = current_lease(output)
    if not row or row["holder"] != fence.holder or (row["generation"] or 0) != fence.generation:
        taken = f"by {row['holder']} (generation {row['generation']})" if row and row["holder"] else "and released"
        raise LeaseLost(f"the lease on {output} of generation {fence.generation} was taken {taken}: "
                        "this writer stalled past its expiry and commits nothing")


def release_fence(output: str, fence: Fence) -> None:
    """Free DIR's lease if it is still `fence`'s (a detached job ends by this)."""
    from deltalake import write_deltalake
    table = open_or_create(output, LEASE_TABLE)
    rows = read_columns(output, LEASE_TABLE, LEASE.names, table=table).to_pylist()
    if rows and rows[0]["holder"] == fence.holder and (rows[0]["generation"] or 0) == fence.generation:
        data = pa.table({"holder": [None], "purpose": [rows[0]["purpose"]], "expires_at": [0.0],
                         "generation": [fence.generation]}, schema=LEASE)
        write_deltalake(table, data, mode="overwrite")


class Lease:
    """Exclusive, fenced right to write DIR (see the module docstring).

    Taking it is an overwrite of the one row, made on the snapshot that was read: two writers that
    both read it free conflict in the Delta log (both remove the same file), and the loser refuses
    cleanly with DatasetBusy. The holder renews it every `seconds` / 4 from a thread, each renewal
    again an overwrite of the snapshot that showed its own generation; a holder that died stops
    renewing, so its lease expires after `seconds` (at once on the same host and PID namespace)."""

    def __init__(self, output: str, purpose: str, seconds: float = LEASE_SECONDS):
        self.output, self.purpose, self.seconds = output, purpose, seconds
        self.holder = f"{_process_identity()}:{secrets.token_hex(4)}"
        self.generation = 0
        self.lost: LeaseLost | None = None
        self.detached = False
        self._stop = threading.Event()
        self._thread = None

    @property
    def fence(self) -> Fence:
        return Fence(self.holder, self.generation, self.detached)

    def _write(self, table, expires_at: float, holder: str | None, generation: int) -> None:
        from deltalake import write_deltalake
        data = pa.table({"holder": [holder], "purpose": [self.purpose], "expires_at": [expires_at],
                         "generation": [generation]}, schema=LEASE)
        write_deltalake(table, data, mode="overwrite")

    def _row(self, table) -> dict | None:
        rows = read_columns(self.output, LEASE_TABLE, LEASE.names, table=table).to_pylist()
        return rows[0] if rows else None

    def acquire(self) -> None:
        try:
            if open_table(self.output, LEASE_TABLE) is None:
                self._create()
                return
            table = open_or_create(self.output, LEASE_TABLE)   # adds `generation` to a lease table of before v4
            current = self._row(table)
            if current and current["holder"] and current["expires_at"] > time.time() \
                    and not _dead_here(current["holder"]):
                raise DatasetBusy(f"{self.output} is being written by another newsbeam {current['purpose']} "
                                  f"({current['holder']}); try again when it has finished")
            generation = ((current or {}).get("generation") or 0) + 1
            self._write(table, time.time() + self.seconds, self.holder, generation)
            self.generation = generation
        except DatasetBusy:
            raise
        except Exception as exc:  # the other writer's commit won the race
            raise DatasetBusy(f"{self.output} was just taken by another newsbeam run ({type(exc).__name__}); "
                              "try again when it has finished") from None

    def _create(self) -> None:
        """The first lease of DIR. Writers creating the table at once may each commit a row (the
        losers' commits are retried as appends): the holder is the one whose commit created it."""
        from deltalake import DeltaTable, write_deltalake
        uri, options = table_uri(self.output, LEASE_TABLE), storage_options(self.output)
        data = pa.table({"holder": [self.holder], "purpose": [self.purpose],
                         "expires_at": [time.time() + self.seconds], "generation": [1]}, schema=LEASE)
        write_deltalake(uri, data, mode="error", storage_options=options)
        first = DeltaTable(uri, version=0, storage_options=options)
        if read_columns(self.output, LEASE_TABLE, ["holder"], table=first).column("holder")[0].as_py() != self.holder:
            raise DatasetBusy(f"{self.output} was just taken by another newsbeam run; try again when it has finished")
        for attempt in range(5):   # back to one row; a loser's late append may conflict once
            try:
                self._write(open_table(self.output, LEASE_TABLE), time.time() + self.seconds, self.holder, 1)
                self.generation = 1
                return
            except Exception:
                if attempt == 4:
                    raise
                time.sleep(0.05)

    def renew(self) -> None:
        """Extend the lease, if it is still this writer's; LeaseLost (and no write) when it is not."""
        table = open_table(self.output, LEASE_TABLE)
        current = self._row(table)
        if not current or current["holder"] != self.holder or (current["generation"] or 0) != self.generation:
            raise LeaseLost(f"the lease on {self.output} was taken by "
                            f"{(current or {}).get('holder') or 'nobody'} while this {self.purpose} stalled; "
                            "it stops and commits nothing")
        # An overwrite of the snapshot just read: if another writer took the lease meanwhile, the two
        # commits conflict and this one fails.
        self._write(table, time.time() + self.seconds, self.holder, self.generation)

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.seconds / 4):
            try:
                self.renew()
            except LeaseLost as exc:
                self.lost = exc
                log.error("%s", exc)
                return
            except Exception:
                log.warning("could not renew the lease on %s", self.output, exc_info=True)

    def detach(self, seconds: float) -> Fence:
        """Hand the lease to a job that outlives this process: renewal stops, the lease is kept for
        `seconds` (the longest the job may take), and leaving the block does not release it; the
        job releases it when it has committed (release_fence)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.detached = True
        self._write(open_table(self.output, LEASE_TABLE), time.time() + seconds, self.holder, self.generation)
        return self.fence

    def release(self) -> None:
        table = open_table(self.output, LEASE_TABLE)
        current = self._row(table)
        if current and current["holder"] == self.holder and (current["generation"] or 0) == self.generation:
            self._write(table, 0.0, None, self.generation)

    def __enter__(self):
        self.acquire()
        self._thread = threading.Thread(target=self._renew_loop, name="newsbeam-lease", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        if not self.detached:
            self.release()
        return False


def _dead_here(holder: str) -> bool:
    """A holder in this host's PID namespace whose process is gone (SIGKILLed): its lease is free at once.
    Holders written before v4 (host:pid:token) are judged by their expiry alone."""
    parts = holder.rsplit(":", 3)
    if len(parts) != 4:
        return False
    host, namespace, pid, _ = parts
    if f"{host}:{namespace}" != _process_identity().rsplit(":", 1)[0]:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False
