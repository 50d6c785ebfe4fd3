"""Hybrid retrieval on the five real reports: periods and provinces kept apart, Vietnamese typed any way.

The reports repeat the same indicators every period, so the passage of the right report must rank
first, above near-identical passages of other periods and provinces.
"""

from __future__ import annotations

import time

import pytest
from langchain_core.documents import Document

from assistant.dense_text import TOKEN_BUDGET
from assistant.retriever import REFRESH_S, Filters, HybridRetriever, HybridSearch
from vectorstore.index import open_index

MARCH_2023, JUNE_2020, PLAN_2016_2020, SEPT_2023_TB, JAN_2021 = (
    "000_89578c0fb5adbcc8.txt", "001_739995c49d508915.txt", "002_368a2f4118ee684c.txt",
    "003_1270833f58a97ba9.txt", "004_b2627541d245ea87.txt")


@pytest.fixture(scope="module")
def engine(txt_index) -> HybridSearch:
    return HybridSearch(open_index(txt_index))


def top(engine: HybridSearch, question: str, k: int = 10, filters: Filters | None = None):
    return engine.search(engine.understand(question), k, filters)


@pytest.mark.parametrize(("question", "report"), [
    ("Giá trị sản xuất công nghiệp tháng 01/2021 của Trà Vinh ước đạt bao nhiêu?", JAN_2021),
    ("Giá trị sản xuất công nghiệp tháng 3/2023 của Trà Vinh ước đạt bao nhiêu?", MARCH_2023),
    ("Chỉ số sản xuất công nghiệp 5 tháng đầu năm 2020 tăng bao nhiêu?", JUNE_2020),
    ("Chỉ số sản xuất công nghiệp tháng 9/2023 của Thái Bình so với tháng trước?", SEPT_2023_TB),
    ("Tỷ lệ hộ sử dụng điện tháng 01/2021 là bao nhiêu?", JAN_2021),
    ("Tỷ lệ hộ sử dụng điện quý I/2023 là bao nhiêu?", MARCH_2023),
])
def test_the_asked_period_and_province_rank_first(engine, question, report):
    hits = top(engine, question)
    assert hits[0].chunk.metadata["file"] == report, [h.chunk.metadata["file"] for h in hits[:3]]


@pytest.mark.parametrize(("typed", "as_written"), [
    ("gia tri san xuat cong nghiep thang 3 nam 2023 tra vinh", "Giá trị sản xuất công nghiệp tháng 03/2023 Trà Vinh"),
    ("ty le ho su dung dien thang 1/2021", "Tỷ lệ hộ sử dụng điện tháng 01/2021"),
])
def test_no_diacritics_and_month_spelling_find_the_same_passage(engine, typed, as_written):
    assert top(engine, typed)[0].id == top(engine, as_written)[0].id


@pytest.mark.parametrize(("question", "needle"), [
    ("IIP tháng 9/2023 của Thái Bình so với tháng trước?", "giảm 2,8%"),
    ("GTSXCN tháng 9/2023 của Thái Bình?", "8.321 tỷ đồng"),
    ("Doanh thu bán lẻ của Trà Vinh tháng 3/2023?", "Tổng mức bán lẻ hàng hóa và dịch vụ ước tháng 03/2023"),
    ("QĐ 1215 về bình ổn thị trường", "1215/QĐ-UBND"),
    ("Quyết định số 139/QĐ-UBND ban hành kế hoạch gì?", "139/QĐ-UBND"),
])
def test_abbreviations_and_document_numbers_are_understood(engine, question, needle):
    assert any(needle in h.body for h in top(engine, question)[:3])


def test_filters_are_hard(engine):
    hits = top(engine, "Tổng mức bán lẻ hàng hóa và dịch vụ", filters=Filters(provinces=["Thái Bình"]))
    assert hits and {h.chunk.metadata["province"] for h in hits} == {"Thái Bình"}
    hits = top(engine, "Tổng mức bán lẻ hàng hóa và dịch vụ", filters=Filters(files=[JAN_2021]))
    assert {h.chunk.metadata["file"] for h in hits} == {JAN_2021}


def test_langchain_retriever_returns_documents_with_metadata(engine):
    docs = HybridRetriever(engine=engine, k=3).invoke("Kim ngạch xuất khẩu 9 tháng đầu năm 2023 của Thái Bình")
    assert len(docs) == 3 and all(isinstance(d, Document) for d in docs)
    assert docs[0].metadata["file"] == SEPT_2023_TB and "2.032" in docs[0].page_content
    assert {"chunk_id", "score", "province", "period_labels", "section"} <= set(docs[0].metadata)


def test_reports_ingested_by_another_process_are_answered_without_a_restart(small_index, tmp_path):
    """The app and a CLI ingest are different processes: here, two separate handles on one store."""
    from assistant.service import AskService
    from ingest.job import run_ingest
    from tests.indexes import copy_report
    from vectorstore.index import Index

    writer = Index(small_index)
    run_ingest(writer, [copy_report("004_b2627541d245ea87", "txt", tmp_path / "in")])
    service = AskService(small_index)
    question = "Giá trị sản xuất công nghiệp 5 tháng đầu năm 2020 của Trà Vinh đạt bao nhiêu?"
    assert "16.376,78" not in service.ask(question)["answer"]

    src = copy_report("001_739995c49d508915", "txt", tmp_path / "in")
    run_ingest(writer, [src])
    time.sleep(REFRESH_S)
    record = service.ask(question)
    assert "16.376,78" in record["answer"] and record["citations"][0]["file"] == src.name

    # a change that keeps the number of chunks: a count could not tell, the store's change marker does
    src.write_text(src.read_text(encoding="utf-8").replace("16.376,78", "16.367,78"), encoding="utf-8")
    run_ingest(writer, [src])
    time.sleep(REFRESH_S)
    answer = service.ask(question)["answer"]
    assert "16.367,78" in answer and "16.376,78" not in answer


def test_a_long_question_is_read_within_the_dense_budget_and_still_found(engine):
    """The dense model reads at most TOKEN_BUDGET tokens (its time grows with each); the lexical side
    still reads every word, so a long question keeps its passage first."""
    question = ("Trong giai đoạn 2016-2020 Sở Công Thương Trà Vinh đã tham mưu Ủy ban nhân dân tỉnh ban hành "
                "quy chế hướng dẫn lập, quản lý và sử dụng kinh phí khuyến công địa phương và kinh phí "
                "chương trình phát triển công nghiệp hỗ trợ ra sao?")
    q = engine.understand(question)
    dense_text = engine.dense_query_text(q)
    count = engine.index.embeddings.count_tokens
    assert count(q.content_text) > TOKEN_BUDGET >= count(dense_text)
    assert q.content_text.startswith(dense_text) and "2016" not in dense_text
    hits = top(engine, question)
    assert hits[0].chunk.metadata["file"] == PLAN_2016_2020
    assert "kinh phí khuyến công địa phương" in hits[0].body
