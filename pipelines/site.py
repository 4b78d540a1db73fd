"""A small real HTTP server on 127.0.0.1 for the demo site and the tests.

Serves a directory, replacing `{{BASE}}` in text files with the server's own base URL
(so feeds can hold absolute links), and logs every request path so tests can count fetches.
Extra routes (path -> handler function) let tests add misbehaving endpoints. Over TLS it
serves a certificate for a host name, and logs each request's Host header and SNI name.
"""

import contextlib
import mimetypes
import os
import ssl
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

    def setup(self):
        self.handshake_failed = False
        tls = self.server.tls
        if tls is not None:  # the handshake runs on this request's thread, not the accept loop
            try:
                self.request = tls.wrap_socket(self.request, server_side=True)
            except OSError:  # a client that refused our certificate: nothing to serve
                self.handshake_failed = True
                return
        super().setup()

    def handle(self):
        if not self.handshake_failed:
            super().handle()

    def finish(self):
        if not self.handshake_failed:
            super().finish()

    def do_GET(self):
        site = self.server.site
        path = self.path.split("?", 1)[0]
        with site.lock:
            site.requests.append(self.path)
            site.log.append({"path": self.path, "host": self.headers.get("Host"),
                             "sni": getattr(self.request, "sni_name", None),
                             "connection": self.client_address[1]})
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


class _KeepAliveHandler(_Handler):
    protocol_version = "HTTP/1.1"


class Site:
    """A running server: `base` URL, `requests` log, `count(prefix)` of requests seen."""

    def __init__(self, root: str, routes: dict | None = None):
        self.root = os.path.abspath(root)
        self.routes = dict(routes or {})
        self.requests: list[str] = []
        self.log: list[dict] = []   # path, Host header, SNI name and client port of every request
        self.lock = threading.Lock()
        self.base = ""

    def count(self, prefix: str = "/") -> int:
        with self.lock:
            return sum(1 for path in self.requests if path.startswith(prefix))


def _remember_sni(ssl_socket, server_name, context):
    ssl_socket.sni_name = server_name


@contextlib.contextmanager
def serve(root: str, routes: dict | None = None, port: int = 0, host: str = "127.0.0.1",
          name: str | None = None, tls: ssl.SSLContext | None = None, keep_alive: bool = False):
    """Serve `root` on `host` (a free port unless given) for the duration of the block, over TLS
    with `tls` (a server context); `name` is the host name in the site's base URL. With
    `keep_alive`, HTTP/1.1 connections stay open between requests (every route must then send
    Content-Length, as `reply` does)."""
    site = Site(root, routes)
    server = ThreadingHTTPServer((host, port), _KeepAliveHandler if keep_alive else _Handler)
    server.daemon_threads = True
    server.site = site
    server.tls = tls
    if tls is not None:
        tls.sni_callback = _remember_sni
    site.base = f"{'https' if tls else 'http'}://{name or host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="newsbeam-site", daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
