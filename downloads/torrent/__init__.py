"""The embedded BitTorrent engine (libtorrent), used by the `torrent` backend.

- `engine.py`: one libtorrent session per worker process, and why.
- `session.py`: the session's settings, from the TORRENT_* settings.
- `ipfilter.py`: the HTTP address rules as libtorrent's ip_filter.
- `source.py`: a release link to a torrent (guarded .torrent fetch, magnets).
- `selection.py`: which files of a torrent are the wanted episodes.
- `download.py`: one attempt, from the link to files in the library.
- `resume.py`: resume data on disk, for restarts after a crash.
"""
