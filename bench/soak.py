"""Soak test (not in CI): thousands of real-text documents with random edits, then generated questions.

Documents are the five real reports (../shared/corpus/txt), each copy cut, shuffled and edited at
random the way other offices' files differ: lines dropped, repeated or swapped, sentences from another
report spliced in, figures rewritten in Vietnamese or English notation, decimal lengths of time
("1,5 tháng", "5.0 tháng", "2,5 quý"), impossible dates, Roman numerals, document symbols, a line in
NFD or without diacritics or upper-cased, zero-width and control characters, very long tokens, other
scripts, and saved as UTF-8, UTF-8 with BOM, UTF-16 or Windows-1258, as .txt or .md.

Two paths, both counting failures (an exception that is not a refusal with a reason must be 0):

* every document through the parsers and the derived indexes: load (decode, repair) -> metadata ->
  structure -> chunks -> legal references and figures -> keyword tokens, written to a real keyword
  index and facts store (no embedding: at ~3 passages/s on 2 cores 10,000 documents would take days);
* a sample through the real `run_ingest` (e5 embeddings, Chroma, keyword index, facts, registry,
  stored originals), then the generated questions through `AskService` on that index.

Usage: python -m bench.soak [--docs 10000] [--embedded 40] [--questions 1000] [--seed 14] [--json OUT]
"""

from __future__ import annotations

import random
import re
import shutil
import time
import unicodedata
from pathlib import Path
from typing import Any

from bench.common import BENCH_DIR, CORPUS, parser, percentiles, settings_for, table, write_json

EDIT_PHRASES = ["thời gian thực hiện 1,5 tháng", "kéo dài 5.0 tháng", "dự kiến 2,5 quý", "trong 0,5 tháng",
                "ngày 31/02/2023", "tháng 13/2023", "quý V/2022", "giai đoạn 2025-2021", "Quyết định số /QĐ-UBND",
                "Số: 99999999/BC-SCT-XYZ", "Mục XIV", "IIII.", "⁽¹²⁾", "¹²³", "中文報告", "русский", "😀",
                "\u200b", "\ufeff", "\u202e", "\x0b", "a" * 3000, "2.582,06" * 50, "1,234,567.89 USD"]
CODECS = ["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1258"]
FIGURE = re.compile(r"\d{1,3}(?:\.\d{3})*,\d+|\d+")
QUESTION_TEMPLATES = [
    "{ind} {period} của {prov} là bao nhiêu?", "{ind} {period} tăng bao nhiêu so cùng kỳ?",
    "Trong {span} {ind} đạt bao nhiêu?", "{ind_plain} {period_plain} {prov_plain}", "Báo cáo nào nhắc đến {ref}?",
    "{ind} các quý năm {year}", "{ind} qua các kỳ báo cáo của {prov}", "Ai ký báo cáo {period}?",
    "{noise} {ind} {period}", "so với {period} thì {ind} thế nào?",
]
INDICATORS = ["Giá trị sản xuất công nghiệp", "Chỉ số sản xuất công nghiệp", "Tổng mức bán lẻ hàng hóa và dịch vụ",
              "Kim ngạch xuất khẩu", "số cửa hàng xăng dầu", "doanh thu bán lẻ", "IIP", "GTSXCN", "CCN", "OCOP"]
PERIODS = ["tháng 3/2023", "quý I/2023", "6 tháng đầu năm 2020", "9 tháng 2023", "giai đoạn 2016-2020",
           "tháng 03 năm 2023", "lũy kế quý 1", "năm 2022", "tháng 13/2023", "quý V", "1,5 tháng", "5.0 tháng"]
PROVINCES = ["Trà Vinh", "Thái Bình", "Lam Giang", "Hà Nội", "TP. Hồ Chí Minh", "tỉnh"]
REFS = ["Quyết định 2366/QĐ-UBND", "QĐ 2366", "Nghị quyết 11/2016/NQ-HĐND", "Kế hoạch số 45/KH-UBND", "/QĐ-"]


def _plain(text: str) -> str:
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


def _edit_line(rng: random.Random, line: str, others: list[str]) -> list[str]:
    roll = rng.random()
    if roll < 0.04:
        return []
    if roll < 0.07:
        return [line, line]
    if roll < 0.10:
        return [line, rng.choice(others)]
    if roll < 0.16:
        return [FIGURE.sub(lambda m: rng.choice([m.group(), f"{rng.randint(0, 10**7):,}",
                                                 f"{rng.uniform(0, 1e5):,.2f}".replace(",", " ").replace(".", ",")
                                                 .replace(" ", ".")]), line)]
    if roll < 0.22:
        words = line.split(" ")
        words.insert(rng.randint(0, len(words)), rng.choice(EDIT_PHRASES))
        return [" ".join(words)]
    if roll < 0.25:
        return [unicodedata.normalize("NFD", line)]
    if roll < 0.28:
        return [_plain(line)]
    if roll < 0.30:
        return [line.upper()]
    if roll < 0.32:
        cut = rng.randint(0, len(line))
        return [line[:cut], line[cut:]]
    return [line]


