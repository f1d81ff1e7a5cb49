"""The address guard: which hosts and addresses the server may connect to.

A URL is fetchable when its scheme is http or https and *every* address its
host resolves to is allowed. An address is allowed when it is globally
routable, or when the administrator opted in: ``ALLOW_PRIVATE_SOURCES`` lets
the LAN kinds through (loopback, private, link-local, carrier-grade NAT), and
``PRIVATE_SOURCE_ALLOWLIST`` names hosts, addresses, networks or single ports.

Cloud metadata endpoints, unspecified, multicast and reserved addresses stay
refused under ``ALLOW_PRIVATE_SOURCES``: that switch exists for a NAS on the
LAN, and on a cloud VM it must not also hand out the instance's credentials.
Only an explicit allow-list entry lets one of those through.

Settings are read on every call, so an administrator's change (or a test's
``settings`` override) applies to the next connection.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from .errors import FetchError, UnsafeURL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

SCHEMES = ("http", "https")
DEFAULT_PORTS = {"http": 80, "https": 443}

# Categories, worded to complete "address X is ...".
LOOPBACK = "loopback"
PRIVATE = "private"
LINK_LOCAL = "link-local"
CGNAT = "in the carrier-grade NAT range"
METADATA = "a cloud metadata endpoint"
UNSPECIFIED = "unspecified"
MULTICAST = "multicast"
RESERVED = "reserved"

# What ALLOW_PRIVATE_SOURCES opens: the addresses a home or office LAN uses.
_LAN_CATEGORIES = frozenset({LOOPBACK, PRIVATE, LINK_LOCAL, CGNAT})


def _nets(*cidrs: str) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(c) for c in cidrs)


# Checked first and in this order: the first match names the category.
_CATEGORY_NETWORKS: tuple[tuple[str, tuple[IPNetwork, ...]], ...] = (
    (
        METADATA,
        _nets(
            "169.254.169.254/32",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
            "fd00:ec2::254/128",  # AWS over IPv6
            "168.63.129.16/32",  # Azure wire server (a public-looking address)
            "100.100.100.200/32",  # Alibaba Cloud
            "192.0.0.192/32",  # Oracle Cloud
        ),
    ),
    # 0.0.0.0 and :: reach the local host on Linux.
    (UNSPECIFIED, _nets("0.0.0.0/8", "::/128")),
    (LOOPBACK, _nets("127.0.0.0/8", "::1/128")),
    (PRIVATE, _nets("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")),
    (LINK_LOCAL, _nets("169.254.0.0/16", "fe80::/10")),
    (CGNAT, _nets("100.64.0.0/10")),
    (MULTICAST, _nets("224.0.0.0/4", "ff00::/8")),
    (
        RESERVED,
        _nets(
            "240.0.0.0/4",  # includes 255.255.255.255
            "192.0.0.0/24",
            "192.0.2.0/24",
            "192.88.99.0/24",
            "198.18.0.0/15",
            "198.51.100.0/24",
            "203.0.113.0/24",
            "fec0::/10",
            "100::/64",
            "2001:db8::/32",
        ),
    ),
)

# IPv6 forms that carry an IPv4 address, judged by that IPv4 address.
_MAPPED = ipaddress.ip_network("::ffff:0:0/96")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
# Forms that are never a legitimate source: deprecated or local-use transition
# prefixes. Refused as reserved, named after the IPv4 inside when that is worse.
_COMPAT = ipaddress.ip_network("::/96")
_NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")
_SIX_TO_FOUR = ipaddress.ip_network("2002::/16")
_TEREDO = ipaddress.ip_network("2001::/32")


@dataclass(frozen=True)
class Verdict:
    category: str
    embedded: ipaddress.IPv4Address | None = None  # the IPv4 inside an IPv6 form

    def words(self) -> str:
        return f"{self.category} (IPv4 {self.embedded})" if self.embedded else self.category


def classify(ip: IPAddress) -> Verdict | None:
    """Why ``ip`` is not a public address, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ipaddress.IPv6Address(ip.packed)  # drop any %scope: it does not change the category
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            inner = _classify_plain(embedded)
            if inner is not None:
                return Verdict(inner, embedded)
            if ip in _MAPPED or ip in _NAT64:
                return None  # a public IPv4 address reached through IPv6
            return Verdict(RESERVED, embedded)
        if ip in _NAT64_LOCAL:
            return Verdict(RESERVED)
    category = _classify_plain(ip)
    return Verdict(category) if category else None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    low32 = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _MAPPED or ip in _NAT64:
        return low32
    if ip in _COMPAT and int(ip) > 1:  # :: and ::1 are themselves, not IPv4 forms
        return low32
    if ip in _SIX_TO_FOUR:
        return ip.sixtofour
    if ip in _TEREDO and ip.teredo:
        return ip.teredo[1]  # the client's (de-obfuscated) address
    return None


