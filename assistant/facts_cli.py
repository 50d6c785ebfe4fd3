"""`baocao refs` and `baocao series`: the reference index and indicator series from the command line."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

from assistant import console
from assistant.answer_record import plain_record
from vectorstore.settings import Settings

NOT_FOUND_REFS = "Không tìm thấy văn bản nào khớp với “{q}” trong các báo cáo đã nạp."
NOT_FOUND_SERIES = "Các báo cáo đã nạp không có số liệu nào của “{q}”{where}."
UNKNOWN_INDICATOR = ("Không nhận ra chỉ tiêu “{q}”. Ví dụ: giá trị sản xuất công nghiệp, chỉ số sản xuất công "
                     "nghiệp (IIP), tổng mức bán lẻ hàng hóa và dịch vụ, kim ngạch xuất khẩu.")


def empty_record(question: str, message: str) -> dict[str, Any]:
    """An abstaining answer record (same shape as any other) for a search that found nothing."""
    return plain_record(question, message, with_total=False).to_dict()


def _router(settings: Settings):
    from assistant.router import FactRouter
    from vectorstore.index import open_index

    return FactRouter(open_index(settings))


def _emit(record: dict[str, Any], as_json: bool) -> int:
    if as_json:
        print(json.dumps(record, ensure_ascii=False, indent=1))
    else:
        console.print_answer(record)
    return 1 if record["abstained"] else 0


def refs_record(settings: Settings, query: str, province: str | None = None) -> dict[str, Any]:
    from assistant.fact_answers import documents_record

    started = time.perf_counter()
    router = _router(settings)
    docs = [d for d, _ in router.documents(query, province)]
    if not docs:
        return empty_record(query, NOT_FOUND_REFS.format(q=query or "*"))
    return documents_record(router.index, query, docs, started=started).to_dict()


def series_answer(settings: Settings, indicator: str, province: str | None = None) -> dict[str, Any]:
    from assistant.fact_answers import series_record

    started = time.perf_counter()
    router = _router(settings)
    name, rows = router.series(indicator, province)
    if name is None:
        return empty_record(indicator, UNKNOWN_INDICATOR.format(q=indicator))
    if not rows:
        where = f" của {province}" if province else ""
        return empty_record(indicator, NOT_FOUND_SERIES.format(q=name, where=where))
    return series_record(router.index, indicator, name, rows, started=started).to_dict()


def add_parsers(sub: Any, with_index: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
                settings: Callable[[argparse.Namespace], Settings]) -> None:
    sp = with_index(sub.add_parser("refs", help="tra cứu văn bản pháp lý được các báo cáo trích dẫn"))
    sp.add_argument("query", nargs="?", default="", help="số hiệu, loại văn bản, cơ quan hoặc nội dung")
    sp.add_argument("--province", help="chỉ các báo cáo của tỉnh này")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=lambda a: _emit(refs_record(settings(a), a.query, a.province), a.json))

    sp = with_index(sub.add_parser("series", help="số liệu một chỉ tiêu qua các kỳ báo cáo"))
    sp.add_argument("indicator", help="tên chỉ tiêu, ví dụ: \"giá trị sản xuất công nghiệp\", IIP")
    sp.add_argument("--province", help="chỉ các báo cáo của tỉnh này")
    sp.add_argument("--json", action="store_true")
    sp.set_defaults(func=lambda a: _emit(series_answer(settings(a), a.indicator, a.province), a.json))
