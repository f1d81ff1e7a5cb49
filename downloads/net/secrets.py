"""Secrets that ride in download URLs, masked before anyone is shown them.

Indexers and private trackers put the user's key in the links they hand out
(``.../download?apikey=...``, ``/announce?passkey=...``). The link is stored
as is because the worker needs it to fetch the file, but the API, the
dashboard and logs show it to people who must not learn the key: staff's
indexer key to every user, a user's passkey in a shared screenshot.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "REDACTED"

# Query parameter names that carry a credential in the links of Torznab
# indexers (apikey), Prowlarr/Jackett proxies, private trackers (passkey,
# torrent_pass, authkey) and signed CDN links. Compared case-insensitively.
SECRET_PARAMETERS = frozenset(
    {
        "apikey",
        "api_key",
        "api-key",
        "passkey",
        "torrent_pass",
        "authkey",
        "auth",
        "key",
        "token",
        "access_token",
        "password",
        "pass",
        "sig",
        "signature",
    }
)


def mask_url_secrets(url: str) -> str:
    """The URL with credential-bearing query values and any password replaced.

    Returns the input unchanged when it holds no secret, so plain links keep
    their exact spelling; magnets are left alone (they carry no credential,
    and their trackers' passkeys sit in the ``tr`` value, masked below).
    """
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    changed = False
    netloc = parts.netloc
    if parts.password is not None:
        host = netloc.rpartition("@")[2]
        netloc = f"{parts.username or ''}:{MASK}@{host}"
        changed = True
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    masked_pairs = []
    for name, value in pairs:
        if name.lower() in SECRET_PARAMETERS and value:
            masked_pairs.append((name, MASK))
            changed = True
        elif name == "tr" and value != mask_url_secrets(value):
            masked_pairs.append((name, mask_url_secrets(value)))
            changed = True
        else:
            masked_pairs.append((name, value))
    if not changed:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(masked_pairs, safe=":/"), parts.fragment))
