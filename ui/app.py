"""The Gradio app: layout and wiring only (answers come from AskService, ingest from ingest.job).

`build_app(settings)` returns the Blocks (for tests); `serve(settings, host, port)` is what
`baocao serve` calls. Offline by construction: analytics off, system fonts, no share link,
and the only files served are the stored originals under `<index>/files/`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import gradio as gr
from starlette.middleware import Middleware

from assistant.service import AskService
from ui import library
from ui.auth import LoginGate, auth_from_env
from ui.catalog import ReportInfo, filter_choices, list_reports
from ui.chat import ChatHandlers
from ui.errors import plain_errors
from ui.examples import example_questions
from ui.facts_tabs import documents_tab, series_tab
from ui.health import health_route
from ui.pages import FAVICON as FAVICON_NAME
from ui.pages import TITLE, translate_head
from ui.sources import EMPTY_HTML
from ui.status import footer_markdown
from ui.style import CSS, theme
from ui.uploads import MAX_UPLOAD_BYTES
from vectorstore.settings import Settings

log = logging.getLogger(__name__)

FAVICON = Path(__file__).parent / "assets" / FAVICON_NAME
INTRO = ("Hỏi về số liệu, chính sách và nhiệm vụ trong các báo cáo đã nạp. Mỗi câu trả lời có số "
         "[1], [2]… chỉ tới đoạn gốc ở khung **Nguồn trích dẫn**; "
         "bấm vào một câu trả lời cũ để xem lại nguồn.")
QUESTION_HINT = "Nhập câu hỏi, ví dụ: Tổng mức bán lẻ quý I/2023 là bao nhiêu?"
UPLOAD_TYPES = [".pdf", ".docx", ".doc", ".xlsx", ".xls", ".txt", ".md"]
# choices change as reports come and go (other sessions, API clients): a value is checked by the service.
# They arrive with the page load (app.load -> refresh), never in the built config: Gradio embeds the API
# description, dropdown choices included, even in the page it serves before login.
FILTER = {"multiselect": True, "allow_custom_value": True}


def _chat_tab(h: ChatHandlers, reports: list[ReportInfo]) -> SimpleNamespace:
    ui = SimpleNamespace()
    with gr.Row(equal_height=False, elem_id="bc-chat-row"):
        with gr.Column(scale=3, elem_id="bc-chat-main"):
            with gr.Row(elem_id="bc-filters"):
                ui.provinces = gr.Dropdown([], value=[], label="Tỉnh", **FILTER)
                ui.years = gr.Dropdown([], value=[], label="Năm", **FILTER)
                ui.files = gr.Dropdown([], value=[], label="Báo cáo", scale=2, **FILTER)
            ui.chatbot = gr.Chatbot(label="Hội thoại", height=460, buttons=["copy", "copy_all"],
                                    feedback_options=None, elem_id="bc-chat",
                                    placeholder="Đặt câu hỏi ở ô bên dưới hoặc chọn một câu hỏi gợi ý.")
            with gr.Row(elem_id="bc-ask-row"):
                ui.question = gr.Textbox(show_label=False, scale=6, elem_id="bc-question",
                                         placeholder=QUESTION_HINT)
                ui.send = gr.Button("Gửi", variant="primary", scale=1, elem_id="bc-send")
            ui.new = gr.Button("Cuộc trò chuyện mới", size="sm", elem_id="bc-new")
            ui.examples = gr.Dataset(components=[ui.question], label="Câu hỏi gợi ý", elem_id="bc-examples",
                                     samples=[[q] for q in example_questions(reports)])
        with gr.Column(scale=2, elem_id="bc-sources-col"):
            ui.sources = gr.HTML(EMPTY_HTML, elem_id="bc-sources")
    ui.records = gr.State([])
    return ui


def _library_tab(reports: list[ReportInfo], files_dir: Path) -> SimpleNamespace:
    ui = SimpleNamespace()
    with gr.Row(equal_height=True, elem_id="bc-upload-row"):
        ui.upload = gr.UploadButton("Tải tệp lên và nạp", file_count="multiple", file_types=UPLOAD_TYPES,
                                    variant="primary", elem_id="bc-upload", scale=0, min_width=220)
        gr.Markdown("Nhận PDF, DOCX, DOC, XLSX, XLS, TXT, MD; chọn được nhiều tệp. Tệp trùng tên thay thế bản đã nạp; "
                    "một báo cáo đã có dưới tên khác (cùng số và ngày, hoặc gần như cùng nội dung) "
                    "được giữ lại để hỏi trước.")
    ui.allow_duplicates = gr.Checkbox(False, label="Vẫn nạp báo cáo trùng", elem_id="bc-allow-duplicates")
    ui.ingest_log = gr.Markdown(elem_id="bc-ingest-log")
    ui.table = gr.HTML(library.library_html(reports, files_dir), elem_id="bc-library")
    with gr.Row():
        ui.to_remove = gr.Dropdown([], value=None, label="Xóa báo cáo",
                                   scale=4, allow_custom_value=True, elem_id="bc-remove-choice")
        ui.remove = gr.Button("Xóa khỏi chỉ mục", variant="stop", scale=1, elem_id="bc-remove")
    with gr.Row(visible=False) as ui.confirm_row:
        ui.confirm_text = gr.Markdown()
        ui.confirm = gr.Button("Xác nhận xóa", variant="stop", elem_id="bc-confirm-remove")
        ui.cancel = gr.Button("Hủy")
    ui.remove_log = gr.Markdown(elem_id="bc-remove-log")
    return ui


def _keep(values: list | None, choices: list) -> list:
    allowed = {c[1] if isinstance(c, tuple) else c for c in choices}
    return [v for v in values or [] if v in allowed]


def _wire_chat(chat: SimpleNamespace, h: ChatHandlers) -> None:
    inputs = [chat.question, chat.chatbot, chat.records, chat.provinces, chat.years, chat.files]
    outputs = [chat.question, chat.chatbot, chat.sources, chat.records]
    private = {"api_visibility": "private"}
    chat.question.submit(h.respond, inputs, outputs, api_name="chat")
    chat.send.click(h.respond, inputs, outputs, **private)
    pick = chat.examples.click(lambda sample: sample[0], chat.examples, chat.question, **private)
    pick.then(h.respond, inputs, outputs, **private)
    chat.new.click(h.new_chat, None, outputs, **private)
    chat.chatbot.clear(h.new_chat, None, outputs, **private)

    def show_turn(records: list, evt: gr.SelectData) -> str:
        return h.show_turn(records, evt.index)

    chat.chatbot.select(show_turn, chat.records, chat.sources, **private)
    gr.api(h.ask_record, api_name="ask")


def _wire_library(app: gr.Blocks, service: AskService, chat: SimpleNamespace, lib: SimpleNamespace,
                  footer: gr.Markdown) -> None:
    index = service.index

    @plain_errors
    def refresh(prov: list, yrs: list, fls: list) -> tuple:
        reports = list_reports(index)
        provinces, years, files = filter_choices(reports)
        return (
            library.library_html(reports, index.files_dir),
            gr.Dropdown(choices=files, value=None),
            gr.Dropdown(choices=provinces, value=_keep(prov, provinces)),
            gr.Dropdown(choices=years, value=_keep(yrs, years)),
            gr.Dropdown(choices=files, value=_keep(fls, files)),
            gr.Dataset(samples=[[q] for q in example_questions(reports)]),
            footer_markdown(service.settings, len(reports), sum(r.chunks for r in reports)),
        )

    def on_upload(files: list[str] | None, allow_duplicates: bool = False) -> Iterator[str]:
        """Progress while the files are read and embedded, then one line per file."""
        if not files:
            yield "Chưa chọn tệp nào."
            return
        yield from library.upload_with_progress(index, files, bool(allow_duplicates))

    def ask_confirm(file: str | None) -> tuple:
        if not file:
            return gr.Row(visible=False), "", "Hãy chọn báo cáo cần xóa."
        return gr.Row(visible=True), f"Xóa **{file}** và bản gốc đã lưu khỏi chỉ mục?", ""

    def do_remove(file: str | None) -> tuple:
        return library.remove(index, file or ""), gr.Row(visible=False)

    filters = [chat.provinces, chat.years, chat.files]
    outs = [lib.table, lib.to_remove, *filters, chat.examples, footer]
    lock = {"concurrency_id": "library", "concurrency_limit": 1}
    lib.upload.upload(on_upload, [lib.upload, lib.allow_duplicates], lib.ingest_log, api_name="upload",
                      show_progress="hidden", **lock).then(
        refresh, filters, outs, api_visibility="private")
    lib.remove.click(ask_confirm, lib.to_remove, [lib.confirm_row, lib.confirm_text, lib.remove_log],
                     api_visibility="private")
    lib.cancel.click(lambda: gr.Row(visible=False), None, lib.confirm_row, api_visibility="private")
    removed = lib.confirm.click(do_remove, lib.to_remove, [lib.remove_log, lib.confirm_row],
                                api_name="remove", **lock)
    removed.then(refresh, filters, outs, api_visibility="private")
    app.load(refresh, filters, outs, api_visibility="private")
    @plain_errors
    def documents() -> list[dict]:
        """The indexed reports as the library tab shows them, for API clients."""
        return [asdict(r) for r in list_reports(index)]

    gr.api(documents, api_name="documents")


def build_app(settings: Settings, service: AskService | None = None) -> gr.Blocks:
    """The whole app; `service` may be shared (tests, several apps on one index)."""
    service = service or AskService(settings)
    handlers = ChatHandlers(service)
    reports = list_reports(service.index)
    with gr.Blocks(title=TITLE, analytics_enabled=False) as app:
        with gr.Row(elem_id="bc-top"):
            gr.Markdown(f"## {TITLE}\n{INTRO}")
            logout = gr.Button("Đăng xuất", link="logout", visible=False, size="sm", scale=0, min_width=110,
                               elem_id="bc-logout")
        with gr.Tabs():
            with gr.Tab("Hỏi đáp", id="chat"):
                chat = _chat_tab(handlers, reports)
            with gr.Tab("Tài liệu", id="library"):
                lib = _library_tab(reports, service.index.files_dir)
            with gr.Tab("Văn bản", id="documents"):
                documents_tab(service, handlers)
            with gr.Tab("Số liệu", id="series"):
                series_tab(service, handlers)
        footer = gr.Markdown(footer_markdown(settings, len(reports), sum(r.chunks for r in reports)),
                             elem_id="bc-footer")
        _wire_chat(chat, handlers)
        _wire_library(app, service, chat, lib, footer)
        app.load(_logout_visible, None, logout, api_visibility="private")
    app.baocao_service = service  # type: ignore[attr-defined] - for warm-up and tests
    return app


def _logout_visible(request: gr.Request) -> gr.Button:
    """The logout button, shown only to a user who logged in."""
    return gr.Button(visible=bool(getattr(request, "username", None)))


def launch_options(settings: Settings, auth: list[tuple[str, str]] | None,
                   service: AskService | None = None) -> dict[str, Any]:
    """Everything `launch` needs to stay offline and serve only the stored originals (+ /healthz)."""
    index_dir = settings.index_dir.resolve()
    files_dir = index_dir / "files"
    files_dir.mkdir(parents=True, exist_ok=True)
    return {
        "theme": theme(), "css": CSS, "share": False, "ssr_mode": False, "footer_links": [],
        "allowed_paths": [str(files_dir)],
        "blocked_paths": [str(index_dir / name) for name in ("chroma", "uploads")],
        "auth": auth or None, "auth_message": f"Đăng nhập để dùng {TITLE}.",
        "max_file_size": f"{MAX_UPLOAD_BYTES // 1048576}mb", "pwa": False, "mcp_server": False,
        "favicon_path": str(FAVICON), "head": translate_head(),
        "app_kwargs": {"middleware": [Middleware(LoginGate)], "openapi_url": None,
                       "routes": [health_route(service)] if service else []},
    }


def _warm_up(service: AskService) -> None:
    """Load the model and the lexical cache before the first question (first answers are slow otherwise)."""
    try:
        service.engine.refresh()
        service.index.embeddings.embed_query("khởi động")
        service.engine.restorer()  # for questions typed without diacritics
    except Exception:  # noqa: BLE001 - a failed warm-up only means the first question pays the cost
        log.warning("warm-up failed", exc_info=True)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860, *, block: bool = True,
          auth: list[tuple[str, str]] | None = None) -> gr.Blocks:
    """Start the app; auth defaults to BAOCAO_AUTH. With block=False returns the running app (tests)."""
    app = build_app(settings)
    threading.Thread(target=_warm_up, args=(app.baocao_service,), daemon=True).start()
    app.queue(default_concurrency_limit=4)
    app.launch(server_name=host, server_port=port, prevent_thread_lock=not block, inbrowser=False,
               quiet=not block,
               **launch_options(settings, auth if auth is not None else auth_from_env(), app.baocao_service))
    return app
