"""Hard-wrapped text (a PDF saved as .txt): re-join lines, pull out page-bottom footnotes.

In such text every visual line is a line of the file, footnotes sit after a
separator line (a run of spaces or underscores) at each page end as
"1 Đường kết", and marks in the body are written "(1)".
"""

from __future__ import annotations

import re

from ingest.loaders.blocks import is_page_number, link_marks
from ingest.repair import Line, Paragraph, clean, join, opens_block, reflow, starts_lower

_SEPARATOR = re.compile(r"^[ \t_\-–—]{10,}$")
_FN_START = re.compile(r"^(\d{1,3})\s+(\S.*)$")
_PAREN_MARK = re.compile(r"(?<=\S)\((\d{1,3})\)")


def is_hard_wrapped(lines: list[str]) -> bool:
    """Many lines continue in lower case on the next line: the text was wrapped by width."""
    texts = [t.strip() for t in lines if t.strip()]
    if len(texts) < 8:
        return False
    continued = sum(1 for t in texts[1:] if starts_lower(t))
    return continued / len(texts) > 0.15


def parse_wrapped(lines: list[str]) -> tuple[list[Paragraph], dict[int, str]]:
    """Paragraphs (marks canonical) and footnotes {number: text} of hard-wrapped text."""
    body: list[Line] = []
    footnotes: dict[int, str] = {}
    in_notes = False
    for raw in lines:
        if _SEPARATOR.match(raw):
            in_notes = True
            continue
        text = raw.strip()
        if not text:
            continue
        if in_notes and (raw[:1] in " \t" or opens_block(text)):
            in_notes = False  # the first line of the next page
        if in_notes and _add_footnote_line(footnotes, text):
            continue
        in_notes = False
        if not is_page_number(text):
            body.append(Line(text))
    paras = reflow(body)
    texts = link_marks([p.text for p in paras], list(footnotes), _PAREN_MARK)
    for p, t in zip(paras, texts, strict=True):
        p.text = t
    return paras, {k: clean(v) for k, v in footnotes.items()}


def _add_footnote_line(footnotes: dict[int, str], text: str) -> bool:
    """Start the next footnote or continue the last one; False if the line is not a footnote."""
    m = _FN_START.match(text)
    last = max(footnotes, default=0)
    if m and int(m.group(1)) == last + 1:
        footnotes[last + 1] = m.group(2)
        return True
    if last:
        footnotes[last] = join(footnotes[last], text)
        return True
    return False
