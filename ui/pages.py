"""The page around the app in Vietnamese: the login page, `lang="vi"`, the title, Gradio's own labels.

Gradio ships no Vietnamese, so its login page, its tooltips ("Copy message", "Clear") and its
`lang="en"` would greet every user in English. The login page is ours (it posts to Gradio's own
/login); the app page is served with `lang="vi"` and our title; Gradio's labels are translated in
the browser by `TRANSLATE_JS` (a fixed table, applied as the page changes), which also opens a long
quoted passage at the answer's figure.
"""

from __future__ import annotations

import html
import json
from typing import Any

TITLE = "Trợ lý báo cáo Sở Công Thương"
FAVICON = "favicon.svg"  # under ui/assets/

# Gradio's English labels (text, tooltips, aria labels) as they appear in the page -> Vietnamese.
GRADIO_LABELS = {
    "Clear": "Xóa", "Copy message": "Sao chép", "Copy conversation": "Sao chép cả hội thoại",
    "Copied conversation": "Đã sao chép hội thoại", "Copied message": "Đã sao chép", "Copy": "Sao chép",
    "Copied!": "Đã sao chép", "Copied": "Đã sao chép", "More tabs": "Thêm thẻ", "Remove": "Bỏ",
    "Remove All": "Bỏ tất cả", "Loading...": "Đang tải…", "Loading": "Đang tải", "Error": "Lỗi",
    "Close": "Đóng", "Submit": "Gửi", "Retry": "Thử lại", "Undo": "Hoàn tác", "Edit": "Sửa",
    "Delete": "Xóa", "Like": "Thích", "Dislike": "Không thích", "Chatbot": "Hội thoại",
    "Scroll down": "Cuộn xuống", "Upload": "Tải lên", "Upload file": "Tải tệp lên", "Download": "Tải xuống",
    "Share": "Chia sẻ", "Fullscreen": "Toàn màn hình", "Exit fullscreen mode": "Thoát toàn màn hình",
    "Settings": "Cài đặt", "Dropdown": "Danh sách chọn", "Textbox": "Ô nhập", "Checkbox": "Ô chọn",
    "Dataset": "Câu hỏi gợi ý", "Examples": "Ví dụ", "Connection lost": "Mất kết nối",
    "Connection errored out.": "Mất kết nối với máy chủ.", "Waiting": "Đang chờ", "processing": "đang xử lý",
    "queue": "hàng đợi", "Select an option": "Chọn một mục", "No results": "Không có kết quả",
    "Show more": "Xem thêm", "Show less": "Thu gọn", "Logout": "Đăng xuất",
    "Empty": "Trống", "chatbot conversation": "Hội thoại", "Drop File Here": "Thả tệp vào đây",
    "Click to Upload": "Bấm để tải lên",
    "- or -": "- hoặc -", "Too many requests": "Quá nhiều yêu cầu", "Stop": "Dừng",
}

TRANSLATE_JS = r"""
<script>
(() => {
  const LABELS = __LABELS__;
  const TITLE = __TITLE__;
  const ATTRS = ["title", "aria-label", "placeholder", "alt"];
  const remove = /^Remove (.+)$/;
  const said = /^(\w+)'s message: ([\s\S]*)$/;  // the chat's labels for screen readers
  const tr = (s) => {
    if (!s) return null;
    const t = s.trim();
    if (LABELS[t]) return s.replace(t, LABELS[t]);
    let m = t.match(remove);
    if (m) return s.replace(t, "Bỏ " + m[1]);
    m = t.match(said);
    if (m) return (m[1] === "user" ? "Câu hỏi: " : "Câu trả lời: ") + m[2];
    return null;
  };
  const fix = (root) => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      const v = tr(n.nodeValue); if (v !== null && v !== n.nodeValue) n.nodeValue = v;
    }
    const els = root.querySelectorAll ? root.querySelectorAll("[title],[aria-label],[placeholder],[alt]") : [];
    for (const el of els) for (const a of ATTRS) {
      const v = tr(el.getAttribute(a)); if (v !== null && v !== el.getAttribute(a)) el.setAttribute(a, v);
    }
  };
  const keep = () => {
    const h = document.documentElement;
    if (h.getAttribute("lang") !== "vi") h.setAttribute("lang", "vi");
    if (document.title !== TITLE && /gradio/i.test(document.title || "gradio")) document.title = TITLE;
  };
  const toFigure = () => {  // a long quoted passage opens at the answer's first highlighted figure
    for (const q of document.querySelectorAll(".bc-quote:not([data-bc-seen])")) {
      q.setAttribute("data-bc-seen", "1");
      const m = q.querySelector("mark");
      if (m && q.scrollHeight > q.clientHeight) q.scrollTop = Math.max(0, m.offsetTop - 24);
    }
  };
  let queued = false;
  const run = () => { queued = false; keep(); fix(document.body); toFigure(); };
  new MutationObserver(() => { if (!queued) { queued = true; requestAnimationFrame(run); } })
    .observe(document.documentElement, {subtree: true, childList: true, characterData: true, attributes: true,
             attributeFilter: ["lang", "title", "aria-label", "placeholder", "alt"]});
  document.addEventListener("DOMContentLoaded", run);
})();
</script>
"""


