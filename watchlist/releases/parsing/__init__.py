"""The stages of the release-name parser (``watchlist.releases.parse``)."""
