"""The app as a client sees it (gradio_client against a server started by the tests)."""

from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path

import pytest
from gradio_client import Client, handle_file

from tests.ui.conftest import http_status
from ui.chat import message_text
from ui.sources import file_url
from ui.uploads import safe_name


@pytest.fixture(scope="module")
def client(server: str) -> Client:
    return Client(server, verbose=False)



def test_question_gets_answer_record_with_citations(client: Client, probe: dict) -> None:
    record = client.predict(probe["q"], [], [], [], api_name="/ask")
    assert not record["abstained"]
    assert "[1]" in record["answer"]
    first = record["citations"][0]
    assert first["n"] == 1 and first["file"].startswith("001_") and first["province"] == "Trà Vinh"
    figure = probe["a"].split()[0]
    assert any(figure in c["text"] for c in record["citations"])
    assert record["retrieved"]


def test_chat_gives_a_finished_answer_at_once_then_shows_sources(client: Client, probe: dict) -> None:
    job = client.submit(probe["q"], [], [], [], [], api_name="/chat")
    updates = list(job)
    textbox, messages, sources = job.result()[:3]
    # the question, then the whole extractive answer: no server worker paces it out word by word
    assert len(updates) == 2 and not message_text(updates[0][1][-1])
    assert textbox == ""
    assert "[1]" in message_text(messages[-1])
    figure = probe["a"].split()[0]
    assert f"<mark>{figure}</mark>" in sources
    assert "Kiểm điểm chỉ đạo" in sources  # the report's subject names the source
    assert "Mở bản gốc" in sources


def test_filters_narrow_the_search(client: Client, probe: dict) -> None:
    record = client.predict(probe["q"], ["Thái Bình"], [], [], api_name="/ask")
    assert record["abstained"] and not record["citations"]


def test_upload_ingest_list_then_remove(client: Client, server: str, upload_file: Path, ui_settings) -> None:
    message = client.predict([handle_file(str(upload_file))], api_name="/upload")
    assert "đã nạp" in message
    stored = re.search(r"\*\*(.+?)\*\*", message).group(1)
    assert stored == safe_name(stored) and stored.startswith("Báo cáo tháng 01-2021")  # diacritics kept
    listed = {d["file"]: d for d in client.predict(api_name="/documents")}
    assert stored in listed and listed[stored]["province"] == "Trà Vinh" and listed[stored]["chunks"] > 0
    assert (ui_settings.index_dir / "files" / stored).is_file()
    assert http_status(server + file_url(ui_settings.index_dir / "files", stored)) == 200  # a Vietnamese name
    assert not list((ui_settings.index_dir / "uploads").iterdir()), "staged copies are cleaned up"

    assert "Đã xóa" in client.predict(stored, api_name="/remove")
    assert stored not in {d["file"] for d in client.predict(api_name="/documents")}
    assert not (ui_settings.index_dir / "files" / stored).exists()


def test_an_excel_97_annex_is_accepted_and_indexed(client: Client, tmp_path: Path) -> None:
    annex = tmp_path / "Phụ lục 2023.xls"
    annex.write_bytes((Path(__file__).resolve().parents[1] / "data" / "phu_luc_97.xls").read_bytes())
    message = client.predict([handle_file(str(annex))], api_name="/upload")
    assert "Phụ lục 2023.xls** — đã nạp" in message, message
    listed = {d["file"]: d for d in client.predict(api_name="/documents")}
    assert listed["Phụ lục 2023.xls"]["format"] == "XLS" and listed["Phụ lục 2023.xls"]["chunks"] >= 3
    assert "Đã xóa" in client.predict("Phụ lục 2023.xls", api_name="/remove")


def test_unreadable_upload_is_refused_with_a_reason(client: Client, corpus: Path) -> None:
    before = client.predict(api_name="/documents")
    message = client.predict([handle_file(str(corpus / "bad" / "not_a_zip.docx"))], api_name="/upload")
    assert "bị từ chối" in message and "not_a_zip.docx" in message
    assert message.split("bị từ chối", 1)[1].strip(" :"), "the refusal says why"
    assert client.predict(api_name="/documents") == before


def test_only_stored_originals_are_served(server: str, ui_settings) -> None:
    files_dir = (ui_settings.index_dir / "files").resolve()
    original = next(files_dir.iterdir())
    assert http_status(f"{server}gradio_api/file={original}") == 200
    chroma_db = next((ui_settings.index_dir / "chroma").glob("*.sqlite3"))
    lexical = files_dir.parent / "lexical.sqlite"
    for forbidden in ("/etc/passwd", lexical, f"{files_dir}/../lexical.sqlite", chroma_db):
        assert http_status(f"{server}gradio_api/file={forbidden}") == 403, forbidden



def test_followup_in_chat_carries_the_indicator_over(client: Client) -> None:
    first = "Tổng mức bán lẻ hàng hóa và dịch vụ 5 tháng đầu năm 2020 đạt bao nhiêu?"
    _, messages, _ = client.predict(first, [], [], [], [], api_name="/chat")
    _, messages, _ = client.predict("còn chỉ số sản xuất công nghiệp thì sao?", messages, [], [], [],
                                    api_name="/chat")
    assert "18,35%" in message_text(messages[-1])


def test_llm_answers_stream_into_the_chat(start_app, ui_settings, probe: dict) -> None:

    from tests.llm_stub import LLMStub

    figure = probe["a"].split()[0]
    with LLMStub() as stub:
        def reply(body: dict) -> str:
            passages = re.findall(r'<doan so="(\d+)">\n(.*?)\n</doan>', body["messages"][-1]["content"], re.S)
            n = next(i for i, text in passages if figure in text)
            return f"Theo báo cáo 6 tháng đầu năm 2020, {probe['q'][:-1].lower()} là {probe['a']} [{n}]."

        stub.reply, stub.chunk_chars = reply, 4
        settings = ui_settings.replace(llm="openai:stub-model", llm_base_url=stub.base_url, llm_timeout=5)
        app, url = start_app(settings)
        try:
            job = Client(url, verbose=False).submit(probe["q"], [], [], [], [], api_name="/chat")
            updates = list(job)
            _, messages, sources = job.result()
        finally:
            app.close()
    assert stub.requests and stub.requests[-1]["stream"] is True
    assert len(updates) > 5
    answer = message_text(messages[-1])
    assert answer.startswith("Theo báo cáo 6 tháng đầu năm 2020, tổng mức") and f"{figure} tỷ đồng [1]" in answer
    assert f"<mark>{figure}</mark>" in sources


def test_health_route_reports_what_the_index_holds(server: str) -> None:
    with urllib.request.urlopen(f"{server}healthz") as resp:
        health = json.loads(resp.read())
    assert health["status"] == "ok" and health["reports"] == 1 and health["chunks"] > 0
