"""The LLM path end to end: a real index, a real HTTP server on 127.0.0.1 speaking the OpenAI API.

The stub answers from the passages it is sent, the way a model would (it finds the passage holding
a figure and cites its number), so the tests exercise what the chain does with a model's text:
checks, renumbering, fallback, refusal, streaming and the follow-up rewrite.
"""

from __future__ import annotations

import re
import socket

import pytest

from assistant.compose.llm import LLM_REFUSAL
from assistant.service import AskService
from tests.llm_stub import LLMStub

QUESTION = "Tổng mức bán lẻ hàng hóa và dịch vụ lũy kế quý I/2023 của Trà Vinh ước đạt bao nhiêu?"
FIGURE = "14.184,14"
PASSAGE = re.compile(r'<doan so="(\d+)">\n(.*?)\n</doan>', re.DOTALL)


def passages_sent(body: dict) -> dict[int, str]:
    return {int(n): text for n, text in PASSAGE.findall(body["messages"][-1]["content"])}


def cite(figure: str, body: dict) -> int:
    """The number of the first passage sent that holds `figure` (as a model would cite it)."""
    return next(n for n, text in passages_sent(body).items() if figure in text)


def service_for(settings, url: str) -> AskService:
    return AskService(settings.replace(llm="openai:stub-model", llm_base_url=url, llm_timeout=5))


@pytest.fixture
def stub():
    with LLMStub() as server:
        yield server


def test_llm_answer_is_cited_to_the_passage_holding_the_figure(txt_index, stub):
    stub.reply = lambda b: f"Lũy kế quý I/2023, tổng mức bán lẻ ước đạt {FIGURE} tỷ đồng [{cite(FIGURE, b)}]."
    rec = service_for(txt_index, stub.base_url).ask(QUESTION)
    assert rec["mode"] == "llm" and not rec["abstained"]
    assert FIGURE in rec["answer"] and rec["answer"].endswith("[1].")
    assert FIGURE in rec["citations"][0]["text"]
    assert "CHỈ dựa trên" in stub.last["messages"][0]["content"]


def test_sentence_with_a_figure_no_passage_holds_is_removed(txt_index, stub):
    def reply(body: dict) -> str:
        n = cite(FIGURE, body)
        return (f"Tổng mức bán lẻ lũy kế quý I/2023 ước đạt {FIGURE} tỷ đồng [{n}]. "
                f"Trong đó bán lẻ hàng hóa đạt 9.999,99 tỷ đồng [{n}].")

    stub.reply = reply
    rec = service_for(txt_index, stub.base_url).ask(QUESTION)
    assert FIGURE in rec["answer"] and "9.999,99" not in rec["answer"]
    assert "Đã bỏ 1 câu" in rec["notice"]


def test_citation_of_a_passage_that_was_not_given_is_dropped(txt_index, stub):
    stub.reply = lambda b: (f"Tổng mức bán lẻ lũy kế quý I/2023 ước đạt {FIGURE} tỷ đồng [{cite(FIGURE, b)}][9]. "
                            "Tăng 56,52% so cùng kỳ [7].")
    rec = service_for(txt_index, stub.base_url).ask(QUESTION)
    assert len(rec["citations"]) == 1 and "[9]" not in rec["answer"] and "[7]" not in rec["answer"]
    assert "56,52%" not in rec["answer"], "a sentence citing only a passage that was not given is removed"


def test_answer_failing_every_check_falls_back_to_the_extractive_answer(txt_index, stub):
    stub.reply = "Tổng mức bán lẻ quý I/2023 đạt 99.999 tỷ đồng [1]."
    rec = service_for(txt_index, stub.base_url).ask(QUESTION)
    assert rec["mode"] == "extractive" and FIGURE in rec["answer"]
    assert "không qua được kiểm tra" in rec["notice"]


def test_unreachable_server_gives_the_extractive_answer_and_a_notice(txt_index):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    service = service_for(txt_index, f"http://127.0.0.1:{port}/v1")
    rec = service.ask(QUESTION)
    assert rec["mode"] == "extractive" and FIGURE in rec["answer"] and not rec["abstained"]
    assert rec["notice"].startswith("Không kết nối được mô hình ngôn ngữ")


