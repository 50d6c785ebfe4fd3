"""Optional login: BAOCAO_AUTH=user:password[,user2:password2] turns Gradio's auth on."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from ui.pages import login_page, send_html, vietnamese_page
from vectorstore.settings import Settings

AUTH_ENV = "BAOCAO_AUTH"


def parse_auth(value: str | None) -> list[tuple[str, str]] | None:
    """Pairs from 'user:pass,user2:pass2'; None when unset (no login). Passwords may contain ':'."""
    if not value or not value.strip():
        return None
    pairs = []
    for item in value.split(","):
        user, sep, password = item.strip().partition(":")
        if not sep or not user.strip() or not password:
            raise ValueError(
                f"{AUTH_ENV} không hợp lệ ở mục {item.strip()!r}: cần dạng tên:mật_khẩu[,tên2:mật_khẩu2]"
            )
        pairs.append((user.strip(), password))
    return pairs


def auth_from_env() -> list[tuple[str, str]] | None:
    return parse_auth(Settings().auth)


# What the login page itself needs; everything else answers 401 until the user has logged in.
PUBLIC_PATHS = frozenset({"/", "/healthz", "/login", "/login/", "/logout", "/favicon.ico", "/theme.css", "/robots.txt",
                          "/manifest.json", "/gradio_api/theme.css", "/gradio_api/startup-events"})
PUBLIC_PREFIXES = ("/assets/", "/static/", "/svelte/", "/pwa_icon")


class LoginGate:
    """ASGI middleware: with a login configured, no route but the login page's answers without it.

    Gradio checks the login on its data routes, but not on all of them (stream, cancel, reset,
    heartbeat, the OpenAPI schema...); this gate closes every route, present and future, at once.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        gradio_app = scope.get("app")
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        path, root = scope.get("path", ""), scope.get("root_path", "")
        path = path[len(root):] if root and path.startswith(root) else path
        page = scope["type"] == "http" and path == "/" and scope.get("method") in ("GET", "HEAD")
        if getattr(gradio_app, "auth", None) is not None and not _logged_in(gradio_app, scope):
            if page:  # our Vietnamese login page instead of Gradio's English one
                message = getattr(gradio_app.get_blocks(), "auth_message", None) or ""
                await send_html(send, login_page(message, "favicon.ico"), head_only=scope["method"] == "HEAD")
                return
            if not _public(path):
                await _refuse(scope, send)
                return
        if page:
            await self.app(scope, receive, _rewriting(send))
            return
        await self.app(scope, receive, send)


def _public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def _logged_in(gradio_app: Any, scope: dict) -> bool:
    cookies = Request(scope).cookies
    cookie_id = gradio_app.cookie_id
    token = cookies.get(f"access-token-{cookie_id}") or cookies.get(f"access-token-unsecure-{cookie_id}")
    return token is not None and token in gradio_app.tokens


def _rewriting(send: Any) -> Any:
    """A `send` that gives the app page lang="vi" and our title (the body is small: buffered)."""
    start: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.start":
            start.update(message)
            return
        if message["type"] != "http.response.body" or not start:
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = b"".join(chunks)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if any(k.lower() == b"content-type" and v.startswith(b"text/html") for k, v in headers) and body:
            body = vietnamese_page(body)
        await send({**start, "headers": [*headers, (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    return wrapped


async def _refuse(scope: dict, send: Any) -> None:
    if scope["type"] == "websocket":
        await send({"type": "websocket.close", "code": 1008})
        return
    body = json.dumps({"detail": "Chưa đăng nhập."}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": 401,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
