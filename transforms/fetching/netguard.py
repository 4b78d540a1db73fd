"""Which address a connection dials, and the SSRF guard on it.

The guard refuses loopback, private, link-local (cloud metadata), multicast and reserved
addresses, in every spelling: an IPv6 address that embeds an IPv4 one (IPv4-mapped, NAT64, 6to4)
is judged by the IPv4 address, and Teredo, NAT64 local-use, IPv4-compatible and IPv4-translated
forms are refused outright (see is_public). It checks each address when the connection is made, on the address actually
dialled, so neither a redirect nor a DNS answer that changes between check and use
(rebinding) gets past it. The connection keeps the host *name*: TLS verifies the certificate
against it, sends it as SNI, and every request carries it in `Host`, as browsers do.

Behind a proxy the proxy dials, not us: the guard then refuses a URL whose host is a
non-public address or resolves here to one, but cannot see what the proxy's own DNS answers.
"""

import dataclasses
import functools
import ipaddress
import socket
import sys

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NameResolutionError, NewConnectionError
from urllib3.util import connection as urllib3_connection


class BlockedAddress(Exception):
    """The URL's host is, or resolves to, an address that public crawling must not reach."""


# IPv6 prefixes that carry an IPv4 address: a packet to one reaches that IPv4 host through a
# translator or tunnel (NAT64 RFC 6052, 6to4 RFC 3056), so they are judged by the IPv4 address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")            # well-known prefix: the last 32 bits
_SIXTOFOUR = ipaddress.ip_network("2002::/16")           # bits 16..48
# Refused whatever they embed: local-use NAT64 (RFC 8215, a site's own translator, which may reach
# anything), Teredo (RFC 4380, 2001::/32: its client address is obfuscated and the server is a
# relay; no news site is reached only over Teredo), IPv4-compatible ::a.b.c.d (deprecated, RFC
# 4291, and :: and ::1 live there), IPv4-translated ::ffff:0:a.b.c.d (SIIT, RFC 6145), and the
# documentation prefixes (2001:db8::/32, 3fff::/20) that Python's tables may not know.
_REFUSED6 = tuple(ipaddress.ip_network(n) for n in (
    "64:ff9b:1::/48", "2001::/32", "::/96", "::ffff:0:0:0/96", "2001:db8::/32", "3fff::/20"))
_GLOBAL_UNICAST = ipaddress.ip_network("2000::/3")       # every IPv6 address allocated for the Internet


def embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for: IPv4-mapped, NAT64 well-known prefix, 6to4."""
    if ip.ipv4_mapped:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _SIXTOFOUR:
        return ipaddress.IPv4Address((int(ip) >> 80) & 0xFFFFFFFF)
    return None


def _public_ipv4(ip: ipaddress.IPv4Address) -> bool:
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_private or ip.is_loopback
                                 or ip.is_link_local or ip.is_unspecified)


def is_public(address: str) -> bool:
    """True for an address public crawling may dial, in any spelling: IPv4, or IPv6 global unicast
    that is not special-purpose; an IPv6 form embedding an IPv4 address (mapped ::ffff:a.b.c.d,
    NAT64 64:ff9b::a.b.c.d, 6to4 2002:AABB:CCDD::) is judged by that IPv4 address, and the forms in
    _REFUSED6 (Teredo, NAT64 local-use, IPv4-compatible, SIIT, documentation) are always refused."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv4Address):
        return _public_ipv4(ip)
    v4 = embedded_ipv4(ip)
    if v4 is not None:
        return _public_ipv4(v4)
    if any(ip in network for network in _REFUSED6):
        return False
    return ip in _GLOBAL_UNICAST and ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_private
                                                          or ip.is_site_local or ip.is_link_local)


def parse_pin(spec: str) -> tuple[str, str, tuple[str, ...]]:
    """`HOST:PORT:ADDRESS[,ADDRESS...]` (curl's --resolve; PORT may be `*`, IPv6 in brackets) ->
    (host, port, addresses). Raises ValueError naming what is wrong."""
    host, sep1, rest = spec.partition(":")
    port, sep2, addresses = rest.partition(":")
    if not (sep1 and sep2 and host and addresses) or not (port == "*" or port.isdigit()):
        raise ValueError(f"--resolve takes HOST:PORT:ADDRESS[,ADDRESS...], not {spec!r}")
    parsed = []
    for address in addresses.split(","):
        address = address.strip().strip("[]")
        ipaddress.ip_address(address)  # ValueError names the bad address
        parsed.append(address)
    return host.lower().rstrip("."), port, tuple(parsed)


