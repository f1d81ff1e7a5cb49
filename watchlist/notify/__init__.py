"""Telling users where things are: notification targets (Apprise URLs),
the events that reach them grouped and on the user's digest rhythm, and the
feed of downloaded episodes.

- ``events.emit()``: the one door every event goes through (in-app row,
  then the outbox of each target that wants it);
- ``grouping``: "Frieren: episodes 5-8 downloaded" from four events;
- ``delivery``: when a target's pending events are due, and sending them;
- ``targets``: validating, encrypting, masking and sending to Apprise URLs;
- ``feeds`` and ``ranged``: the podcast-style feed and its file endpoint.

Plain package: ``defaults`` is imported by settings.py, so nothing here
imports Django models at package level.
"""
