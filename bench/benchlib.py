"""What every benchmark script needs: the checkout on the path, Django set up as production runs it, peak RSS."""

from __future__ import annotations

import os
import resource
import sys
from pathlib import Path


def checkout_on_path() -> None:
    """Import dean06 from this checkout without installing it; settings as production (no debug wrappers)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEAN06_DEBUG", "false")  # no debug cursor wrappers: measure what production runs


def django_setup() -> None:
    import django

    checkout_on_path()
    django.setup()


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def units_prepare() -> str:
    """Load the official unit lists (DATABASE_URL: a fresh, migrated database); not part of any timing."""
    from dean06.registry.units.loader import units_load

    return str(units_load())
