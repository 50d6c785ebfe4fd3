"""Decode report bytes: UTF-8/16, Windows-1258 and the legacy TCVN3 (ABC) and VNI-Windows font encodings.

Government offices still circulate files typed with the old Vietnamese 8-bit
fonts. Read with the wrong code page they turn into mojibake ("T×nh h×nh s¶n
xuÊt") that must never be indexed, so every decoding is scored for how much
it looks like Vietnamese and the best candidate wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.document import IngestError

# TCVN3 (TCVN 5712:1993, "ABC", VN3) byte -> Unicode, 74 entries.
# Copied from /work/shared/corpus/build/build_bad.py (the corpus README says it is
# identical to viparse 0.1.31 viparse/normalize/tcvn3.py). Bytes < 0x80 are ASCII;
# TCVN3 has no uppercase toned vowels (they were typed with the lowercase codes
# in the all-caps .VnTimeH fonts).
# fmt: off
TCVN3: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}
# fmt: on


def _vietnamese_letters() -> frozenset[str]:
    """Every letter of the Vietnamese alphabet, both cases, precomposed."""
    tones = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    vowels = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
    letters = set("abcdefghijklmnopqrstuvwxyzđ")
    for v in vowels:
        for t in tones:
            letters.add(unicodedata.normalize("NFC", v + t))
    return frozenset(letters | {c.upper() for c in letters})


VI_LETTERS = _vietnamese_letters()
# Non-letters that legitimately touch letters in Vietnamese reports.
_ALLOWED_SYMBOLS = set("“”‘’–—…°²³¹⁰⁴⁵⁶⁷⁸⁹⁽⁾%•€£§±")
_VI_EXTRA = "".join(sorted(c for c in VI_LETTERS if ord(c) >= 0x80))
_SUSPECT = re.compile(f"[^\x00-\x7f{_VI_EXTRA}]")
# "xuÊt": an accented capital right after a lower-case letter.
_VI_LOWER = "".join(c for c in _VI_EXTRA if c.islower())
_VI_UPPER = "".join(c for c in _VI_EXTRA if c.isupper())
_CAP_INSIDE = re.compile(f"(?<=[a-z{_VI_LOWER}])[{_VI_UPPER}]")
# All TCVN3 codes are >= 0xA1, where Windows-1252 equals Latin-1: byte b reads as chr(b).
_TCVN3_FROM_CP1252 = {chr(b): u for b, u in TCVN3.items()}
# VNI-Windows (VNI-Times fonts) writes a vowel as its base letter followed by a mark code
# ("Vieät" = V i e + ä); read as Windows-1252 the codes are Latin letters. Mark code -> combining
# marks (lower and upper case codes mark alike):
_ACUTE, _GRAVE, _HOOK, _TILDE, _DOT = "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"
_CIRC, _BREVE = "\u0302", "\u0306"
_VNI_MARKS: dict[str, str] = {}
for _codes, _marks in [
    ("ùÙ", _ACUTE), ("øØ", _GRAVE), ("ûÛ", _HOOK), ("õÕ", _TILDE), ("ïÏ", _DOT), ("îÎ", _DOT),
    ("âÂ", _CIRC), ("êÊ", _BREVE),
    ("áÁ", _CIRC + _ACUTE), ("àÀ", _CIRC + _GRAVE), ("åÅ", _CIRC + _HOOK), ("ãÃ", _CIRC + _TILDE),
    ("äÄ", _CIRC + _DOT),
    ("éÉ", _BREVE + _ACUTE), ("èÈ", _BREVE + _GRAVE), ("úÚ", _BREVE + _HOOK), ("üÜ", _BREVE + _TILDE),
    ("ëË", _BREVE + _DOT),
]:
    for _code in _codes:
        _VNI_MARKS[_code] = _marks
# ...and the letters VNI writes with one code of their own.
_VNI_LETTERS = {"ô": "ơ", "Ô": "Ơ", "ö": "ư", "Ö": "Ư", "ñ": "đ", "Ñ": "Đ", "í": "í", "Í": "Í", "ì": "ì",
                "Ì": "Ì", "æ": "ỉ", "Æ": "Ỉ", "ó": "ĩ", "Ó": "Ĩ", "ò": "ị", "Ò": "Ị"}
_VNI_VOWELS = set("aeiouyAEIOUYơƠưƯ")
# VNI puts tone/shape codes after the base letter: "Vieät Nam", "ñieän".
_VNI_HINT = re.compile(r"[aeiouyAEIOUY][øùûõïáàâêôöë]|ñ[aeiou]|[aeiou][ñö]")
# Unicode Vietnamese letters outside Windows-1252: "Trần Huy Quân" (short, "uâ" like VNI) is not VNI text
_UNICODE_ONLY = re.compile("[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")


# Frequent syllables of administrative Vietnamese that carry diacritics. A wrong code
# page can still yield valid letters ("Tỡnh hỡnh saỷn xuaỏt"), but not real words.
_COMMON = frozenset(
    """và của các năm tháng công được trong có người đã với thương tỉnh sản xuất nghiệp hoạt
    động tình hình kế hoạch thực hiện số ngày đạt tăng cùng kỳ dân phát triển quản lý chỉ đạo
    trên địa bàn tổ chức điện giá trị hàng hóa hoá dịch vụ đồng tỷ triệu thị trường tiêu dùng xã
    hội ủy ban nhân quyết định báo cáo giảm đầu tư chính sách hỗ trợ đề án nước này những một
    để về từ đến tại nhiều cơ sở lĩnh vực kinh tế vốn phòng việc yêu cầu đảm bảo tiếp tục
    khai cường nhà máy ước lũy sở bộ luật văn bản kiểm tra theo đó không học""".split()
)
_WORD = re.compile(r"\w+")


@dataclass
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "utf-16", "cp1258", "tcvn3", "vni"


def weirdness(text: str) -> int:
    """Count characters that do not belong in Vietnamese words (mojibake evidence)."""
    n = len(_CAP_INSIDE.findall(text))
    for m in _SUSPECT.finditer(text):
        ch, i = m.group(), m.start()
        cat = unicodedata.category(ch)
        if cat.startswith("L") or ch == "\ufffd" or cat in ("Cc", "Co", "Cn"):
            n += 1  # a letter Vietnamese does not use (ö, ñ, ø, Æ ...), or undecodable
        elif ch not in _ALLOWED_SYMBOLS and not cat.startswith(("M", "Z")) and _touches_letter(text, i):
            n += 1  # "T×nh", "c«ng": a symbol glued inside a word
    return n


def vietnamese_score(text: str) -> float | None:
    """Share of accented words that are common Vietnamese words (None: too few to judge)."""
    accented = [w for w in _WORD.findall(text[:200_000].lower()) if not w.isascii()]
    if len(accented) < 20:
        return None
    return sum(w in _COMMON for w in accented) / len(accented)


def _plausible(text: str) -> bool:
    score = vietnamese_score(text)
    return weirdness(text) <= max(20, len(text) // 200) and (score is None or score >= 0.1)


def _touches_letter(text: str, i: int) -> bool:
    before = i > 0 and text[i - 1].isalpha()
    after = i + 1 < len(text) and text[i + 1].isalpha()
    return before or after


def tcvn3_decode(data: bytes) -> str:
    """Decode TCVN3 bytes; bytes with no TCVN3 code become U+FFFD."""
    return "".join(chr(b) if b < 0x80 else TCVN3.get(b, "\ufffd") for b in data)


def fix_tcvn3_mojibake(text: str) -> str | None:
    """Convert TCVN3 text that was read as Windows-1252 ("T×nh h×nh") back to Vietnamese.

    Returns None when the text does not look like such mojibake.
    """
    bad = weirdness(text)
    if bad < max(5, len(text.split()) // 10):  # real mojibake hits most Vietnamese words
        return None
    fixed = remap_tcvn3(text)
    return fixed if weirdness(fixed) * 4 < bad else None


def remap_tcvn3(text: str) -> str:
    """Map every TCVN3-as-Windows-1252 character back to the Vietnamese letter it encodes."""
    return "".join(_TCVN3_FROM_CP1252.get(ch, ch) for ch in text)


def decode_bytes(data: bytes) -> Decoded:
    """Decode a text file, choosing the encoding that reads most like Vietnamese."""
    if data.startswith(b"\xef\xbb\xbf"):
        return Decoded(data[3:].decode("utf-8", errors="replace"), "utf-8-sig")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Decoded(data.decode("utf-16", errors="replace"), "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [
        Decoded(unicodedata.normalize("NFC", data.decode("cp1258", errors="replace")), "cp1258"),
        Decoded(tcvn3_decode(data), "tcvn3"),
        Decoded(remap_vni(data.decode("cp1252", errors="replace")), "vni"),
    ]
    best = min(candidates, key=lambda d: (-(vietnamese_score(d.text) or 0.0), weirdness(d.text)))
    if _plausible(best.text):
        return best
    which = "VNI" if _looks_vni(data) else "không xác định"
    raise IngestError(
        "legacy_encoding",
        f"Tệp văn bản dùng bảng mã tiếng Việt cũ ({which}). "
        "Hãy chuyển sang Unicode (UTF-8) bằng Unikey rồi tải lên lại.",
    )


def _looks_vni(data: bytes) -> bool:
    return looks_vni(data.decode("cp1252", errors="replace"))


def looks_vni(text: str) -> bool:
    """VNI-typed Vietnamese shown as Windows-1252 letters: 'Baùo caùo', 'ñieän'."""
    words = max(1, len(text.split()))
    score = vietnamese_score(text)
    if score is None and _UNICODE_ONLY.search(text):
        return False  # too short to judge by words, but it has letters VNI read as Windows-1252 never gives
    return (score is None or score < 0.1) and len(_VNI_HINT.findall(text)) > words * 0.1


def remap_vni(text: str) -> str:
    """VNI-Windows text read as Windows-1252 ("Baùo caùo") -> Unicode NFC ("Báo cáo")."""
    out: list[str] = []
    for ch in text:
        marks = _VNI_MARKS.get(ch)
        if marks is not None and out and out[-1] in _VNI_VOWELS:
            out[-1] += marks
        else:
            out.append(_VNI_LETTERS.get(ch, ch))
    return unicodedata.normalize("NFC", "".join(out))


def fix_vni_mojibake(text: str) -> str | None:
    """Convert VNI mojibake to Vietnamese; None when the text has no VNI patterns or reads no better converted."""
    words = max(1, len(text.split()))
    if len(_VNI_HINT.findall(text)) <= words * 0.1:
        return None
    fixed = remap_vni(text)
    before, after = vietnamese_score(text) or 0.0, vietnamese_score(fixed)
    if after is not None and after < max(0.1, before):
        return None
    return fixed if weirdness(fixed) <= weirdness(text) else None


def fix_legacy_mojibake(text: str) -> tuple[str, str] | None:
    """(converted text, font name) for VNI or TCVN3 mojibake, whichever reads more like Vietnamese; else None.

    Both are tried: VNI mark codes are Latin-1 letters that the TCVN3 table would also remap, into
    other (wrong) Vietnamese letters.
    """
    found = [(fixed, font) for fix, font in ((fix_vni_mojibake, "VNI"), (fix_tcvn3_mojibake, "TCVN3 (ABC)"))
             if (fixed := fix(text)) is not None]
    if not found:
        return None
    return max(found, key=lambda f: (vietnamese_score(f[0]) or 0.0, -weirdness(f[0])))


def refuse_vni(text: str) -> None:
    """Raise legacy_encoding for VNI-looking text that does not convert into readable Vietnamese."""
    if looks_vni(text):
        raise IngestError(
            "legacy_encoding",
            "Văn bản được gõ bằng phông VNI cũ nên chữ bị lỗi và không chuyển được tự động. "
            "Hãy chuyển sang Unicode bằng Unikey rồi tải lên lại.",
        )
