"""The address rules of `downloads.net.addresses`, as a libtorrent ip_filter.

libtorrent connects to peers, trackers (`apply_ip_filter_to_trackers`) and
web seeds by itself; the filter is how the same rules as for HTTP reach those
connections: loopback, private, link-local, metadata and reserved addresses
are refused unless ALLOW_PRIVATE_SOURCES or PRIVATE_SOURCE_ALLOWLIST allow
them. Rules added later win where ranges overlap, so the allow-list goes last.
"""

from __future__ import annotations

import ipaddress

import libtorrent as lt

from downloads.net.addresses import IPNetwork, allowlisted_networks, refused_networks

BLOCKED = 1  # libtorrent's ip_filter.blocked flag
ALLOWED = 0


def _add(table: lt.ip_filter, network: IPNetwork, flags: int) -> None:
    table.add_rule(str(network.network_address), str(network.broadcast_address), flags)


def build_ip_filter() -> lt.ip_filter:
    table = lt.ip_filter()
    for network in refused_networks():
        _add(table, network, BLOCKED)
    for network in allowlisted_networks():
        _add(table, network, ALLOWED)
    return table


def is_blocked(table: lt.ip_filter, address: str) -> bool:
    return bool(table.access(str(ipaddress.ip_address(address))) & BLOCKED)