def translate_head() -> str:
    """The <head> snippet the app page carries (Blocks(head=...))."""
    return (TRANSLATE_JS.replace("__LABELS__", json.dumps(GRADIO_LABELS, ensure_ascii=False))
            .replace("__TITLE__", json.dumps(TITLE, ensure_ascii=False)))


def vietnamese_page(body: bytes) -> bytes:
    """Gradio's app page with lang="vi" and our title in its social-card tags."""
    text = body.decode("utf-8")
    text = text.replace('lang="en"', 'lang="vi"', 1)
    text = text.replace('content="Gradio"', f'content="{html.escape(TITLE)}"')
    text = text.replace('content="Click to try out the app!"', 'content="Hỏi đáp có trích dẫn trên báo cáo"')
    return text.encode("utf-8")


LOGIN_PAGE = """<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Đăng nhập — {title}</title>
<link rel="icon" type="image/svg+xml" href="{favicon}">
<style>
 body {{ font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif; margin: 0;
        background: #f3f4f6; color: #111827; display: flex; min-height: 100vh; align-items: center;
        justify-content: center; }}
 form {{ background: #fff; padding: 1.6rem; border-radius: 12px; box-shadow: 0 2px 12px #0002;
        width: min(22rem, calc(100vw - 2rem)); box-sizing: border-box; }}
 h1 {{ font-size: 1.2rem; margin: 0 0 0.3rem; }}
 p {{ margin: 0 0 1rem; color: #4b5563; font-size: 0.95rem; }}
 label {{ display: block; font-weight: 600; margin: 0.7rem 0 0.25rem; }}
 input {{ width: 100%; box-sizing: border-box; padding: 0.55rem 0.6rem; font-size: 1rem; border: 1px solid #d1d5db;
         border-radius: 6px; }}
 button {{ margin-top: 1.1rem; width: 100%; padding: 0.6rem; font-size: 1rem; font-weight: 600; color: #fff;
          background: #2563eb; border: 0; border-radius: 6px; cursor: pointer; }}
 #bc-login-error {{ color: #b91c1c; min-height: 1.3em; margin: 0.7rem 0 0; }}
</style>
</head>
<body>
<form id="bc-login" method="post" action="login">
 <h1>{title}</h1>
 <p>{message}</p>
 <label for="username">Tên đăng nhập</label>
 <input id="username" name="username" autocomplete="username" required>
 <label for="password">Mật khẩu</label>
 <input id="password" name="password" type="password" autocomplete="current-password" required>
 <button type="submit">Đăng nhập</button>
 <p id="bc-login-error" role="alert"></p>
</form>
<script>
document.getElementById("bc-login").addEventListener("submit", async (e) => {{
  e.preventDefault();
  const err = document.getElementById("bc-login-error");
  err.textContent = "";
  try {{
    const r = await fetch("login", {{method: "POST", body: new URLSearchParams(new FormData(e.target))}});
    if (r.ok) {{ location.reload(); return; }}
    err.textContent = "Tên đăng nhập hoặc mật khẩu không đúng.";
  }} catch (_) {{
    err.textContent = "Không kết nối được máy chủ. Hãy thử lại.";
  }}
}});
</script>
</body>
</html>
"""


def login_page(message: str, favicon_url: str) -> bytes:
    return LOGIN_PAGE.format(title=html.escape(TITLE), message=html.escape(message),
                             favicon=html.escape(favicon_url)).encode("utf-8")


async def send_html(send: Any, body: bytes, status: int = 200, head_only: bool = False) -> None:
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"text/html; charset=utf-8"),
                            (b"content-length", str(len(body)).encode()), (b"cache-control", b"no-store")]})
    await send({"type": "http.response.body", "body": b"" if head_only else body})
