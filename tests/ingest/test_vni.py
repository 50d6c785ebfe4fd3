"""VNI-Windows text (VNI-Times fonts) is converted to Unicode like TCVN3, not refused."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ingest.encodings import decode_bytes, remap_vni
from ingest.loaders import load
from tests.conftest import CORPUS

REPORT = next((CORPUS / "txt").glob("004_*.txt"))
# How VNI-Windows writes a Vietnamese letter: the base letter, then one byte for its marks
# (written out from the VNI keyboard/font table, independently of ingest/encodings.py).
TONE = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
CIRCUMFLEX_TONE = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
BREVE_TONE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
I_TONE = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}
SINGLE = {"ơ": "ô", "ư": "ö", "đ": "ñ"}


def vni_letter(ch: str) -> str:
    lower = ch.lower()
    if lower in SINGLE:
        out = SINGLE[lower]
        return out.upper() if ch.isupper() else out
    base, *marks = unicodedata.normalize("NFD", ch)
    tone = next((m for m in marks if m in TONE), "")
    if "\u031b" in marks:  # horn: ơ, ư carry their own letter, then the tone
        code = SINGLE[unicodedata.normalize("NFC", base.lower() + "\u031b")] + TONE.get(tone, "")
    elif "\u0302" in marks:
        code = base.lower() + CIRCUMFLEX_TONE[tone]
    elif "\u0306" in marks:
        code = base.lower() + BREVE_TONE[tone]
    elif base.lower() == "i" and tone:
        code = I_TONE[tone]
    elif base.lower() == "y" and tone == "\u0323":
        code = "yî"
    elif tone:
        code = base.lower() + TONE[tone]
    else:
        return ch
    return code.upper() if ch.isupper() else code


def to_vni(text: str) -> bytes:
    """Unicode Vietnamese -> the bytes a VNI-Times document saved as plain text holds."""
    return "".join(vni_letter(c) for c in unicodedata.normalize("NFC", text)).encode("cp1252")


def test_known_vni_byte_patterns_are_detected_and_converted() -> None:
    """The national motto as VNI-Times bytes, written by hand, and the encoder agreeing with them."""
    motto = (b"Co\xe4ng ho\xf8a xa\xf5 ho\xe4i chu\xfb ngh\xf3a Vie\xe4t Nam\n"
             b"\xd1o\xe4c la\xe4p - T\xf6\xef do - Ha\xefnh phu\xf9c\n")
    assert to_vni("Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n") == motto
    decoded = decode_bytes(motto * 30)
    assert decoded.encoding == "vni"
    assert decoded.text.startswith("Cộng hòa xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc\n")


def test_report_saved_in_vni_loads_exactly_like_the_original(tmp_path: Path) -> None:
    path = tmp_path / "bao_cao_vni.txt"
    path.write_bytes(to_vni(REPORT.read_text(encoding="utf-8")))
    doc, original = load(path), load(REPORT)
    assert [b.text for b in doc.blocks] == [b.text for b in original.blocks]
    assert {k: f.text for k, f in doc.footnotes.items()} == {k: f.text for k, f in original.footnotes.items()}
    assert any("VNI" in note for note in doc.notes)


def test_vni_mojibake_saved_as_utf8_is_converted(tmp_path: Path) -> None:
    original = REPORT.read_text(encoding="utf-8")
    path = tmp_path / "vni_utf8.txt"
    path.write_text(to_vni(original).decode("cp1252"), encoding="utf-8")
    assert [b.text for b in load(path).blocks] == [b.text for b in load(REPORT).blocks]


@given(st.text(max_size=200))
def test_remap_vni_is_total(text: str) -> None:
    assert unicodedata.is_normalized("NFC", remap_vni(text))
