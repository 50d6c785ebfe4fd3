"""OCR benchmark: accuracy and speed of reading scanned PDFs, and the engine choice behind ingest/loaders/ocr.py.

On `corpus/bad/scanned_image_only.pdf` (pages 1-2 of report 004 rasterised at 150 dpi) against the
original text of those pages (`corpus/txt/004_*`):

- character error rate (CER) after NFC and whitespace normalisation. The reference span is the part of
  the original the OCR text aligns to (first to last matched word). The original is a text export whose
  footnotes sit between body lines and whose letterhead columns are interleaved differently from the
  page image, so a block of text found elsewhere (a moved block) costs its edit distance, not a
  deletion plus an insertion;
- figures: every figure the OCR text states is either in the original (exact) or marked unverified
  by the loader; "silent" counts the others (wrong figures stated as exact) and must be 0;
- seconds per page with both cores (pages read in parallel) and the whole load.

Engines compared: pytesseract at 150 and 300 dpi (the loader), and `ocrmypdf` (when installed) whose
text layer is then read by the PDF loader. With --pages N a scan of N pages (report 002 rasterised)
is also loaded to time a long scan.

    python -m bench.ocr_bench [--pages 20] [--json /tmp/baocao-bench/ocr.json]
"""

from __future__ import annotations

import difflib
import os
import re
import resource
import shutil
import subprocess
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from bench.common import CORPUS, parser, table, write_json

