"""Release names and releases: what a name says (parse), which series and
episode a release is for an item (match), what the user's rules allow
(rules), which one to take (choose, quality), and when a later release
replaces a downloaded one (upgrade).

The public names below are the package's API; callers import them from
``watchlist.releases``.
"""

from .languages import language_matches, normalize_language
from .names import ReleaseName, merged
from .parse import parse_release
from .quality import QUALITY_AUTO, best_per_episode, better_release, pick_release, quality_height, release_rank

__all__ = [
    "QUALITY_AUTO",
    "ReleaseName",
    "best_per_episode",
    "better_release",
    "language_matches",
    "merged",
    "normalize_language",
    "parse_release",
    "pick_release",
    "quality_height",
    "release_rank",
]
