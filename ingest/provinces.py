"""The 63 provinces and centrally-run cities of Viet Nam (2008-2025) and how text names them.

Reports are filed per province and two reports can differ only by it, so the province of a report and of
a question must be read reliably: with or without diacritics, any case, whole words only. Names that are
also ordinary words ("hòa bình" = peace, "bình định", "cao bằng", "long an") count only when written as a
proper name (capitalised) or after an administrative word ("tỉnh", "thành phố", "UBND"...).
`MERGED_2025` maps each old name to the province it belongs to since the 1 July 2025 merger (34 units).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ingest.periods import fold_same_length

CITIES = ("Hà Nội", "TP. Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ")

PROVINCES = CITIES + (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Đắk Lắk", "Đắk Nông", "Điện Biên",
    "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Tĩnh", "Hải Dương", "Hậu Giang", "Hòa Bình",
    "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu", "Lâm Đồng", "Lạng Sơn", "Lào Cai",
    "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ", "Phú Yên", "Quảng Bình",
    "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
    "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Trà Vinh", "Tuyên Quang", "Vĩnh Long",
    "Vĩnh Phúc", "Yên Bái",
)

# Other spellings and short forms, folded (lower case, no diacritics).
ALIASES = {
    "TP. Hồ Chí Minh": ("ho chi minh", "tp hcm", "tp.hcm", "tphcm", "hcm", "sai gon"),
    "Bà Rịa - Vũng Tàu": ("ba ria vung tau", "ba ria-vung tau", "br-vt", "brvt", "vung tau"),
    "Thừa Thiên Huế": ("thua thien - hue", "thua thien-hue", "hue"),
    "Đắk Lắk": ("dac lac", "daklak", "dak lac"),
    "Đắk Nông": ("dac nong", "daknong"),
    "Bắc Kạn": ("bac can",),
    "Kon Tum": ("kontum",),
    "Hà Nội": ("ha noi",),
}

# Ordinary words once lower-cased: accepted only as proper names or after an administrative word.
AMBIGUOUS = frozenset({"Hòa Bình", "Bình Định", "Cao Bằng", "Long An", "Thái Bình", "Hà Nam", "Phú Yên",
                       "Bình Thuận"})
_ADMIN_BEFORE = re.compile(
    r"(?:tinh|thanh\s+pho|tp\.?|ubnd|uy\s+ban\s+nhan\s+dan|so\s+cong\s+thuong|dia\s+ban)\s*$"
)
# Words after a name that make it something else: "Thái Bình Dương" (Pacific), "tư tưởng Hồ Chí Minh".
_NOT_AFTER = {"Thái Bình": re.compile(r"\s*duong\b")}
_NOT_BEFORE = {"TP. Hồ Chí Minh": re.compile(
    r"(?:tu\s+tuong|chu\s+tich|bac|dao\s+duc|phong\s+cach|lang|duong|tncs|cong\s+san|thanh\s+nien|doan"
    r"|chien\s+dich)\s*$"
)}

MERGED_2025 = {
    **{p: p for p in ("Hà Nội", "Thừa Thiên Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
                      "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng")},
    **{old: new for new, olds in {
        "Tuyên Quang": ("Tuyên Quang", "Hà Giang"), "Lào Cai": ("Lào Cai", "Yên Bái"),
        "Thái Nguyên": ("Thái Nguyên", "Bắc Kạn"), "Phú Thọ": ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình"),
        "Bắc Ninh": ("Bắc Ninh", "Bắc Giang"), "Hưng Yên": ("Hưng Yên", "Thái Bình"),
        "Hải Phòng": ("Hải Phòng", "Hải Dương"), "Ninh Bình": ("Ninh Bình", "Hà Nam", "Nam Định"),
        "Quảng Trị": ("Quảng Trị", "Quảng Bình"), "Đà Nẵng": ("Đà Nẵng", "Quảng Nam"),
        "Quảng Ngãi": ("Quảng Ngãi", "Kon Tum"), "Gia Lai": ("Gia Lai", "Bình Định"),
        "Khánh Hòa": ("Khánh Hòa", "Ninh Thuận"), "Lâm Đồng": ("Lâm Đồng", "Đắk Nông", "Bình Thuận"),
        "Đắk Lắk": ("Đắk Lắk", "Phú Yên"),
        "TP. Hồ Chí Minh": ("TP. Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"),
        "Đồng Nai": ("Đồng Nai", "Bình Phước"), "Tây Ninh": ("Tây Ninh", "Long An"),
        "Cần Thơ": ("Cần Thơ", "Sóc Trăng", "Hậu Giang"), "Vĩnh Long": ("Vĩnh Long", "Bến Tre", "Trà Vinh"),
        "Đồng Tháp": ("Đồng Tháp", "Tiền Giang"), "Cà Mau": ("Cà Mau", "Bạc Liêu"),
        "An Giang": ("An Giang", "Kiên Giang"),
    }.items() for old in olds},
}


def is_city(name: str) -> bool:
    """Centrally-run city ("thành phố") rather than province ("tỉnh")."""
    return name in CITIES


def admin_prefix(name: str) -> str:
    """The unit word used in agency names: "tỉnh Trà Vinh", "thành phố Hà Nội"."""
    return "thành phố" if is_city(name) else "tỉnh"


def _base_name(name: str) -> str:
    return name.removeprefix("TP. ")


def _words(form: str) -> tuple[str, ...]:
    return tuple(re.findall(r"\w+", form))


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[tuple[str, ...], str]]:
    forms: dict[tuple[str, ...], str] = {}
    for name in PROVINCES:
        for form in (fold_same_length(_base_name(name)), *ALIASES.get(name, ())):
            forms[_words(form)] = name
    alternatives = sorted(forms, key=lambda w: len(" ".join(w)), reverse=True)
    body = "|".join(_SEP.join(map(re.escape, words)) for words in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)"), forms


_SEP = r"(?:\s*[-.]\s*|\s+)"


def find_provinces(text: str) -> list[str]:
    """Canonical names of the provinces named in `text`, in order of first mention, without repeats."""
    original = unicodedata.normalize("NFC", text)
    folded = fold_same_length(original)
    pattern, forms = _pattern()
    found: list[str] = []
    for m in pattern.finditer(folded):
        name = forms[_words(m.group())]
        if name not in found and _accepted(name, m, folded, original):
            found.append(name)
    return found


def _accepted(name: str, m: re.Match[str], folded: str, original: str) -> bool:
    before = folded[max(0, m.start() - 40):m.start()]
    after = folded[m.end():m.end() + 10]
    if name in _NOT_AFTER and _NOT_AFTER[name].match(after):
        return False
    if name in _NOT_BEFORE and _NOT_BEFORE[name].search(before):
        return False
    if m.group() == "hue":
        return original[m.start():m.end()].lower() == "huế"  # "huệ", "huê" are other words
    if name not in AMBIGUOUS:
        return True
    written = original[m.start():m.end()]
    proper = all(w[0].isupper() for w in re.findall(r"\w+", written))
    return proper or bool(_ADMIN_BEFORE.search(before))
