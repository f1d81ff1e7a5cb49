"""External torrent clients (qBittorrent, Transmission) that staff already
run: their configuration, the adapters that speak to them, and the download
flow that adds a torrent there, follows it and imports the finished file
into the library. The backends `downloads/backends/qbittorrent.py` and
`transmission.py` are thin names for that flow."""
