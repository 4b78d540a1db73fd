"""Entries a batch run deferred to its later commits (DIR/_deferred/<run_id>/<chunk>.chunk).

A batch run commits at most --commit_every new articles at a time (pipelines/batch.py): its first
commit polls every source and takes that many of the new entries; the rest are written here, in
chunks, before that commit, and each later commit of the run takes chunks until it has as many
entries and deletes them once it is committed. A run stopped between two commits (Ctrl-C, a crash)
leaves its chunks, and the next run continues them. No reader ever looks here: these are not rows.

Chunks of a run that never committed (its first commit crashed) are deleted: its feed state was not
committed either, so the next poll finds those entries again.
"""

import base64
import json
import re
import secrets

from transforms.storage.commit import write_bytes
from transforms.storage.layout import filesystem, join, table_uri

DEFERRED_DIR = "_deferred"
_CHUNK = re.compile(r"(?P<serial>[0-9a-f]+)-(?P<entries>[0-9]+)\.(?:chunk|jsonl)$")


def write_chunk(output: str, run_id: str, entries: list[dict]) -> str:
    """Save `entries` as one chunk of `run_id`'s deferred entries; its path. Each entry is a line, the
    lengths of the byte strings it holds (an archived page's body), a tab and its JSON with each
    byte string as {"$bytes": n}, then those bytes as they are: bodies written raw, not in base64
    JSON: 3.1 -> 1.2 s to write and read 810 archived pages (142 MB) of bench/backfill.py."""
    path = join(table_uri(output, DEFERRED_DIR), run_id, f"{secrets.token_hex(6)}-{len(entries)}.chunk")
    parts = []
    for entry in entries:
        blobs = []

        def hold(value, blobs=blobs):
            if isinstance(value, bytes):
                blobs.append(value)
                return {"$bytes": len(blobs) - 1}
            raise TypeError(f"{type(value).__name__} is not JSON serializable")

        text = json.dumps(entry, default=hold, ensure_ascii=False)   # escapes tabs and newlines
        parts += [f"{json.dumps([len(b) for b in blobs])}\t{text}\n".encode("utf-8"), *blobs]
    write_bytes(path, b"".join(parts))
    return path


def read_chunk(path: str) -> list[dict]:
    fs, native = filesystem(path)
    with fs.open_input_stream(native) as stream:
        data = stream.read()
    if path.endswith(".jsonl"):   # written by newsbeam before 2026-12: bodies in base64 JSON
        return [json.loads(line, object_hook=_from_base64) for line in data.decode("utf-8").splitlines() if line.strip()]
    entries, at = [], 0
    while at < len(data):
        end = data.index(b"\n", at)
        lengths, text = data[at:end].decode("utf-8").split("\t", 1)
        blobs, at = [], end + 1
        for length in json.loads(lengths):
            blobs.append(data[at:at + length])
            at += length
        entries.append(json.loads(text, object_hook=lambda o, blobs=blobs: blobs[o["$bytes"]]
                                  if o.keys() == {"$bytes"} else o))
    return entries


def _from_base64(obj: dict):
    return base64.b64decode(obj["$bytes"]) if obj.keys() == {"$bytes"} else obj


def _runs_with_chunks(output: str) -> dict[str, list[tuple[str, int]]]:
    """run id -> its chunks (path, entries), in name order."""
    fs, root = filesystem(table_uri(output, DEFERRED_DIR))
    from pyarrow.fs import FileSelector, FileType
    found = {}
    for info in fs.get_file_info(FileSelector(root, allow_not_found=True, recursive=True)):
        match = _CHUNK.search(info.base_name)
        if info.type == FileType.File and match:
            run_id = info.path.rstrip("/").rsplit("/", 2)[-2]
            uri = join(table_uri(output, DEFERRED_DIR), run_id, info.base_name)
            found.setdefault(run_id, []).append((uri, int(match["entries"])))
    return {run_id: sorted(chunks) for run_id, chunks in sorted(found.items())}


def pending_parts(output: str, committed: set[str], size: int) -> list[list[str]]:
    """The deferred chunks of committed runs, grouped into parts of about `size` entries each (a
    part takes whole chunks until it has `size`); chunks of runs that never committed are deleted."""
    parts, current, count = [], [], 0
    for run_id, chunks in _runs_with_chunks(output).items():
        if run_id not in committed:
            for path, _ in chunks:
                remove_chunk(path)
            continue
        for path, entries in chunks:
            current.append(path)
            count += entries
            if count >= size:
                parts.append(current)
                current, count = [], 0
    return parts + ([current] if current else [])


def remove_chunk(path: str) -> None:
    fs, native = filesystem(path)
    fs.delete_file(native)


def remove_empty_runs(output: str) -> None:
    """Delete the folders of runs with no chunk left (a local disk keeps empty folders; object stores have none)."""
    from pyarrow.fs import FileSelector, FileType
    fs, root = filesystem(table_uri(output, DEFERRED_DIR))
    for info in fs.get_file_info(FileSelector(root, allow_not_found=True)):
        if info.type == FileType.Directory and not fs.get_file_info(FileSelector(info.path)):
            fs.delete_dir(info.path)
