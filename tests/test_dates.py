"""Relative and explicit date expressions against the article date (no spaCy needed)."""

from __future__ import annotations

from datetime import date

import pytest

from saidwhat.reading.dates import ResolvedDate, resolve, to_iso_day

SEED_DATE = "2025-12-11"  # a Thursday


@pytest.mark.parametrize(
    ("expression", "day"),
    [
        ("on Thursday", "2025-12-11"),
        ("On Wednesday", "2025-12-10"),
        ("on Monday night", "2025-12-08"),
        ("late Wednesday", "2025-12-10"),
        ("Wednesday's", "2025-12-10"),
        ("earlier on Tuesday", "2025-12-09"),
        ("last Thursday", "2025-12-04"),
        ("next Monday", "2025-12-15"),
        ("today", "2025-12-11"),
        ("yesterday", "2025-12-10"),
        ("last night", "2025-12-10"),
        ("tomorrow", "2025-12-12"),
        ("three days ago", "2025-12-08"),
        ("Dec 11", "2025-12-11"),
        ("December 11", "2025-12-11"),
        ("Dec. 11", "2025-12-11"),
        ("11 December 2025", "2025-12-11"),
        ("on December 9th", "2025-12-09"),
        ("2025-12-11", "2025-12-11"),
        ("Sept. 26, 2016", "2016-09-26"),
        ("Jan 5", "2026-01-05"),  # within six months after the article: next year
        ("June 30", "2025-06-30"),  # would be >6 months ahead in 2026: this year
    ],
)
def test_single_days(expression, day):
    assert resolve(expression, SEED_DATE) == ResolvedDate(date=day)


@pytest.mark.parametrize(
    ("expression", "first", "last"),
    [
        ("earlier this month", "2025-12-01", "2025-12-10"),
        ("Earlier this month", "2025-12-01", "2025-12-10"),
        ("earlier this week", "2025-12-08", "2025-12-10"),
        ("last week", "2025-12-01", "2025-12-07"),
        ("this month", "2025-12-01", "2025-12-31"),
        ("later this month", "2025-12-12", "2025-12-31"),
        ("last month", "2025-11-01", "2025-11-30"),
        ("last year", "2024-01-01", "2024-12-31"),
        ("in December", "2025-12-01", "2025-12-31"),
        ("2024", "2024-01-01", "2024-12-31"),
    ],
)
def test_ranges(expression, first, last):
    assert resolve(expression, SEED_DATE) == ResolvedDate(range=(first, last))


@pytest.mark.parametrize("expression", ["the previous day", "a long time", "", "recently"])
def test_unknown_expressions(expression):
    assert resolve(expression, SEED_DATE) == ResolvedDate(None, None)


def test_article_date_forms_and_absence():
    assert resolve("on Thursday", date(2025, 12, 11)).date == "2025-12-11"
    assert resolve("on Thursday", None) == ResolvedDate()
    assert resolve("Dec 11", None) == ResolvedDate()  # no year to infer from
    assert resolve("December 11, 2016", None).date == "2016-12-11"


def test_earlier_this_week_on_a_monday_is_empty():
    assert resolve("earlier this week", "2025-12-08") == ResolvedDate()


def test_year_inference_across_new_year():
    assert resolve("Dec 30", "2026-01-02").date == "2025-12-30"
    assert resolve("Feb 29", "2025-03-01").date is None  # 2025 has no Feb 29


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        ("2025-12-11", "2025-12-11"),
        ("2025-12-11T23:10:00Z", "2025-12-11"),
        ("Thu, 11 Dec 2025 10:00:00 GMT", "2025-12-11"),
        ("11 December 2025", "2025-12-11"),
        ("someday", None),
        (None, None),
        (20251211, None),
    ],
)
def test_to_iso_day(value, iso):
    assert to_iso_day(value) == iso


@pytest.mark.parametrize(
    ("expression", "article_date", "first", "last"),
    [
        ("the past week", SEED_DATE, "2025-12-04", "2025-12-11"),
        ("over the weekend", SEED_DATE, "2025-12-06", "2025-12-07"),
        ("last weekend", SEED_DATE, "2025-12-06", "2025-12-07"),
        ("this weekend", SEED_DATE, "2025-12-13", "2025-12-14"),
        ("over the weekend", "2025-12-07", "2025-12-06", "2025-12-07"),  # a Sunday
        ("last weekend", "2025-12-07", "2025-11-29", "2025-11-30"),
    ],
)
def test_rolling_ranges_and_weekends(expression, article_date, first, last):
    assert resolve(expression, article_date) == ResolvedDate(range=(first, last))


def test_prefer_future_for_plans():
    assert resolve("on Friday", SEED_DATE).date == "2025-12-05"
    assert resolve("on Friday", SEED_DATE, prefer_future=True).date == "2025-12-12"
    assert resolve("on Thursday", SEED_DATE, prefer_future=True).date == "2025-12-11"
    assert resolve("last Friday", SEED_DATE, prefer_future=True).date == "2025-12-05"
