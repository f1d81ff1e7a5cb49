"""Static files: compressed and cache-busted once collected.

`collectstatic` (scripts/run and the Docker image run it) writes every file
under a name with its content's hash (``app.3f2a9c1b.css``), plus gzip and
Brotli copies; pages link the hashed names, and WhiteNoise serves them
compressed with a cache lifetime of a year (a changed file is a new name).

A checkout where collectstatic has not run (the test-suite, ``runserver``)
has no manifest: links then use the plain names, which WhiteNoise serves
from the apps' folders (``WHITENOISE_USE_FINDERS``), instead of every page
failing on a missing manifest entry.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class CompressedManifestStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            # Not collected: neither a manifest entry nor a file under
            # STATIC_ROOT to hash. The finders serve the plain name.
            return name
