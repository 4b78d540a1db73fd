"""Named consumers of `newsbeam tail`: their positions in DIR/_events/<NAME>.json.

A position file holds, per table, the last Delta version whose events the consumer printed. It is
written after each batch is printed and flushed, whole (a temp file renamed over it, one PUT on an
object store), so a consumer that stops resumes after the last batch it printed: at-least-once to
stdout (a kill between a batch's flush and the write repeats that one batch; SIGTERM and Ctrl-C
stop between batches and repeat nothing).
"""

import datetime as dt
import json
import re
import secrets

import pyarrow.fs as pafs

from transforms.storage.layout import filesystem, join, table_uri

EVENTS_DIR = "_events"
POSITION_SCHEMA = "newsbeam.position/1"
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")


class BadConsumer(ValueError):
    """A consumer name that is not a safe file name, or an unreadable position file."""


def check_name(name: str) -> str:
    if not NAME.fullmatch(name or "") or name.endswith(".tmp"):
        raise BadConsumer(f"--consumer takes a name of letters, digits, '_', '.' and '-' (at most 64, "
                          f"starting with a letter or digit): {name!r}")
    return name


def position_file(output: str, name: str) -> str:
    return join(table_uri(output, EVENTS_DIR), f"{check_name(name)}.json")


def load_positions(output: str, name: str) -> dict[str, int] | None:
    """The consumer's positions ({table: version}), or None for a consumer not seen before."""
    fs, path = filesystem(position_file(output, name))
    if fs.get_file_info(path).type == pafs.FileType.NotFound:
        return None
    try:
        with fs.open_input_stream(path) as stream:
            data = json.loads(stream.read())
        return {table: int(version) for table, version in data["tables"].items()}
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise BadConsumer(f"the position file {path} of consumer {name!r} is unreadable ({exc}): "
                          "delete it to start that consumer again") from None


def save_positions(output: str, name: str, positions: dict[str, int]) -> None:
    """Replace the consumer's position file whole."""
    fs, path = filesystem(position_file(output, name))
    data = {"schema": POSITION_SCHEMA, "consumer": name, "tables": dict(sorted(positions.items())),
            "updated_at": dt.datetime.now(dt.timezone.utc).isoformat().replace("+00:00", "Z")}
    fs.create_dir(path.rsplit("/", 1)[0], recursive=True)
    temp = path if "://" in output else f"{path}.{secrets.token_hex(4)}.tmp"
    with fs.open_output_stream(temp) as stream:
        stream.write(json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
    if temp != path:
        fs.move(temp, path)   # rename(2): atomic
