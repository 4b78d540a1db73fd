"""Web archives (WARC, and ARC read as WARC; gzip per record or whole file) to archived pages.

`read_archive` walks one file's records with warcio and yields what each became: a page (an HTML
`response` with status 200 that passes the filters), a skip (counted, not kept) or a failure with
the file and offset. A record that can't be read does not end the file: on a seekable file the
reader looks for the next record (the next gzip member, or the next `WARC/1.x` line) and goes on.

`cc_news_archives` lists the files of Common Crawl's news archive for some months.
"""

import contextlib
import dataclasses
import gzip
import io
import re
import zlib
from urllib.parse import urlsplit

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from warcio.archiveiterator import ArchiveIterator

from transforms.fetching.fetch import Fetcher
from transforms.records import DateWindow, utc_iso

CC_NEWS_BASE = "https://data.commoncrawl.org"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_LANG = re.compile(rb"""<html[^>]*?\blang\s*=\s*["']?([A-Za-z]{2,3})""", re.I)
_GZIP_START = b"\x1f\x8b\x08"
_RECORD_STARTS = (_GZIP_START, b"WARC/1.", b"filedesc://")


@dataclasses.dataclass(frozen=True)
class RecordFilter:
    """What of an archive to ingest: --hosts (a host or any of its subdomains), --since/--until on the
    capture date, --languages (from Content-Language or <html lang>; pages that say nothing pass)."""
    hosts: tuple[str, ...] = ()
    window: DateWindow = DateWindow()
    languages: tuple[str, ...] = ()

    def host_kept(self, url: str) -> bool:
        if not self.hosts:
            return True
        host = (urlsplit(url).hostname or "").lower()
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def language_kept(self, content_language: str | None, payload: bytes) -> bool:
        if not self.languages:
            return True
        declared = content_language or ""
        if not declared:
            match = _LANG.search(payload[:8192])
            declared = match.group(1).decode("ascii") if match else ""
        primary = declared.split(",")[0].strip().split("-")[0].lower()
        return not primary or primary in self.languages


@contextlib.contextmanager
def open_archive(path: str, fetcher: Fetcher):
    """An archive file's raw bytes: any Beam filesystem path (local, gs://, s3://, ...), seekable; or
    an http(s) URL streamed through the fetcher's guarded pool (no recovery past a damaged record)."""
    if path.lower().startswith(("http://", "https://")):
        with fetcher.stream(path) as stream:
            yield stream
        return
    # UNCOMPRESSED: warcio reads the gzip members itself, and their offsets are the records' addresses.
    with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
        yield stream


def read_archive(stream, path: str, keep: RecordFilter = RecordFilter(), max_bytes: int = 10 * 1024 * 1024,
                 with_body: bool = True):
    """Yield ("page", page), ("skip", reason) or ("failure", failure) for each record of one archive.

    page: url, warc_date, warc_record_id, warc_offset, content_type, and with `with_body` the body
    (the HTTP payload; without it, `read_record` fetches it later from the offset).
    failure: offset, url (when known), kind (corrupt_record, truncated_record, too_large), message."""
    if stream.seekable() and stream.read(2) == b"\x1f\x8b":
        stream.seek(0)
        yield from _read_members(stream, path, keep, max_bytes, with_body)
        return
    if stream.seekable():
        stream.seek(0)
    start = 0
    while start is not None:
        start = yield from _read_from(stream, path, keep, max_bytes, start, with_body)


def _read_members(stream, path: str, keep: RecordFilter, max_bytes: int, with_body: bool):
    """A file of gzip members, one record each (the WARC convention), read member by member: a
    damaged member is one failure at its own offset and can't take the next record with it (read
    as one stream, a garbled member's record can run on into the next member's bytes)."""
    for offset, data, cut, problem in _gzip_members(stream, max_bytes + (1 << 20)):
        if problem:
            kind, message = problem
            yield "failure", {"offset": offset, "url": None, "kind": kind,
                              "message": f"{message} at offset {offset} of {path}"}
            continue
        try:
            records = ArchiveIterator(io.BytesIO(data), arc2warc=True)
            for n, record in enumerate(records):
                url = record.rec_headers.get_header("WARC-Target-URI")
                # Only a member's first record can be re-read from the member's offset later.
                outcome = _outcome(record, url, keep, max_bytes, with_body or n > 0)
                records.read_to_end()
                if record.raw_stream.limit > 0 and not cut:
                    outcome = "failure", {"url": url, "kind": "truncated_record",
                                          "message": f"record at offset {offset} of {path} ends before its "
                                                     "Content-Length"}
                if outcome[0] != "skip":
                    outcome[1]["warc_offset" if outcome[0] == "page" else "offset"] = offset
                yield outcome
        except Exception as exc:  # warcio raises many types on damaged bytes
            yield "failure", {"offset": offset, "url": None, "kind": "corrupt_record",
                              "message": f"unreadable record at offset {offset} of {path}: {type(exc).__name__}: "
                                         f"{str(exc)[:200]}"}


