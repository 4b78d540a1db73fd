"""SSRF guard: refuse to connect to loopback, private, link-local, multicast or reserved addresses.

The check runs when the connection is made, on the address actually dialled, so neither a
redirect nor a DNS answer that changes between check and use (rebinding) gets past it.
"""

import ipaddress
import socket

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class BlockedAddress(Exception):
    """The URL's host is, or resolves to, an address that public crawling must not reach."""


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_address(host: str, port: int) -> str:
    """The first address of `host`, if every address it resolves to is public; else BlockedAddress."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise OSError(f"cannot resolve {host}: {exc.strerror}") from exc
    addresses = [info[4][0] for info in infos]
    blocked = [a for a in addresses if not is_public(a)]
    if blocked:
        raise BlockedAddress(f"{host} resolves to non-public address {blocked[0]} "
                             "(use --allow_private_hosts for local sources)")
    return addresses[0]


class _GuardedMixin:
    def _new_conn(self):
        # Dial the checked address itself; TLS still verifies and sends SNI for the host name.
        self._dns_host = public_address(self._dns_host, self.port)
        return super()._new_conn()


class GuardedHTTPConnection(_GuardedMixin, HTTPConnection):
    pass


class GuardedHTTPSConnection(_GuardedMixin, HTTPSConnection):
    pass


class GuardedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = GuardedHTTPSConnection


GUARDED_POOLS = {"http": GuardedHTTPConnectionPool, "https": GuardedHTTPSConnectionPool}
