"""A small real HTTP server on 127.0.0.1 for the demo site and the tests.

Serves a directory, replacing `{{BASE}}` in text files with the server's own base URL
(so feeds can hold absolute links), and logs every request path so tests can count fetches.
Extra routes (path -> handler function) let tests add misbehaving endpoints.
"""

import contextlib
import mimetypes
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

BASE_TOKEN = b"{{BASE}}"
_TEMPLATED = (".xml", ".rss", ".atom", ".rdf", ".html", ".htm", ".opml", ".txt")
_TYPES = {".xml": "application/xml", ".rss": "application/rss+xml", ".atom": "application/atom+xml",
          ".rdf": "application/rdf+xml", ".html": "text/html; charset=utf-8", ".opml": "text/x-opml"}


def demo_site_dir() -> str:
    return str(resources.files("pipelines") / "demo_site")


class _Handler(BaseHTTPRequestHandler):
    server_version = "newsbeam-site/1"

    def log_message(self, *args):  # the request log is kept in memory, not printed
        pass

    def do_GET(self):
        site = self.server.site
        path = self.path.split("?", 1)[0]
        with site.lock:
            site.requests.append(self.path)
        route = site.routes.get(path)
        if route is not None:
            return route(self)
        file = os.path.normpath(os.path.join(site.root, path.lstrip("/")))
        if os.path.isdir(file):
            file = os.path.join(file, "index.html")
        if not file.startswith(site.root) or not os.path.isfile(file):
            return self.reply(404, b"not found", "text/plain")
        with open(file, "rb") as f:
            body = f.read()
        ext = os.path.splitext(file)[1]
        if ext in _TEMPLATED:
            body = body.replace(BASE_TOKEN, site.base.encode())
        self.reply(200, body, _TYPES.get(ext) or mimetypes.guess_type(file)[0] or "application/octet-stream")

    def reply(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class Site:
    """A running server: `base` URL, `requests` log, `count(prefix)` of requests seen."""

    def __init__(self, root: str, routes: dict | None = None):
        self.root = os.path.abspath(root)
        self.routes = dict(routes or {})
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.base = ""

    def count(self, prefix: str = "/") -> int:
        with self.lock:
            return sum(1 for path in self.requests if path.startswith(prefix))


@contextlib.contextmanager
def serve(root: str, routes: dict | None = None, port: int = 0):
    """Serve `root` on 127.0.0.1 (a free port unless given) for the duration of the block."""
    site = Site(root, routes)
    server = ThreadingHTTPServer(("127.0.0.1", port), _Handler)
    server.daemon_threads = True
    server.site = site
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="newsbeam-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