@dataclasses.dataclass(frozen=True)
class DialPolicy:
    """How a worker resolves and checks the addresses it dials.

    guard: refuse non-public addresses (off only with --allow_private_hosts).
    allowed_networks: private networks dialled all the same (--allow_private_network), e.g. an
      intranet news site, while everything else stays guarded.
    pins: `HOST:PORT:ADDRESS[,...]` entries that replace DNS for those names (--resolve), as curl's.
    """
    guard: bool = True
    allowed_networks: tuple[str, ...] = ()
    pins: tuple[str, ...] = ()

    @functools.cached_property
    def _networks(self):
        return tuple(ipaddress.ip_network(n, strict=False) for n in self.allowed_networks)

    @functools.cached_property
    def _pins(self) -> dict:
        table = {}
        for spec in self.pins:
            host, port, addresses = parse_pin(spec)
            table[(host, port)] = addresses
        return table

    def permits(self, address: str) -> bool:
        if not self.guard or is_public(address):
            return True
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        candidates = [ip]
        if isinstance(ip, ipaddress.IPv6Address) and embedded_ipv4(ip) is not None:
            candidates.append(embedded_ipv4(ip))  # ::ffff:10.0.0.5 is in an allowed 10.0.0.0/8
        return any(c in network for c in candidates for network in self._networks if c.version == network.version)

    def resolve(self, host: str, port: int) -> list[str]:
        """Every address of `host`, in the resolver's order (pinned ones first-class)."""
        host = host.lower().rstrip(".").strip("[]")
        pinned = self._pins.get((host, str(port))) or self._pins.get((host, "*"))
        if pinned:
            return list(pinned)
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)  # gaierror when it can't
        return list(dict.fromkeys(info[4][0] for info in infos))

    def addresses_to_dial(self, host: str, port: int) -> list[str]:
        """The addresses of `host` the policy permits, in order; BlockedAddress when there are none.
        A name with a public and a private address dials only the public one."""
        addresses = self.resolve(host, port)
        permitted = [a for a in addresses if self.permits(a)]
        if not permitted:
            raise BlockedAddress(f"{host} resolves to non-public address {addresses[0]} "
                                 "(--allow_private_network CIDR or --allow_private_hosts for local sources)")
        return permitted

    def check_proxied_host(self, host: str, port: int) -> None:
        """Before a request goes to a proxy: refuse a host that is, or resolves here to, only
        non-public addresses. A name this machine can't resolve is the proxy's to resolve."""
        try:
            self.addresses_to_dial(host, port)
        except socket.gaierror:
            pass


class _PolicyMixin:
    """A urllib3 connection that dials through a DialPolicy (set on the subclass made per fetcher)."""

    policy: DialPolicy

    def _new_conn(self):
        if self.proxy is not None:  # the user's proxy: dialled as configured, the target checked before
            return super()._new_conn()
        try:
            addresses = self.policy.addresses_to_dial(self._dns_host, self.port)
        except socket.gaierror as exc:
            raise NameResolutionError(self.host, self, exc) from exc
        error = None
        for address in addresses:  # several A/AAAA records: one dead address must not fail the fetch
            try:
                sock = urllib3_connection.create_connection(
                    (address, self.port), self.timeout, source_address=self.source_address,
                    socket_options=self.socket_options)
            except socket.timeout as exc:
                error = ConnectTimeoutError(self, f"Connection to {self.host} ({address}) timed out. "
                                                  f"(connect timeout={self.timeout})")
                error.__cause__ = exc
            except OSError as exc:
                error = NewConnectionError(self, f"Failed to establish a new connection to {address}: {exc}")
                error.__cause__ = exc
            else:
                sys.audit("http.client.connect", self, self.host, self.port)
                return sock
        raise error


def pool_classes(policy: DialPolicy) -> dict:
    """urllib3 pool classes by scheme whose connections dial through `policy`."""
    http = type("PolicyHTTPConnection", (_PolicyMixin, HTTPConnection), {"policy": policy})
    https = type("PolicyHTTPSConnection", (_PolicyMixin, HTTPSConnection), {"policy": policy})
    return {"http": type("PolicyHTTPConnectionPool", (HTTPConnectionPool,), {"ConnectionCls": http}),
            "https": type("PolicyHTTPSConnectionPool", (HTTPSConnectionPool,), {"ConnectionCls": https})}
