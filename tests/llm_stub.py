"""A real chat server on 127.0.0.1 speaking the OpenAI and the Ollama chat APIs, for tests (no mocks).

Runs in a background thread on a free port. `/v1/chat/completions` answers as OpenAI does
(non-streaming JSON or SSE chunks, depending on the request's "stream"); `/api/chat` as Ollama does
(one JSON object, or NDJSON lines when streaming). Each test sets how it behaves: what it replies, an
HTTP error status for all or the first n requests (with OpenAI's `retry-after-ms` header, which
the OpenAI client honours, so retry tests stay fast), a delay before answering (to outlast the
client timeout). Every request body and its headers are recorded so tests can inspect the prompt.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = str | Callable[[dict[str, Any]], str]


@dataclass
class LLMStub:
    reply: Reply = "Không tìm thấy thông tin trong các báo cáo đã nạp."
    status: int = 200  # HTTP status to answer with when failing
    fail_times: int | None = None  # with status >= 400: fail only the first n requests (None: all)
    delay: float = 0.0  # seconds to wait before answering
    chunk_chars: int = 6  # size of streamed pieces
    pieces: list[str] | None = None  # exact streamed pieces (overrides chunk_chars)
    retry_after_ms: int | None = 20  # sent with error statuses, as OpenAI does (None: no header)
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None
    _stopped: threading.Event = field(default_factory=threading.Event)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "stub not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    @property
    def ollama_url(self) -> str:
        assert self._server is not None, "stub not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def last(self) -> dict[str, Any]:
        return self.requests[-1]

    def start(self) -> LLMStub:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.stub = self  # type: ignore[attr-defined]
        threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopped.set()  # wakes handlers that are sleeping through `delay`
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> LLMStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def text_for(self, body: dict[str, Any]) -> str:
        return self.reply(body) if callable(self.reply) else self.reply

    def pieces_for(self, body: dict[str, Any]) -> list[str]:
        text = self.text_for(body)
        return self.pieces or [text[i:i + self.chunk_chars] for i in range(0, len(text), self.chunk_chars)]

    def failing(self) -> bool:
        """Whether the request just recorded should get the error status."""
        if self.status < 400:
            return False
        return self.fail_times is None or len(self.requests) <= self.fail_times


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # keep test output quiet
        return

    def do_POST(self) -> None:
        stub: LLMStub = self.server.stub  # type: ignore[attr-defined]
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        stub.requests.append(body)
        stub.headers.append({k.lower(): v for k, v in self.headers.items()})
        if stub.delay and stub._stopped.wait(stub.delay):
            return
        try:
            ollama = self.path == "/api/chat"
            if not (ollama or self.path.endswith("/chat/completions")):
                self._json(404, {"error": {"message": f"no route {self.path}"}})
            elif stub.failing():
                error = f"stub failure {stub.status}"
                retry = {"retry-after-ms": str(stub.retry_after_ms)} if stub.retry_after_ms is not None else {}
                self._json(stub.status, {"error": error if ollama else {"message": error}}, retry)
            elif ollama:
                self._ollama(stub, body)
            elif body.get("stream"):
                self._sse(stub, body)
            else:
                self._json(200, _completion(body, stub.text_for(body)))
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout): nothing to answer

    def _json(self, status: int, data: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def _sse(self, stub: LLMStub, body: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()  # HTTP/1.0: the body runs until the connection closes
        for piece in stub.pieces_for(body):
            chunk = {"id": "chatcmpl-stub", "object": "chat.completion.chunk", "model": body.get("model"),
                     "choices": [{"index": 0, "delta": {"content": piece}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
        self.wfile.write(b"data: [DONE]\n\n")

    def _ollama(self, stub: LLMStub, body: dict[str, Any]) -> None:
        """Ollama's /api/chat: one object, or (stream, its default) one JSON line per piece."""
        if body.get("stream") is False:
            self._json(200, _ollama_message(body, stub.text_for(body), True))
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        for piece in stub.pieces_for(body):
            self.wfile.write((json.dumps(_ollama_message(body, piece, False), ensure_ascii=False) + "\n").encode())
            self.wfile.flush()
        self.wfile.write((json.dumps(_ollama_message(body, "", True)) + "\n").encode())


def _completion(body: dict[str, Any], text: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-stub", "object": "chat.completion", "created": int(time.time()),
        "model": body.get("model"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
    }


def _ollama_message(body: dict[str, Any], text: str, done: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"model": body.get("model"), "created_at": "2026-01-01T00:00:00Z",
                           "message": {"role": "assistant", "content": text}, "done": done}
    if done:
        out.update(done_reason="stop", total_duration=1, prompt_eval_count=0, eval_count=0)
    return out