def test_model_refusal_is_an_abstention_with_the_nearest_passage(txt_index, stub):
    stub.reply = LLM_REFUSAL
    rec = service_for(txt_index, stub.base_url).ask(QUESTION)
    assert rec["abstained"] is True and rec["answer"].startswith("Không tìm thấy")


def test_model_never_sees_passages_of_another_period(txt_index, stub):
    stub.reply = LLM_REFUSAL
    service_for(txt_index, stub.base_url).ask("Giá trị sản xuất công nghiệp tháng 01/2021 của Trà Vinh là bao nhiêu?")
    sent = passages_sent(stub.last)
    assert sent, "the January 2021 report's passages are given"
    assert not any("2.582,06" in text for text in sent.values()), "March 2023 figure shown for a January 2021 question"


def test_stream_gives_pieces_then_the_checked_record(txt_index, stub):
    stub.reply = lambda b: f"Lũy kế quý I/2023 ước đạt {FIGURE} tỷ đồng [{cite(FIGURE, b)}]."
    out = list(service_for(txt_index, stub.base_url).stream(QUESTION))
    pieces, record = out[:-1], out[-1]
    assert len(pieces) > 1 and all(isinstance(p, str) for p in pieces)
    assert FIGURE in "".join(pieces) and FIGURE in record["answer"] and record["citations"]


def test_followup_is_rewritten_by_the_model_then_answered(txt_index, stub):
    standalone = "Tổng mức bán lẻ hàng hóa và dịch vụ tháng 3/2023 của Trà Vinh ước đạt bao nhiêu?"

    def reply(body: dict) -> str:
        if "Câu hỏi độc lập" in body["messages"][-1]["content"]:
            return standalone
        return f"Tháng 3/2023 ước đạt 4.680,3 tỷ đồng [{cite('4.680,3', body)}]."

    stub.reply = reply
    history = [{"question": QUESTION, "answer": f"... {FIGURE} tỷ đồng [1]."}]
    rec = service_for(txt_index, stub.base_url).ask("còn tháng 3/2023 thì sao?", history=history)
    assert rec["standalone_question"] == standalone
    assert "4.680,3" in rec["answer"]


def _without_timings(record: dict) -> dict:
    return {k: v for k, v in record.items() if k != "timings_ms"}


def test_plain_and_streamed_answers_are_one_record(txt_index, stub):
    """chain.invoke and chain.stream are one path: the same checked record, streamed or not."""
    stub.reply = lambda b: (f"Lũy kế quý I/2023 ước đạt {FIGURE} tỷ đồng [{cite(FIGURE, b)}]. "
                            "Trong đó bán lẻ đạt 9.999,99 tỷ đồng [1].")
    service = service_for(txt_index, stub.base_url)
    plain = service.ask(QUESTION, qid="a1")
    *pieces, streamed = service.stream(QUESTION, qid="a1")
    assert _without_timings(plain) == _without_timings(streamed)
    assert plain["mode"] == "llm" and "9.999,99" not in plain["answer"] and "Đã bỏ 1 câu" in plain["notice"]
    assert "9.999,99" in "".join(pieces), "the stream shows the model's text as written; the record is checked"


def test_the_chain_retrieves_through_the_langchain_retriever(txt_index):
    from langchain_core.callbacks import BaseCallbackHandler

    from assistant.chain import build_chain

    class Seen(BaseCallbackHandler):
        def __init__(self) -> None:
            self.retrieved: list[list[str]] = []

        def on_retriever_end(self, documents, **kwargs) -> None:
            self.retrieved.append([d.id for d in documents])

    service, seen = AskService(txt_index), Seen()
    out = build_chain(service.engine).invoke({"question": QUESTION}, config={"callbacks": [seen]})
    record = out["record"].to_dict()
    assert len(seen.retrieved) == 1 and FIGURE in record["answer"]
    assert {c["chunk_id"] for c in record["citations"]} <= set(seen.retrieved[0])
    assert [r["chunk_id"] for r in record["retrieved"]][1:] != [] and set(seen.retrieved[0]) == {
        r["chunk_id"] for r in record["retrieved"]}
