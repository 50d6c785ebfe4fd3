"""A sentence speaks of its report's period in the report's own words: "trong tháng" in a monthly
report, the year of the plan it carries out ("kế hoạch ... năm 2023"). Inputs written for these tests."""

from __future__ import annotations

import pytest

from assistant.service import AskService


@pytest.fixture(scope="module")
def service(txt_index) -> AskService:
    return AskService(txt_index)


@pytest.mark.parametrize("question", [
    "Trong tháng 3 năm 2023 Trà Vinh tiết kiệm điện được bao nhiêu?",
    "tra vinh thang 3/2023 tiet kiem dien bn kwh",
])
def test_in_the_month_of_a_monthly_report_is_the_asked_month(service, question: str) -> None:
    """"…năm 2023, trong tháng tiết kiệm 2.247.738 kWh": the month's figure, not a conflict with 2023."""
    rec = service.ask(question)
    assert not rec["abstained"] and "2.247.738 kWh" in rec["answer"], rec["answer"]
    assert rec["answer"].index("2.247.738") < rec["answer"].find("1.766.468") or "1.766.468" not in rec["answer"]


def test_the_quarters_cumulative_figure_still_answers_the_quarter(service) -> None:
    rec = service.ask("Lũy kế quý I/2023 Trà Vinh tiết kiệm được bao nhiêu kWh?")
    assert not rec["abstained"] and "4.450.150 kWh" in rec["answer"].split("[1]")[0], rec["answer"]


def test_the_year_of_a_programme_in_a_monthly_report_is_not_another_period(service) -> None:
    rec = service.ask("Tháng 01/2021 Trà Vinh tập huấn EVFTA cho bao nhiêu đại biểu?")
    assert not rec["abstained"] and "150 đại biểu" in rec["answer"], rec["answer"]
