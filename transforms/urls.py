"""URL canonicalisation and the stable article id derived from it."""

import hashlib
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that only track where a click came from; they never change the page.
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "oly_")
_TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "igshid", "mkt_tok", "_ga", "_hsenc",
    "_hsmi", "ref_src", "cmpid", "ncid", "ocid", "smid", "sr_share", "at_medium", "at_campaign",
})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name in _TRACKING_PARAMS or name.startswith(_TRACKING_PREFIXES)


def canonical_url(url: str) -> str:
    """The form of `url` used to recognise the same article behind different links.

    Lower-cases scheme and host, drops default ports, fragments, tracking parameters and
    a trailing `?`, and sorts the remaining query so parameter order doesn't matter.
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    if parts.username:  # credentials are not part of an article's identity, but keep them working
        host = f"{parts.username}{':' + parts.password if parts.password else ''}@{host}"
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k))
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def article_id(url: str) -> str:
    """A stable 16-hex-digit id for the article behind `url` (hash of its canonical form)."""
    return hashlib.sha1(canonical_url(url).encode("utf-8")).hexdigest()[:16]


def record_id(*parts) -> str:
    """A stable id for a derived record (a quote, a figure, an error) from what identifies it."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()[:16]
