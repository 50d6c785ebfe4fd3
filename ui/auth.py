"""Optional login: BAOCAO_AUTH=user:password[,user2:password2] turns Gradio's auth on."""

from __future__ import annotations

import os

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
    return parse_auth(os.environ.get(AUTH_ENV))
