"""XML documents as expat can read them.

expat (behind ElementTree, defusedxml and the feed provider's depth
check) reads UTF-8, UTF-16 and the one-byte encodings only: a document
declared as Shift_JIS, EUC-JP, GBK, GB2312 or Big5 (Japanese and Chinese
trackers' feeds) makes it raise ValueError before reading a byte. Such a
document is re-encoded as UTF-8, its declaration saying so, and read like
any other.
"""

from __future__ import annotations

import codecs
import re

# The encoding pseudo-attribute of an XML declaration at the very start.
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)""")
_DECLARED_TEXT = re.compile(r"""^(\s*<\?xml[^>]*?\bencoding\s*=\s*["'])[A-Za-z0-9._-]+""")


def as_utf8(body: bytes) -> bytes:
    """``body`` re-encoded as UTF-8 from the encoding it declares, with the
    declaration rewritten to match. A name Python does not know is read as
    UTF-8; bytes the encoding cannot decode become U+FFFD."""
    match = _DECLARED.match(body[:200])
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name if match else "utf-8"
    except LookupError:
        codec = "utf-8"
    text = body.decode(codec, errors="replace")
    return _DECLARED_TEXT.sub(r"\1utf-8", text, count=1).encode("utf-8")
