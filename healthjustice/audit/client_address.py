"""The address a request came from, believing X-Forwarded-For only from trusted proxies.

Anyone can send an X-Forwarded-For header. It is read only when the connection itself comes
from a proxy named in `HJ_TRUSTED_PROXIES`; then the header is read from the right (the hop
nearest us) and the first address that is not itself a trusted proxy is the client. The
sign-in lockout (django-axes) and the audit trail both use this, so neither can be fooled by
a made-up header.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

MAX_LENGTH = 45  # the longest IPv6 text form

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> list[str]:
    """The comma-separated addresses or CIDR ranges of HJ_TRUSTED_PROXIES, checked."""
    entries = [part.strip() for part in value.split(",") if part.strip()]
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"HJ_TRUSTED_PROXIES: {entry!r} is not an IP address or CIDR range "
                "(for example 10.0.0.5 or 10.0.0.0/24)"
            ) from exc
    return entries


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address | None) -> bool:
    if address is None:
        return False
    networks = _networks(tuple(getattr(settings, "HJ_TRUSTED_PROXIES", ())))
    return any(address.version == net.version and address in net for net in networks)


def client_address(request: HttpRequest | None) -> str:
    """The client's address: REMOTE_ADDR, or what a trusted proxy says it forwarded for."""
    if request is None:
        return ""
    peer_text = str(request.META.get("REMOTE_ADDR", "") or "")
    peer = _address(peer_text)
    if not _trusted(peer):
        return peer_text[:MAX_LENGTH]
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", "") or "")
    client = peer
    for hop in reversed([h for h in forwarded.split(",") if h.strip()]):
        address = _address(hop)
        if address is None:
            # A hop we cannot read: stop at the last address we could believe.
            break
        client = address
        if not _trusted(address):
            break
    return str(client)[:MAX_LENGTH]


def axes_client_ip(request: HttpRequest) -> str | None:
    """`client_address` for django-axes, which stores no address as NULL rather than ""."""
    return client_address(request) or None
