"""Example questions for a first-time user, worded for the reports actually indexed.

A question about a period or province that is not in the library would only
teach the user that the assistant refuses, so the examples name the newest
report's province and period; generic ones are used when nothing names them.
"""

from __future__ import annotations

from ui.catalog import ReportInfo

GENERIC = [
    "Giá trị sản xuất công nghiệp tháng gần nhất đạt bao nhiêu?",
    "Tổng mức bán lẻ hàng hóa và dịch vụ tăng bao nhiêu so với cùng kỳ?",
    "Kim ngạch xuất khẩu của tỉnh đạt bao nhiêu?",
    "Nhiệm vụ trọng tâm của kỳ tới là gì?",
]
LIMIT = 5


def _for_report(r: ReportInfo) -> list[str]:
    where = f" tỉnh {r.province}" if r.province else ""
    period = r.reported_period.replace("(kế hoạch)", "").strip()
    out = []
    if period:
        out += [
            f"Giá trị sản xuất công nghiệp{where} {period} đạt bao nhiêu?",
            f"Tổng mức bán lẻ hàng hóa và dịch vụ{where} {period} là bao nhiêu?",
            f"Kim ngạch xuất khẩu{where} {period} tăng bao nhiêu so với cùng kỳ?",
        ]
    if r.plan_period:
        plan = r.plan_period.replace("(kế hoạch)", "").strip()
        out.append(f"Nhiệm vụ trọng tâm {plan} của Sở Công Thương{where} là gì?")
    return out


def example_questions(reports: list[ReportInfo]) -> list[str]:
    """Up to LIMIT questions: from the newest reports first, then generic ones."""
    seen: list[str] = []
    for r in reports[:2]:
        for q in _for_report(r):
            if q not in seen:
                seen.append(q)
    for q in GENERIC:
        if len(seen) >= LIMIT:
            break
        if q not in seen:
            seen.append(q)
    return seen[:LIMIT]
