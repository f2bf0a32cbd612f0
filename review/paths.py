"""File paths as the review app shows them: relative to the folder they were ingested from
(the run's source), never the server's absolute path."""
from __future__ import annotations

import os
from pathlib import PurePath


def display_path(path: str | None, source: str | None) -> str:
    """`path` relative to `source` when it lies under that folder, else its file name."""
    if not path:
        return ""
    if source:
        root = source.rstrip("/\\")
        if root and path.startswith(root + os.sep):
            return path[len(root) + 1:]
    return PurePath(path).name
