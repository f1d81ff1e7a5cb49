"""Series metadata from AniList: the client and its rate limit, the series
records shared by every user's items, titles for release matching, air times
and the checks around them, completion, posters, the calendar and its iCal
feed.

Kept free of imports here: watchlist/models.py imports the models module of
this package while the app registry loads.
"""