SCAN = CORPUS / "bad" / "scanned_image_only.pdf"
GAP_WORDS = 40


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(hypothesis: str, reference: str) -> tuple[float, int, int]:
    """(CER, errors, reference characters) over the reference span the hypothesis aligns to."""
    hyp = normalise(hypothesis).split(" ")
    ref = _pages_part(normalise(reference).split(" "), hyp)
    matcher = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
    errors, deleted, inserted = 0, [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        r, h = " ".join(ref[i1:i2]), " ".join(hyp[j1:j2])
        if op == "replace" and max(len(r), len(h)) < 400 and levenshtein(r, h) <= max(len(r), len(h)) // 2:
            errors += levenshtein(r, h)
        elif op == "replace":  # unlike text: a block that moved (or was lost), matched below
            deleted.append(r)
            inserted.append(h)
        elif op == "delete":
            deleted.append(r)
        elif op == "insert":
            inserted.append(h)
    errors += _moved_blocks_cost(deleted, inserted)
    n = len(" ".join(ref))
    return errors / n, errors, n


def _pages_part(ref: list[str], hyp: list[str]) -> list[str]:
    """The reference words the scanned pages hold: from the first to the last aligned run of words,
    without stretches of GAP_WORDS or more found nowhere in the hypothesis (text of later pages,
    between the body and a footnote the original export placed further on)."""
    blocks = [b for b in difflib.SequenceMatcher(None, ref, hyp, autojunk=False).get_matching_blocks()
              if b.size >= 3]
    kept: list[str] = []
    for prev, cur in zip(blocks, blocks[1:]):
        kept.extend(ref[prev.a : prev.a + prev.size])
        gap = ref[prev.a + prev.size : cur.a]
        if len(gap) < GAP_WORDS or _best_window(" ".join(gap), " ".join(hyp))[0] >= 0.6:
            kept.extend(gap)
    last = blocks[-1]
    return kept + ref[last.a : last.a + last.size]


def _moved_blocks_cost(deleted: list[str], inserted: list[str]) -> int:
    """A deleted reference block found inside an inserted one costs its edit distance there."""
    cost = 0
    pool = [h for h in inserted if h]
    for block in sorted((d for d in deleted if d), key=len, reverse=True):
        found = max(((i, _best_window(block, h)) for i, h in enumerate(pool)), key=lambda x: x[1][0], default=None)
        if found is None or found[1][0] < 0.6:
            cost += len(block)
            continue
        i, (_, start, end) = found
        window = pool[i][start:end]
        cost += levenshtein(block, window) if len(block) < 600 else len(block)
        rest = (pool[i][:start].strip(), pool[i][end:].strip())
        pool[i : i + 1] = [r for r in rest if r]
    return cost + sum(len(h) for h in pool)


def _best_window(block: str, text: str) -> tuple[float, int, int]:
    """(similarity, start, end) of the stretch of `text` most like `block`."""
    blocks = difflib.SequenceMatcher(None, text, block, autojunk=False).get_matching_blocks()
    useful = [b for b in blocks if b.size >= 4]
    if not useful:
        return 0.0, 0, 0
    start = max(0, useful[0].a - useful[0].b)
    end = min(len(text), useful[-1].a + useful[-1].size + (len(block) - useful[-1].b - useful[-1].size))
    return difflib.SequenceMatcher(None, block, text[start:end], autojunk=False).ratio(), start, end


def figure_check(doc: Any, reference: str) -> dict[str, int]:
    """Figures the OCR text states: exact (in the original), marked unverified, or silently wrong."""
    from ingest.loaders.ocr_numbers import figures_in

    ref_figures = set(figures_in(normalise(reference)))
    doubtful = set().union(*doc.doubtful_figures.values()) if doc.doubtful_figures else set()
    out = {"figures": 0, "exact": 0, "marked": 0, "silent": 0}
    for fig in figures_in(_doc_text(doc)):
        out["figures"] += 1
        key = "exact" if fig in ref_figures else "marked" if fig in doubtful else "silent"
        out[key] += 1
    out["marked_total"] = len(doubtful)
    return out


def _doc_text(doc: Any) -> str:
    return "\n".join([b.text for b in doc.blocks] + [f.text for f in doc.footnotes.values()])


def run_loader(path: Path, dpi: int) -> tuple[Any, float]:
    import ingest.loaders.ocr as ocr
    from ingest.loaders import load

    ocr.RENDER_DPI = dpi
    started = time.perf_counter()
    doc = load(path)
    return doc, time.perf_counter() - started


def run_ocrmypdf(path: Path, workdir: Path) -> tuple[Any, float] | None:
    if shutil.which("ocrmypdf") is None:
        return None
    from ingest.loaders import load

    out = workdir / "ocrmypdf.pdf"
    started = time.perf_counter()
    subprocess.run(["ocrmypdf", "-q", "-l", "vie", "--jobs", "2", "--output-type", "pdf", str(path), str(out)],
                   check=True, capture_output=True)
    doc = load(out)
    return doc, time.perf_counter() - started


def rasterised(src: Path, pages: int, dest: Path, dpi: int = 150) -> Path:
    """A scan-only PDF of the first `pages` pages of `src` (grayscale JPEG, like the corpus scan)."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(src))
    images = [pdf[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(pages)]
    images[0].save(dest, "PDF", resolution=float(dpi), save_all=True, append_images=images[1:], quality=75)
    return dest


def index_scan(scan: Path, workdir: Path) -> dict[str, Any]:
    """`run_ingest` of a scan into an empty index with an empty vector cache: OCR, chunks, embedding, writes."""
    from bench.common import settings_for
    from ingest.job import run_ingest
    from vectorstore.index import open_index

    settings = settings_for(workdir / "idx-long", workdir / "long-vectors.sqlite")
    index = open_index(settings)
    cpu_before, started = _cpu_seconds(), time.perf_counter()
    result = run_ingest(index, [scan]).results[0]
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_before
    pages = len(PdfReader(scan).pages)
    return {"pages": pages, "status": result.status, "chunks": result.chunks, "seconds": round(seconds, 1),
            "s_per_page": round(seconds / pages, 2), "cpu_seconds": round(cpu, 1),
            "load_avg": round(os.getloadavg()[0], 1)}


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the Tesseract runs): independent of other jobs."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def evidence_on_scanned_pages(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Dev questions on report 004 whose evidence is printed on pages 1-2 (the pages of the scan)."""
    from ingest.loaders import load

    text_pdf = load(next((CORPUS / "pdf").glob("004_*.pdf")))
    pages = normalise(" ".join([b.text for b in text_pdf.blocks if (b.page or 99) <= 2] +
                               [f.text for f in text_pdf.footnotes.values() if (f.page or 99) <= 2]))
    return [q for q in items if any(d.startswith("004_") for d in q.get("doc", []))
            and all(normalise(e)[:60] in pages for e in q.get("evidence", []))]


def same_answers(workdir: Path) -> dict[str, Any]:
    """Those questions asked of an index of the scan and of an index of the text PDF."""
    from assistant.checks import figures
    from assistant.service import AskService
    from bench.common import BENCH_DIR, DEV_QA, load_jsonl, settings_for
    from ingest.job import run_ingest
    from vectorstore.index import open_index

    questions = evidence_on_scanned_pages(load_jsonl(DEV_QA))
    cache = BENCH_DIR / "ocr-vectors.sqlite"
    services = {}
    for name, path in {"scan": SCAN, "text": next((CORPUS / "pdf").glob("004_*.pdf"))}.items():
        settings = settings_for(workdir / f"idx-{name}", cache)
        run_ingest(open_index(settings), [path])
        services[name] = AskService(settings)
    out = {"questions": len(questions), "same_figures": 0, "must_contain_scan": 0, "must_contain_text": 0}
    for q in questions:
        scan, text = services["scan"].ask(q["question"]), services["text"].ask(q["question"])
        numbers = [set(figures(re.sub(r"\[\d+\]", "", r["answer"]))) for r in (scan, text)]
        out["same_figures"] += numbers[0] == numbers[1] and scan["abstained"] == text["abstained"]
        out["must_contain_scan"] += all(m in scan["answer"] for m in q["must_contain"])
        out["must_contain_text"] += all(m in text["answer"] for m in q["must_contain"])
    return out


def main() -> None:
    ap = parser(__doc__.splitlines()[0])
    ap.add_argument("--only-long", action="store_true", help="skip the 2-page comparison")
    ap.add_argument("--pages", type=int, default=0, help="also time a scan of this many pages (report 002)")
    ap.add_argument("--questions", action="store_true",
                    help="also ask the dev questions whose evidence is on the scanned pages, of scan and text PDF")
    args = ap.parse_args()
    reference = next((CORPUS / "txt").glob("004_*.txt")).read_text(encoding="utf-8")
    rows, results = [], {}
    with tempfile.TemporaryDirectory() as tmp:
        runs = {"pytesseract 150 dpi": lambda: run_loader(SCAN, 150),
                "pytesseract 300 dpi": lambda: run_loader(SCAN, 300),
                "ocrmypdf (14.x, -l vie)": lambda: run_ocrmypdf(SCAN, Path(tmp))}
        for name, run in ({} if args.only_long else runs).items():
            got = run()
            if got is None:
                continue
            doc, seconds = got
            rate, errors, n = cer(_doc_text(doc), reference)
            figs = figure_check(doc, reference)
            pages = doc.pages or 1
            results[name] = {"cer": rate, "errors": errors, "ref_chars": n, "seconds": seconds,
                             "s_per_page": seconds / pages, **figs}
            rows.append([name, f"{rate:.2%}", f"{errors}/{n}", f"{seconds / pages:.1f}", figs["figures"],
                         figs["exact"], figs["marked"], figs["silent"]])
        if rows:
            table("OCR of scanned_image_only.pdf (2 pages) vs txt/004", ["engine", "CER", "errors/chars", "s/page",
                  "figures", "exact", "marked", "silent"], rows)
        if args.pages:
            src = next((CORPUS / "pdf").glob("002_*.pdf"))
            scan = rasterised(src, args.pages, Path(tmp) / f"scan_{args.pages}.pdf")
            results["long_scan"] = long = index_scan(scan, Path(tmp))
            table(f"Indexing a {args.pages}-page scan (report 002 at 150 dpi), cold vector cache",
                  list(long), [list(long.values())])
        if args.questions:
            results["questions"] = same = same_answers(Path(tmp))
            table("Dev questions with evidence on the scanned pages", list(same), [list(same.values())])
    write_json(args.json, results)


if __name__ == "__main__":
    main()