def _classify_plain(ip: IPAddress) -> str | None:
    for category, networks in _CATEGORY_NETWORKS:
        if any(ip in net for net in networks if net.version == ip.version):
            return category
    # Anything else the IANA registries say is not globally reachable.
    return None if ip.is_global else RESERVED


# --- the administrator's allow-list -------------------------------------


@dataclass(frozen=True)
class AllowEntry:
    network: IPNetwork | None = None
    host: str | None = None
    port: int | None = None  # None: every port

    def matches(self, host: str, port: int, ip: IPAddress) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.host is not None:
            return self.host == host
        assert self.network is not None
        return any(candidate in self.network for candidate in _same_address_forms(ip))


def _same_address_forms(ip: IPAddress) -> list[IPAddress]:
    # ::ffff:127.0.0.1 is the same socket as 127.0.0.1; an entry for one covers both.
    if isinstance(ip, ipaddress.IPv6Address):
        ip = ipaddress.IPv6Address(ip.packed)
        if ip.ipv4_mapped is not None:
            return [ip, ip.ipv4_mapped]
    return [ip]


@functools.lru_cache(maxsize=16)
def parse_allowlist(entries: tuple[str, ...]) -> tuple[AllowEntry, ...]:
    return tuple(_parse_entry(raw) for raw in entries if raw.strip())


def _parse_entry(raw: str) -> AllowEntry:
    text = raw.strip().lower()
    try:
        return AllowEntry(network=ipaddress.ip_network(text, strict=False))  # CIDR or bare IP
    except ValueError:
        pass
    try:
        parsed = parse_url(f"//{text}")  # host, [v6], host:port, ip:port, [v6]:port
    except LocationParseError:
        parsed = None
    if parsed is None or not parsed.host or parsed.path or parsed.auth or parsed.query:
        raise ImproperlyConfigured(
            f"PRIVATE_SOURCE_ALLOWLIST entry {raw!r} is not a host name, an IP address, a CIDR network "
            "or one of those with :port"
        )
    host = normalize_host(parsed.host)
    try:
        return AllowEntry(network=ipaddress.ip_network(host), port=parsed.port)
    except ValueError:
        return AllowEntry(host=host, port=parsed.port)


def normalize_host(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()


# --- checking ------------------------------------------------------------


def refusal(host: str, port: int, ip: IPAddress) -> str | None:
    """Why connecting to ``ip`` (``host`` resolved to it) is refused, or None."""
    verdict = classify(ip)
    if verdict is None:
        return None
    host = normalize_host(host)
    if settings.ALLOW_PRIVATE_SOURCES and verdict.category in _LAN_CATEGORIES:
        return None
    allowlist = parse_allowlist(tuple(settings.PRIVATE_SOURCE_ALLOWLIST))
    if any(entry.matches(host, port, ip) for entry in allowlist):
        return None
    shown = str(ip).split("%", 1)[0]
    origin = "" if _is_literal_of(host, ip) else f" (from {host})"
    return f"address {shown}{origin} is {verdict.words()} and not allowed"


def _is_literal_of(host: str, ip: IPAddress) -> bool:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).packed == ip.packed
    except ValueError:
        return False


