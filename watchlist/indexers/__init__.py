"""Torznab indexers (Prowlarr, Jackett and anything speaking Torznab).

Staff add indexers (`models.Indexer`, API key encrypted at rest); a
`torznab` item (watchlist/providers/torznab.py) is checked by searching
them. One search of one indexer is an `IndexerQuery`, shared by every
source that asks the same thing, so N users tracking one series cost one
request per indexer and refresh window (queries.py).
"""
