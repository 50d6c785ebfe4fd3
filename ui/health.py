"""The health route (`GET /healthz`): is the app up and can it read its index?

Used by CI's minute-one check and by whoever runs the app behind a supervisor; it is public
(no login) because it says only whether the index can be read and how much it holds.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from assistant.service import AskService
from ui.catalog import list_reports

HEALTH_PATH = "/healthz"


def health_route(service: AskService) -> Route:
    """A route that answers 200 with the report and passage counts, or 503 when the index cannot be read."""

    async def healthz(_request: Request) -> JSONResponse:
        try:
            reports = list_reports(service.index)
        except Exception as exc:  # noqa: BLE001 - any failure to read the index means "not healthy"
            return JSONResponse({"status": "error", "detail": f"Không đọc được chỉ mục: {exc}"}, status_code=503)
        return JSONResponse({"status": "ok", "reports": len(reports), "chunks": sum(r.chunks for r in reports)})

    return Route(HEALTH_PATH, healthz, methods=["GET"])
