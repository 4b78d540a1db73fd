"""A small real forward proxy on 127.0.0.1 for the tests: CONNECT tunnels (https) and absolute-form
GETs (http), with its own host table (it resolves names as a corporate proxy's DNS would) and a log
of every target it was asked for."""

import contextlib
import select
import socket
import threading
from socketserver import StreamRequestHandler, ThreadingTCPServer


class _ProxyHandler(StreamRequestHandler):
    def handle(self):
        head = self.rfile.readline(65536).decode("latin-1")
        headers = []
        while True:
            line = self.rfile.readline(65536)
            if line in (b"\r\n", b"\n", b""):
                break
            headers.append(line)
        method, target, _ = head.split(" ", 2)
        proxy = self.server.proxy
        if method == "CONNECT":
            host, port = target.rsplit(":", 1)
            proxy.record(method, target)
            upstream = proxy.dial(host, int(port))
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.wfile.flush()
            _pipe(self.connection, upstream)
            return
        # An absolute-form request: forward it as origin-form over a fresh connection, then close.
        proxy.record(method, target)
        rest = target.split("://", 1)[1]
        netloc, _, path = rest.partition("/")
        host, _, port = netloc.partition(":")
        upstream = proxy.dial(host, int(port or 80))
        kept = [h for h in headers if not h.lower().startswith((b"connection", b"proxy-"))]
        upstream.sendall(f"{method} /{path} HTTP/1.1\r\n".encode() + b"".join(kept) + b"Connection: close\r\n\r\n")
        while chunk := upstream.recv(65536):
            self.wfile.write(chunk)
        upstream.close()


def _pipe(a: socket.socket, b: socket.socket) -> None:
    sockets = [a, b]
    try:
        while True:
            readable, _, _ = select.select(sockets, [], [], 5)
            if not readable:
                return
            for source in readable:
                data = source.recv(65536)
                if not data:
                    return
                (b if source is a else a).sendall(data)
    finally:
        b.close()


class Proxy:
    def __init__(self, hosts: dict[str, str]):
        self.hosts = hosts
        self.targets: list[tuple[str, str]] = []
        self.lock = threading.Lock()
        self.url = ""

    def record(self, method: str, target: str) -> None:
        with self.lock:
            self.targets.append((method, target))

    def dial(self, host: str, port: int) -> socket.socket:
        return socket.create_connection((self.hosts.get(host, host), port), timeout=5)


@contextlib.contextmanager
def serve_proxy(hosts: dict[str, str]):
    """A forward proxy on 127.0.0.1 that resolves `hosts` names itself; `proxy.url`, `proxy.targets`."""
    proxy = Proxy(hosts)
    server = ThreadingTCPServer(("127.0.0.1", 0), _ProxyHandler)
    server.daemon_threads = True
    server.proxy = proxy
    proxy.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        server.shutdown()
        server.server_close()