def make_document(rng: random.Random, sources: dict[str, list[str]]) -> tuple[str, str]:
    """(text, codec) of one edited copy of a real report."""
    name = rng.choice(sorted(sources))
    lines = list(sources[name])
    if rng.random() < 0.75:  # most copies keep a random slice only (short and headless documents, like excerpts)
        a = rng.randint(0, len(lines) - 1)
        lines = lines[a : a + rng.randint(1, 80)]
    others = sources[rng.choice(sorted(sources))]
    out: list[str] = []
    for line in lines:
        out += _edit_line(rng, line, others)
    if rng.random() < 0.05 and len(out) > 3:
        rng.shuffle(out)
    return "\n".join(out), rng.choice(CODECS)


_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _windows_1258_form(text: str) -> str:
    """Windows-1258 spelling: letters with their vowel marks precomposed (ơ, ư, â ...), tones combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES)) + tones)
    return "".join(out)


def write_corpus(n: int, out: Path, seed: int) -> list[Path]:
    rng = random.Random(seed)
    sources = {p.stem: p.read_text("utf-8").splitlines() for p in sorted((CORPUS / "txt").glob("*.txt"))}
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text, codec = make_document(rng, sources)
        path = out / f"SOAK{i:05d}.{'md' if rng.random() < 0.1 else 'txt'}"
        path.write_bytes((_windows_1258_form(text) if codec == "cp1258" else text).encode(codec, "replace"))
        paths.append(path)
    return paths


def generate_questions(n: int, seed: int) -> list[str]:
    rng = random.Random(seed + 1)
    out = []
    for _ in range(n):
        ind, period, prov = rng.choice(INDICATORS), rng.choice(PERIODS), rng.choice(PROVINCES)
        q = rng.choice(QUESTION_TEMPLATES).format(
            ind=ind, period=period, prov=prov, span=rng.choice(["1,5 tháng", "5.0 tháng", "2,5 quý", "3 tháng"]),
            ind_plain=_plain(ind).lower(), period_plain=_plain(period), prov_plain=_plain(prov), ref=rng.choice(REFS),
            year=rng.choice(["2020", "2023", "0000", "9999"]), noise=rng.choice(EDIT_PHRASES)[:200])
        roll = rng.random()
        if roll < 0.1:
            q = unicodedata.normalize("NFD", q)
        elif roll < 0.2:
            i = rng.randint(0, len(q))
            q = q[:i] + rng.choice(EDIT_PHRASES[:16]) + q[i:]
        elif roll < 0.25:
            q = q * rng.randint(5, 40)
        out.append(q)
    return out


def parse_all(paths: list[Path], work: Path) -> dict[str, Any]:
    """Every document through the parsers and the keyword/facts stores (no Chroma, no embedding)."""
    from ingest.chunker import chunk_document
    from ingest.document import IngestError
    from ingest.facts import FactStore
    from ingest.loaders import load
    from ingest.metadata import extract_metadata
    from ingest.names import doc_id_for
    from vectorstore.lexical import LexicalIndex

    lexical, facts = LexicalIndex(work / "lexical.sqlite"), FactStore(work / "facts.sqlite")
    seconds, failures, refused, chunks = [], [], {}, 0
    for path in paths:
        t = time.perf_counter()
        try:
            doc = load(path)
            meta = extract_metadata(doc).to_dict()
            made = chunk_document(doc, doc_id_for(path), meta)
            lexical.add((c.id, path.name, c.text) for c in made)
            facts.add((c.id, c.body, c.metadata) for c in made)
            chunks += len(made)
        except IngestError as err:
            refused[err.code] = refused.get(err.code, 0) + 1
        except Exception as err:  # noqa: BLE001 - what the soak counts
            failures.append({"file": path.name, "error": repr(err)[:300]})
        seconds.append((time.perf_counter() - t, path.name, path.stat().st_size))
    lexical.search("giá trị sản xuất công nghiệp 1,5 tháng", k=10)
    slowest = max(seconds)
    return {"documents": len(paths), "chunks": chunks, "failures": failures, "refused": refused,
            "ms": percentiles([s * 1000 for s, _, _ in seconds]), "total_s": round(sum(s for s, _, _ in seconds), 1),
            "slowest": {"file": slowest[1], "seconds": round(slowest[0], 3), "bytes": slowest[2]}}


def ingest_sample(paths: list[Path], index_dir: Path, cache: Path | None) -> dict[str, Any]:
    """A sample through the real ingest job (embeddings, Chroma, keyword index, facts, registry, originals)."""
    from ingest.doctor import check_and_repair
    from ingest.job import run_ingest
    from vectorstore.index import open_index

    index = open_index(settings_for(index_dir, cache))
    report = run_ingest(index, paths)
    failures = [{"file": r.file, "reason": r.reason} for r in report.results if r.code == "internal_error"]
    done = [r for r in report.results if r.status != "refused"]
    slowest = max(report.results, key=lambda r: r.seconds)
    healthy = check_and_repair(index, repair=False)
    return {"documents": len(paths), "indexed": len(done), "chunks": sum(r.chunks for r in done),
            "refused": {c: sum(r.code == c for r in report.results) for c in {r.code for r in report.results} if c},
            "failures": failures, "seconds": round(report.seconds, 1), "doctor_ok": healthy.ok,
            "slowest": {"file": slowest.file, "seconds": round(slowest.seconds, 2), "chunks": slowest.chunks}}


def ask_all(questions: list[str], index_dir: Path, cache: Path | None) -> dict[str, Any]:
    from assistant.service import AskService

    service = AskService(settings_for(index_dir, cache))
    times: list[tuple[float, str]] = []
    failures: list[dict[str, str]] = []
    for q in questions:
        t = time.perf_counter()
        try:
            rec = service.ask(q)
            if rec.get("refusal_reason") == "internal_error":
                failures.append({"question": q[:200], "answer": rec["answer"]})
        except Exception as err:  # noqa: BLE001 - what the soak counts
            failures.append({"question": q[:200], "error": repr(err)[:300]})
        times.append((time.perf_counter() - t, q))
    slowest = max(times, default=(0.0, ""))
    return {"questions": len(questions), "failures": failures, "ms": percentiles([s * 1000 for s, _ in times]),
            "slowest": {"question": slowest[1][:160], "chars": len(slowest[1]), "ms": round(slowest[0] * 1000, 1)}}


def main() -> None:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--embedded", type=int, default=40, help="documents of the sample ingested with embeddings")
    ap.add_argument("--questions", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--vector-cache", type=Path, default=None, help="a vector cache to reuse (e.g. of the real 5)")
    args = ap.parse_args()
    work = BENCH_DIR / "soak"
    shutil.rmtree(work, ignore_errors=True)
    paths = write_corpus(args.docs, work / "docs", args.seed)
    parsed = parse_all(paths, work / "parsed") if args.docs else {}
    sample = write_corpus(args.embedded, work / "sample", args.seed + 7)
    embedded = ingest_sample(sample, work / "index", args.vector_cache) if sample else {}
    asked = ask_all(generate_questions(args.questions, args.seed), work / "index", args.vector_cache) \
        if args.questions else {}
    write_json(args.json, {"parsed": parsed, "embedded": embedded, "asked": asked, "seed": args.seed})
    rows = []
    if parsed:
        rows.append(["parsers + keyword index + facts", f"{parsed['documents']} docs, {parsed['chunks']} chunks",
                     len(parsed["failures"]), parsed["refused"], f"{parsed['ms']['p50']} / {parsed['ms']['p95']}",
                     f"{parsed['slowest']['file']} {parsed['slowest']['seconds']} s ({parsed['slowest']['bytes']} B)"])
    if embedded:
        rows.append(["full ingest (e5, Chroma)",
                     f"{embedded['indexed']}/{embedded['documents']} docs, {embedded['chunks']} chunks",
                     len(embedded["failures"]), embedded["refused"], f"{embedded['seconds']} s total",
                     f"{embedded['slowest']['file']} {embedded['slowest']['seconds']} s; doctor ok: "
                     f"{embedded['doctor_ok']}"])
    if asked:
        slow = asked["slowest"]
        rows.append(["questions", asked["questions"], len(asked["failures"]), "",
                     f"{asked['ms'].get('p50')} / {asked['ms'].get('p95')}",
                     f"{slow['ms']} ms ({slow['chars']} chars): {slow['question'][:60]}"])
    table("Soak", ["path", "items", "failures", "refused (with a reason)", "p50 / p95 ms", "slowest"], rows)
    for f in (parsed.get("failures", []) + embedded.get("failures", []) + asked.get("failures", []))[:20]:
        print("FAILURE", f)


if __name__ == "__main__":
    main()
