"""The lease: one writer at a time per DIR, on local disks and object stores alike."""

import logging
import os
import secrets
import socket
import threading
import time

import pyarrow as pa

from schemas import LEASE
from transforms.storage.layout import LEASE_TABLE, open_table, read_columns, storage_options, table_uri

log = logging.getLogger(__name__)

LEASE_SECONDS = 600               # a lease not renewed for this long is free (its holder died)


class DatasetBusy(RuntimeError):
    """Another run holds the dataset's lease."""


class Lease:
    """Exclusive right to write DIR, held in the Delta table DIR/_lease (one row: holder, expiry).

    Taking it is an overwrite of that one row: two writers that both read it free conflict in the
    Delta log (both remove the same file), and the loser refuses cleanly with DatasetBusy. The
    holder renews it every LEASE_SECONDS / 4 from a thread; a holder that died stops renewing, so
    its lease expires after LEASE_SECONDS."""

    def __init__(self, output: str, purpose: str, seconds: float = LEASE_SECONDS):
        self.output, self.purpose, self.seconds = output, purpose, seconds
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._stop = threading.Event()

    def _write(self, mode: str, expires_at: float, holder: str | None) -> None:
        from deltalake import write_deltalake
        data = pa.table({"holder": [holder], "purpose": [self.purpose], "expires_at": [expires_at]},
                        schema=LEASE)
        target = self._table if mode == "overwrite" else table_uri(self.output, LEASE_TABLE)
        write_deltalake(target, data, mode=mode, storage_options=storage_options(self.output))

    def _current(self) -> dict | None:
        rows = read_columns(self.output, LEASE_TABLE, LEASE.names, table=self._table).to_pylist()
        return rows[0] if rows else None

    def acquire(self) -> None:
        self._table = open_table(self.output, LEASE_TABLE)
        try:
            if self._table is None:
                # Writers creating the table at once may each commit a row (the losers' commits are
                # retried as appends): the holder is the one whose commit created it, version 0.
                self._write("error", time.time() + self.seconds, self.holder)
                from deltalake import DeltaTable
                first = DeltaTable(table_uri(self.output, LEASE_TABLE), version=0,
                                   storage_options=storage_options(self.output))
                if read_columns(self.output, LEASE_TABLE, ["holder"], table=first).column("holder")[0].as_py() != self.holder:
                    raise DatasetBusy(f"{self.output} was just taken by another newsbeam run; "
                                      "try again when it has finished")
                for attempt in range(5):   # back to one row; a loser's late append may conflict once
                    self._table = open_table(self.output, LEASE_TABLE)
                    try:
                        self._write("overwrite", time.time() + self.seconds, self.holder)
                        return
                    except Exception:
                        if attempt == 4:
                            raise
                        time.sleep(0.05)
            current = self._current()
            if current and current["holder"] and current["expires_at"] > time.time() \
                    and not _dead_here(current["holder"]):
                raise DatasetBusy(f"{self.output} is being written by another newsbeam {current['purpose']} "
                                  f"({current['holder']}); try again when it has finished")
            self._write("overwrite", time.time() + self.seconds, self.holder)
        except DatasetBusy:
            raise
        except Exception as exc:  # the other writer's commit won the race
            raise DatasetBusy(f"{self.output} was just taken by another newsbeam run ({type(exc).__name__}); "
                              "try again when it has finished") from None

    def _renew_loop(self) -> None:
        while not self._stop.wait(self.seconds / 4):
            try:
                self._table.update_incremental()
                self._write("overwrite", time.time() + self.seconds, self.holder)
            except Exception:
                log.warning("could not renew the lease on %s", self.output, exc_info=True)

    def release(self) -> None:
        self._table.update_incremental()
        current = self._current()
        if current and current["holder"] == self.holder:
            self._write("overwrite", 0.0, None)

    def __enter__(self):
        self.acquire()
        self._thread = threading.Thread(target=self._renew_loop, name="newsbeam-lease", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.release()
        return False


def _dead_here(holder: str) -> bool:
    """A holder on this host whose process is gone (SIGKILLed): its lease is free at once."""
    host, pid, _ = holder.rsplit(":", 2)
    if host != socket.gethostname():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError):
        return False
    return False
