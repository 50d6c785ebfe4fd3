"""Put diacritics back on a question typed without them, from the corpus's own syllable statistics.

"gia tri san xuat cong nghiep thang 3" -> "giá trị sản xuất công nghiệp tháng 3".
The dense model needs this (folded text embeds far from the report's text);
BM25 does not (it folds both sides). A syllable-bigram Viterbi over the forms
seen in the indexed reports: no model, no download, fitted in milliseconds.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable

from vectorstore.vitext import fold

_SYLLABLE = re.compile(r"[^\W\d_]+|\d+(?:[.,/]\d+)*|\S", re.UNICODE)
MAX_FORMS = 6


class DiacriticRestorer:
    def __init__(self) -> None:
        self.forms: dict[str, Counter[str]] = defaultdict(Counter)
        self.pairs: Counter[tuple[str, str]] = Counter()
        self.total = 0

    def fit(self, texts: Iterable[str]) -> DiacriticRestorer:
        for text in texts:
            prev = None
            for syl in _SYLLABLE.findall(unicodedata.normalize("NFC", text).lower()):
                if not syl[0].isalpha():
                    prev = None
                    continue
                self.forms[fold(syl)][syl] += 1
                self.total += 1
                if prev is not None:
                    self.pairs[(prev, syl)] += 1
                prev = syl
        return self

    def _candidates(self, folded: str) -> list[str]:
        seen = self.forms.get(folded)
        return [f for f, _ in seen.most_common(MAX_FORMS)] if seen else [folded]

    def _unigram(self, form: str) -> float:
        return math.log((self.forms.get(fold(form), Counter())[form] + 0.1) / (self.total + 1))

    def _bigram(self, a: str, b: str) -> float:
        count_a = max(self.forms.get(fold(a), Counter())[a], 1)
        return math.log((self.pairs[(a, b)] + 0.05 * math.exp(self._unigram(b)) * 1000) / (count_a + 1))

    def _restore_run(self, syllables: list[str]) -> list[str]:
        lattice = [self._candidates(fold(s)) for s in syllables]
        best = {c: (self._unigram(c), [c]) for c in lattice[0]}
        for cands in lattice[1:]:
            best = {
                c: max(((score + self._bigram(p, c), path + [c]) for p, (score, path) in best.items()),
                       key=lambda t: t[0])
                for c in cands
            }
        return max(best.values(), key=lambda t: t[0])[1]

    def restore(self, text: str) -> str:
        """The text with each run of plain-ASCII syllables given its most likely diacritics."""
        tokens = _SYLLABLE.findall(unicodedata.normalize("NFC", text))  # NFD marks would split syllables
        out, run = [], []
        for tok in tokens + [""]:
            if tok and tok.isascii() and tok.isalpha():
                run.append(tok.lower())
                continue
            if run:
                out.extend(self._restore_run(run))
                run = []
            if tok:
                out.append(tok)
        return " ".join(out)
