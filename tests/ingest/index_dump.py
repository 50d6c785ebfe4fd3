"""Everything an index directory holds, as JSON: `python -m tests.ingest.index_dump INDEX`.

Run in a child process so the test never holds a Chroma client that another process writes under.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from typing import Any

import vectorstore  # noqa: F401 - offline environment
from vectorstore.index import Index
from vectorstore.settings import Settings


def dump(index: Index) -> dict[str, Any]:
    chunks: dict[str, list] = defaultdict(list)
    for c in index.store.iter_chunks():
        chunks[str(c.metadata.get("doc_id", ""))].append([c.id, c.text, c.metadata])
    ids = index.store.chunk_ids()
    provisional = sum(index.is_provisional(v) for v in index.store.existing_vectors(ids).values())
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
             for p in sorted(index.files_dir.glob("*")) if p.is_file()} if index.files_dir.is_dir() else {}
    return {
        "records": {r["doc_id"]: r for r in index.store.list_documents()},
        "chunks": {d: sorted(rows) for d, rows in chunks.items()},
        "chroma_ids": sorted(ids),
        "lexical_ids": sorted(index.lexical.ids()),
        "lexical_healthy": index.lexical.healthy(),
        "provisional": provisional,
        "files": files,
    }


if __name__ == "__main__":
    settings = Settings.from_env(sys.argv[1])
    print(json.dumps(dump(Index(settings)), ensure_ascii=False, default=str))