def _gzip_members(stream, limit: int, chunk_size: int = 1 << 16):
    """(offset, decompressed bytes, cut, problem) for each gzip member of a seekable stream; at most
    `limit` bytes of each are kept (cut: the member was longer). problem, when the member can't be
    read, is (kind, message), and reading goes on at the next gzip header after its start."""
    position, pending = 0, stream.read(chunk_size)
    while pending:
        start, member, out, size, fed = position, zlib.decompressobj(wbits=31), [], 0, len(pending)
        data = pending
        try:
            while True:
                piece = member.decompress(data, chunk_size)  # bounded: a member may be a bomb
                if size < limit:
                    out.append(piece)
                size += len(piece)
                if member.eof:
                    break
                data = member.unconsumed_tail or stream.read(chunk_size)
                if not member.unconsumed_tail:
                    if not data:
                        yield start, b"", False, ("truncated_record", "the file ends inside a record")
                        return
                    fed += len(data)
        except zlib.error as exc:
            yield start, b"", False, ("corrupt_record", f"unreadable record ({exc})")
            resume = _next_record_start(stream, start + 1, (_GZIP_START,))
            if resume is None:
                return
            stream.seek(resume)
            position, pending = resume, stream.read(chunk_size)
            continue
        pending = member.unused_data
        position = start + fed - len(pending)
        if not pending:
            pending = stream.read(chunk_size)
        yield start, b"".join(out)[:limit], size > limit, None


def addressable(stream, probe: int = 4 << 20) -> bool:
    """True when each record can be read on its own from its offset: an uncompressed file, or one
    gzip member per record (the WARC convention; a whole-file gzip is not). Leaves the stream at 0."""
    try:
        head = stream.read(2)
        if head != b"\x1f\x8b":
            return bool(head)
        stream.seek(0)
        member, read = zlib.decompressobj(wbits=31), 0
        while read < probe and not member.eof:
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            read += len(chunk)
            member.decompress(chunk, 1 << 20)
            while member.unconsumed_tail and not member.eof:
                member.decompress(member.unconsumed_tail, 1 << 20)
        return member.eof and member.unused_data[:2] == b"\x1f\x8b"  # a second member follows the first
    except (OSError, zlib.error):
        return False
    finally:
        stream.seek(0)


def record_stream(stream):
    """(stream to read records from, by_reference): a file whose records stand alone is read as it is,
    each page to be re-read from its offset later (by_reference); anything else gzip-compressed (a
    whole-file gzip, or a stream that can't seek) is read through a decompressor, with offsets into
    the decompressed bytes, and pages keep their bodies."""
    if stream.seekable():
        if addressable(stream):
            return stream, True
        head = stream.read(2)
        stream.seek(0)
    else:
        stream = io.BufferedReader(stream)
        head = stream.peek(2)[:2]
    return (gzip.GzipFile(fileobj=stream) if head == b"\x1f\x8b" else stream), False


def read_record(stream, offset: int, max_bytes: int = 10 * 1024 * 1024) -> bytes:
    """The HTTP payload of the record at `offset` of an addressable archive (see `addressable`)."""
    stream.seek(offset)
    record = next(iter(ArchiveIterator(stream, arc2warc=True)))
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        raise ValueError(f"payload exceeds {max_bytes} bytes")
    return body


def _read_from(stream, path: str, keep: RecordFilter, max_bytes: int, start: int, with_body: bool = True):
    """Records from `start` on; returns where to go on after a record that could not be read (None: done)."""
    if start:
        stream.seek(start)
    records = ArchiveIterator(stream, arc2warc=True)
    offset = start
    try:
        for record in records:
            url = record.rec_headers.get_header("WARC-Target-URI")
            outcome = _outcome(record, url, keep, max_bytes, with_body)
            offset = records.get_record_offset()  # reads the record to its end
            if record.raw_stream.limit > 0:  # the file ended inside the record's declared length
                yield "failure", {"offset": offset, "url": url, "kind": "truncated_record",
                                  "message": f"record at offset {offset} of {path} ends before its Content-Length"}
                return None
            if outcome[0] == "page":
                outcome[1]["warc_offset"] = offset
            elif outcome[0] == "failure":
                outcome[1]["offset"] = offset
            yield outcome
            offset = records.offset
    except Exception as exc:  # warcio and zlib raise many types on damaged bytes
        failed_at = records.offset if records.offset >= offset else offset
        yield "failure", {"offset": failed_at, "url": None, "kind": "corrupt_record",
                          "message": f"unreadable record at offset {failed_at} of {path}: {type(exc).__name__}: "
                                     f"{str(exc)[:200]}"}
        return _next_record_start(stream, failed_at + 1)
    return None


