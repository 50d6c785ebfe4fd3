"""Precision and recall of the reference index against citation lists made by reading two reports.

tests/data/references_<stem>.json were written by reading the report text, not from the extractor's
output. Extraction runs exactly as at ingest: load, chunk, read the facts of each chunk.
"""

import json
from pathlib import Path

import pytest

from ingest.chunker import chunk_document
from ingest.facts import extract
from ingest.loaders import load
from ingest.metadata import extract_metadata
from tests.conftest import CORPUS

DATA = Path(__file__).resolve().parents[1] / "data"


def extracted(report: str) -> dict[tuple[str, str], dict]:
    """(type, number) -> first date and issuer the report gives, over all chunks (overlaps merge)."""
    path = CORPUS / "txt" / report
    doc = load(path)
    out: dict[tuple[str, str], dict] = {}
    for c in chunk_document(doc, path.name, extract_metadata(doc).to_dict()):
        for row in extract(c.id, c.body, c.metadata)[0]:
            if row[4] is None:
                continue  # laws cited by name are not in the numbered lists
            got = out.setdefault((row[3], row[4]), {"date_iso": None, "issuer": None})
            got["date_iso"] = got["date_iso"] or row[7]
            got["issuer"] = got["issuer"] or row[8]
    return out


@pytest.mark.parametrize("stem", ["000", "001"])
def test_precision_and_recall_against_the_hand_checked_list(stem):
    gold_file = json.loads((DATA / f"references_{stem}.json").read_text(encoding="utf-8"))
    gold = {(g["doc_type"], g["number"], g["date_iso"]) for g in gold_file["references"]}
    got = {(k[0], k[1], v["date_iso"]) for k, v in extracted(gold_file["report"]).items()}
    precision = len(got & gold) / len(got)
    recall = len(got & gold) / len(gold)
    assert precision >= 0.98 and recall >= 0.95, (precision, recall, got - gold, gold - got)


@pytest.mark.parametrize("stem", ["000", "001"])
def test_issuers_match_the_hand_checked_list(stem):
    gold_file = json.loads((DATA / f"references_{stem}.json").read_text(encoding="utf-8"))
    got = extracted(gold_file["report"])
    wrong = [(g["number"], g["issuer"], got.get((g["doc_type"], g["number"]), {}).get("issuer"))
             for g in gold_file["references"]
             if got.get((g["doc_type"], g["number"]), {}).get("issuer") != g["issuer"]]
    assert len(wrong) <= len(gold_file["references"]) * 0.05, wrong
