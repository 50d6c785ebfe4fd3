"""The content hash of a file: how ingest tells a changed report and OCR tells a scan it has read."""

from __future__ import annotations

import hashlib
from pathlib import Path


def file_sha256(path: Path) -> str:
    """SHA-256 of the file's bytes, read in 1 MB blocks (reports may be scans of hundreds of MB)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