def split_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a URL the guard can consider; no DNS."""
    try:
        # The same parser requests and urllib3 connect with, so the host
        # judged here is the host they would contact.
        parsed = parse_url(url)
    except LocationParseError:
        raise UnsafeURL(f"{url!r} is not a valid URL") from None
    scheme = (parsed.scheme or "").lower()
    if scheme not in SCHEMES:
        raise scheme_refused(scheme)
    if not parsed.host:
        raise UnsafeURL("the URL has no host")
    return scheme, parsed.host.strip("[]"), parsed.port or DEFAULT_PORTS[scheme]


def scheme_refused(scheme: str) -> UnsafeURL:
    shown = f"{scheme}:" if scheme else "a URL without a scheme"
    return UnsafeURL(f"only http and https URLs can be fetched, not {shown}")


AddrInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple]


def resolve_allowed(host: str, port: int, family: int = socket.AF_UNSPEC) -> list[AddrInfo]:
    """Resolve ``host`` and return its addresses, all of them allowed.

    Raises socket.gaierror when the name does not resolve, UnsafeURL when any
    address is refused: a name with one public and one private address is
    refused, because which one a connection gets is not ours to choose.
    """
    # Resolve the name as written (a trailing dot means "absolute, no search
    # domains"); compare it normalized.
    infos = socket.getaddrinfo(host.strip("[]"), port, family, socket.SOCK_STREAM)
    if not infos:
        raise socket.gaierror(socket.EAI_NONAME, "no addresses")
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        reason = refusal(host, port, ip)
        if reason:
            raise UnsafeURL(reason)
    return infos


def dns_error(host: str, exc: socket.gaierror) -> FetchError:
    # A name that does not exist will not exist a second later; a resolver
    # that failed (EAI_AGAIN, no network) may well answer then.
    missing = exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME))
    return FetchError(f"cannot resolve host {host}", permanent=missing)


def check_url(url: str) -> None:
    """Refuse (UnsafeURL) a URL the server must not fetch.

    The scheme must be http or https, and every address the host resolves to
    must be allowed (see the module docstring). A host that does not resolve
    raises a plain FetchError: it is not unsafe, just not there.
    """
    _scheme, host, port = split_url(url)
    try:
        resolve_allowed(host, port)
    except socket.gaierror as exc:
        raise dns_error(host, exc) from exc


# --- address ranges, for guards that filter by range -----------------------
# The torrent engine cannot ask per connection: libtorrent takes a table of
# address ranges (its ip_filter) and applies it to peers, trackers and web
# seeds itself. These two functions are the same rules as `refusal()`, said
# as ranges.


def _ipv6_forms(network: ipaddress.IPv4Network) -> list[ipaddress.IPv6Network]:
    """The IPv6 ranges that carry addresses of an IPv4 network (and that
    `classify` judges by that IPv4 address): mapped, NAT64, 6to4."""
    base, bits = int(network.network_address), network.prefixlen
    return [
        ipaddress.IPv6Network((int(_MAPPED.network_address) | base, 96 + bits)),
        ipaddress.IPv6Network((int(_NAT64.network_address) | base, 96 + bits)),
        ipaddress.IPv6Network((int(_SIX_TO_FOUR.network_address) | (base << 80), 16 + bits)),
    ]


def refused_networks() -> list[IPNetwork]:
    """Every network whose addresses are refused under the current settings
    (before the allow-list, see `allowlisted_networks`)."""
    # ::/96 holds IPv4-compatible forms, except :: and ::1 (judged as themselves below).
    refused: list[IPNetwork] = [*_COMPAT.address_exclude(ipaddress.ip_network("::/127")), _NAT64_LOCAL]
    for category, networks in _CATEGORY_NETWORKS:
        if settings.ALLOW_PRIVATE_SOURCES and category in _LAN_CATEGORIES:
            continue
        for network in networks:
            refused.append(network)
            if isinstance(network, ipaddress.IPv4Network):
                refused.extend(_ipv6_forms(network))
    return refused


def allowlisted_networks() -> list[IPNetwork]:
    """The allow-list as networks: CIDR and address entries as written, host
    names as the addresses they resolve to now. Entries limited to one port
    are left out: a range table cannot say "this port only", and opening the
    whole address would allow more than the administrator did."""
    allowed: list[IPNetwork] = []
    for entry in parse_allowlist(tuple(settings.PRIVATE_SOURCE_ALLOWLIST)):
        if entry.port is not None:
            continue
        if entry.network is not None:
            allowed.append(entry.network)
            continue
        try:
            infos = socket.getaddrinfo(entry.host, None, proto=socket.IPPROTO_TCP)
        except (socket.gaierror, UnicodeError):
            continue
        allowed.extend(ipaddress.ip_network(info[4][0].split("%", 1)[0]) for info in infos)
    return allowed
