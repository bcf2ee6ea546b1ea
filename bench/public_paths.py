"""The public pages worth measuring in the demo database; features add theirs here."""
from __future__ import annotations


def public_paths(app) -> list[str]:
    paths = ["/", "/healthz"]
    return paths