def _outcome(record, url: str | None, keep: RecordFilter, max_bytes: int, with_body: bool = True):
    if record.rec_type != "response" or not url:
        return "skip", f"{record.rec_type} record"
    if not record.http_headers or record.http_headers.get_statuscode() != "200":
        return "skip", "not an HTTP 200 response"
    content_type = record.http_headers.get_header("Content-Type") or ""
    if not content_type.split(";")[0].strip().lower() in _HTML_TYPES:
        return "skip", "not HTML"
    date = utc_iso(record.rec_headers.get_header("WARC-Date"))
    if not keep.host_kept(url) or not keep.window.holds(date):
        return "skip", "filtered"
    page = {"url": url, "warc_date": date, "warc_record_id": record.rec_headers.get_header("WARC-Record-ID"),
            "content_type": content_type}
    if record.length > max_bytes + 64 * 1024:  # the declared length, HTTP headers included
        return "failure", {"url": url, "kind": "too_large", "message": f"payload exceeds {max_bytes} bytes"}
    if not with_body and not keep.languages:
        return "page", page  # the body is read later, from the record's offset, where it is extracted
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return "failure", {"url": url, "kind": "too_large", "message": f"payload exceeds {max_bytes} bytes"}
    if not keep.language_kept(record.http_headers.get_header("Content-Language"), body):
        return "skip", "filtered"
    return "page", {**page, "body": body} if with_body else page


def _next_record_start(stream, position: int, markers=_RECORD_STARTS) -> int | None:
    """Where the next record after a damaged one seems to start; None when the file can't be searched."""
    try:
        stream.seek(position)
    except (AttributeError, OSError, io.UnsupportedOperation):
        return None  # a stream we can't go back in: the rest of the file is lost, and said so
    tail = b""
    while chunk := stream.read(1 << 20):
        window = tail + chunk
        found = [i for i in (window.find(marker) for marker in markers) if i >= 0]
        if found:
            return position - len(tail) + min(found)
        tail = window[-16:]
        position += len(chunk)
    return None


def cc_news_months(spec: str) -> list[str]:
    """`YYYY-MM` or `YYYY-MM..YYYY-MM` -> the months it covers; ValueError when malformed."""
    first, _, last = spec.partition("..")
    last = last or first
    y0, m0 = (int(x) for x in first.split("-"))
    y1, m1 = (int(x) for x in last.split("-"))
    if not (1 <= m0 <= 12 and 1 <= m1 <= 12) or (y0, m0) > (y1, m1):
        raise ValueError(f"--cc_news takes YYYY-MM or YYYY-MM..YYYY-MM, not {spec!r}")
    months = []
    while (y0, m0) <= (y1, m1):
        months.append(f"{y0:04d}/{m0:02d}")
        y0, m0 = (y0 + 1, 1) if m0 == 12 else (y0, m0 + 1)
    return months


def cc_news_listing(month: str) -> str:
    """The path, under the archive's base, of one month's file list (gzip, one path a line)."""
    return f"crawl-data/CC-NEWS/{month}/warc.paths.gz"


MAX_LISTING_BYTES = 64 * 1024 * 1024   # a month's warc.paths.gz is about 1 MB once decompressed


def archive_paths(listing: bytes, base: str, max_bytes: int = MAX_LISTING_BYTES) -> list[str]:
    """The archive files a `warc.paths.gz` names, under `base`. ValueError when it is not gzip or
    holds more than `max_bytes` once decompressed (a bomb is refused without being expanded)."""
    out, size = [], 0
    stream = zlib.decompressobj(wbits=31)
    data = listing
    try:
        while data and not stream.eof:
            piece = stream.decompress(data, 1 << 16)  # bounded output per call
            size += len(piece)
            if size > max_bytes:
                raise ValueError(f"file list exceeds {max_bytes} bytes once decompressed")
            out.append(piece)
            data = stream.unconsumed_tail
            if stream.eof and stream.unused_data:  # gzip files may be several members end to end
                data, stream = stream.unused_data, zlib.decompressobj(wbits=31)
    except zlib.error as exc:
        raise ValueError(f"file list is not readable gzip ({exc})") from None
    if not stream.eof:
        raise ValueError("file list is not readable gzip (it ends early)")
    text = b"".join(out).decode("utf-8")
    return [f"{base.rstrip('/')}/{line.strip()}" for line in text.splitlines() if line.strip()]
