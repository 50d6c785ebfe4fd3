"""Report ids from file names: one spelling per name, nothing that can disguise or hide it.

A report is known by its file name (re-ingesting a name replaces it), and that name is shown in
answers, the library and download links. File names arrive in NFD from macOS, with invisible
bidirectional overrides ("báo cáo\u202efdp.exe" displays as "báo cáoexe.pdf") or zero-width marks.
The id is the NFC name without control or format characters, so the same name typed either way is
the same report and what is shown is what is stored.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

_HIDDEN = {"Cc", "Cf", "Cs", "Co"}
FALLBACK_STEM = "tai-lieu"


def doc_id_for(path: Path) -> str:
    """The report id of a file: its visible, NFC-normalised base name."""
    name = unicodedata.normalize("NFC", Path(path).name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in _HIDDEN).strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        return name.lstrip(".") or FALLBACK_STEM
    stem = stem.lstrip(". ") or FALLBACK_STEM  # never a hidden dot-file in the stored copies
    return f"{stem}.{ext}"
