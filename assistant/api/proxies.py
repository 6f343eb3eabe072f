"""Forwarded headers by configuration: `X-Forwarded-For` is believed only from the proxies the operator lists.

uvicorn trusts loopback by default, so behind a same-host proxy (or from any local process) a rotated
`X-Forwarded-For` became a new client address for every request, and the rate limits counted nobody. The
setting `trusted_proxies` (empty by default) is the one list: `assistant serve` hands it to uvicorn, which
then rewrites the client address only for connections from those addresses, and the gate sees the result.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from ..errors import ConfigurationError
from ..settings import Settings


def trusted_proxies(entries: list[str]) -> list[str]:
    """The configured proxy addresses and networks, checked.

    Raises:
        ConfigurationError: an entry is neither an IP address nor a network in CIDR notation.
    """
    checked: list[str] = []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as exc:
            raise ConfigurationError(f"trusted_proxies: {entry!r} is not an IP address or CIDR network") from exc
        checked.append(entry)
    return checked


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's proxy options for the settings: forwarded headers only from `trusted_proxies`, else never."""
    trusted = trusted_proxies(settings.trusted_proxies)
    return {"proxy_headers": bool(trusted), "forwarded_allow_ips": trusted or []}
