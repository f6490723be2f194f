"""Resolving date expressions ("on Thursday", "earlier this month") against the article date.

News text dates events relative to the day the story was filed. ``resolve`` turns one
expression (typically the text of a spaCy DATE entity) into an ISO day when the expression
fixes one, or an ISO range when it only bounds the day ("last week" ->
Monday..Sunday of the previous week). Anything it does not understand resolves to
``ResolvedDate(None, None)`` rather than a guess.

Conventions (documented because wire copy relies on them):
- a bare weekday ("on Thursday", "Monday night") is the most recent such day on or before
  the article date; "last Thursday" is strictly before it, "next Thursday" strictly after;
- a day and month without a year ("Dec 11") takes the year that puts it no more than about
  six months after the article date;
- "earlier this month/week/year" ends the day before the article date.
"""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
FUTURE_WINDOW_DAYS = 183  # how far after the article date a year-less date may fall
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}


@dataclass(frozen=True)
class ResolvedDate:
    """One ISO day, or an inclusive ISO range, or neither when the expression is vague."""

    date: str | None = None
    range: tuple[str, str] | None = None


UNKNOWN = ResolvedDate()

# Words around a date that do not change which day it is ("late on Thursday night").
_NOISE = re.compile(
    r"\b(?:on|at|in|by|since|from|until|during|the|of|late|early|around|about|"
    r"morning|afternoon|evening|night|overnight|midday|noon|local\s+time|"
    r"earlier\s+(?=on\b|(?:mon|tues|wednes|thurs|fri|satur|sun)day\b))\b"
)
_MONTH_RE = r"(jan|feb|mar|apr|may|jun|jul|aug|sept?|oct|nov|dec)[a-z]*\.?"
_DAY_RE = r"(\d{1,2})(?:st|nd|rd|th)?"


def resolve(
    expression: str, article_date: date | str | None, prefer_future: bool = False
) -> ResolvedDate:
    """Resolve a date expression relative to ``article_date`` (a date or ISO string).

    ``prefer_future`` makes a bare weekday the next such day on or after the article date,
    for statements about plans ("talks will resume on Friday").
    """
    anchor = _as_date(article_date)
    expr = _normalise(expression)
    if not expr:
        return UNKNOWN
    try:
        explicit = _explicit(expr, anchor)
        if explicit is not None:
            return explicit
        if anchor is None:
            return UNKNOWN
        return _relative(expr, anchor, prefer_future)
    except OverflowError:
        # "yesterday" in an article dated 0001-01-01, "tomorrow" on 9999-12-31: a day
        # the calendar does not have is no date, not a failed article
        return UNKNOWN


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _normalise(expression: str) -> str:
    s = expression.casefold().replace("’", "'")
    s = re.sub(r"'s\b", "", s)  # "Wednesday's briefing"
    s = re.sub(r"[,;:()\"“”]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if s.startswith("earlier today") or s in {"this morning", "this afternoon", "this evening"}:
        return "today"
    if s in {"tonight", "today", "earlier today", "later today"}:
        return "today"
    if s in {"last night", "yesterday"}:
        return "yesterday"
    s = re.sub(r"^(?:(?:over|during|in|at|for)\s+)?the\s+", "", s)
    past = re.fullmatch(r"(?:over |during |in )?(?:the )?past (week|month|year)", s)
    return f"rolling {past.group(1)}" if past else s


def _explicit(expr: str, anchor: date | None) -> ResolvedDate | None:
    m = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", expr)
    if m:
        return _day(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.search(rf"\b{_MONTH_RE}\s+{_DAY_RE}\b(?:\s+(\d{{4}}))?", expr)  # Dec 11 (2025)
    if m:
        return _month_day(MONTHS[m.group(1)], int(m.group(2)), m.group(3), anchor)
    m = re.search(rf"\b{_DAY_RE}\s+{_MONTH_RE}(?:\s+(\d{{4}}))?", expr)  # 11 December (2025)
    if m:
        return _month_day(MONTHS[m.group(2)], int(m.group(1)), m.group(3), anchor)
    m = re.fullmatch(rf"(?:(?:early|late|mid|in|since|of)\s+)*{_MONTH_RE}(?:\s+(\d{{4}}))?", expr)
    if m:  # "December", "in December 2024": the whole month
        month = MONTHS[m.group(1)]
        if m.group(2):
            year = int(m.group(2))
        elif anchor is not None:
            year = _infer_year(anchor, month, 1)
        else:
            return UNKNOWN
        return _span(date(year, month, 1), date(year, month, monthrange(year, month)[1]))
    m = re.fullmatch(r"(?:(?:in|since|of|early|late)\s+)*(\d{4})", expr)
    if m and 1900 <= int(m.group(1)) <= 2100:
        year = int(m.group(1))
        return _span(date(year, 1, 1), date(year, 12, 31))
    return None


def _relative(expr: str, anchor: date, prefer_future: bool = False) -> ResolvedDate:
    if expr == "today":
        return _one(anchor)
    if expr == "yesterday":
        return _one(anchor - timedelta(days=1))
    if expr == "tomorrow":
        return _one(anchor + timedelta(days=1))
    if expr in {"day before yesterday", "the day before yesterday"}:
        return _one(anchor - timedelta(days=2))
    m = re.fullmatch(r"(\w+) (day|week|month|year)s? ago", expr)
    if m and m.group(1) in NUMBER_WORDS | {str(i): i for i in range(1, 100)}:
        n = NUMBER_WORDS.get(m.group(1)) or int(m.group(1))
        if m.group(2) == "day":
            return _one(anchor - timedelta(days=n))
        if m.group(2) == "week":
            return _one(anchor - timedelta(days=7 * n))
        return UNKNOWN  # "two months ago" names no day and only a fuzzy range
    rolling = re.fullmatch(r"rolling (week|month|year)", expr)
    if rolling:  # "the past week": the seven days up to the article date
        days = {"week": 7, "month": 30, "year": 365}[rolling.group(1)]
        return _span(anchor - timedelta(days=days), anchor)
    period = _period(expr, anchor)
    if period is not None:
        return period
    m = re.fullmatch(r"(?:(this|last|next|past) )?weekend", expr)
    if m:
        return _weekend(anchor, m.group(1))
    return _weekday(expr, anchor, prefer_future)


def _period(expr: str, anchor: date) -> ResolvedDate | None:
    """this/last/next week, month, year; earlier/later this ..."""
    m = re.fullmatch(r"(earlier|later|early|late)? ?(this|last|next) (week|month|year)", expr)
    if not m:
        return None
    qualifier, which, unit = m.groups()
    start, end = _unit_bounds(anchor, unit)
    if which == "last":
        start, end = _unit_bounds(start - timedelta(days=1), unit)
    elif which == "next":
        start, end = _unit_bounds(end + timedelta(days=1), unit)
    elif qualifier == "earlier":
        end = anchor - timedelta(days=1)
    elif qualifier == "later":
        start = anchor + timedelta(days=1)
    if start > end:
        return UNKNOWN  # "earlier this week" on a Monday: no such day
    return _span(start, end)


def _unit_bounds(day: date, unit: str) -> tuple[date, date]:
    if unit == "week":  # ISO weeks: Monday..Sunday
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if unit == "month":
        return day.replace(day=1), day.replace(day=monthrange(day.year, day.month)[1])
    return date(day.year, 1, 1), date(day.year, 12, 31)


def _weekend(anchor: date, which: str | None) -> ResolvedDate:
    """Saturday..Sunday: "this weekend" of this week, "the weekend" the latest one begun."""
    saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)  # on or before anchor
    if which == "this":
        saturday = anchor + timedelta(days=5 - anchor.weekday())
    elif which in {"last", "past"} and saturday + timedelta(days=1) >= anchor:
        saturday -= timedelta(days=7)  # a weekend not yet over is not "last weekend"
    elif which == "next":
        saturday = anchor + timedelta(days=(5 - anchor.weekday()) % 7 or 7)
    return _span(saturday, saturday + timedelta(days=1))


def _weekday(expr: str, anchor: date, prefer_future: bool = False) -> ResolvedDate:
    words = _NOISE.sub(" ", expr).split()
    days = [w for w in words if w in WEEKDAYS]
    if len(days) != 1:
        return UNKNOWN
    others = [w for w in words if w not in WEEKDAYS]
    target = WEEKDAYS.index(days[0])
    back = (anchor.weekday() - target) % 7
    if others == ["last"] or others == ["this", "past"] or others == ["past"]:
        return _one(anchor - timedelta(days=back or 7))
    if others == ["next"] or others == ["this", "coming"] or others == ["coming"]:
        ahead = (target - anchor.weekday()) % 7
        return _one(anchor + timedelta(days=ahead or 7))
    if others in ([], ["this"]):
        if prefer_future:
            return _one(anchor + timedelta(days=(target - anchor.weekday()) % 7))
        return _one(anchor - timedelta(days=back))
    return UNKNOWN


def _month_day(month: int, day: int, year_text: str | None, anchor: date | None) -> ResolvedDate:
    if year_text:
        return _day(int(year_text), month, day)
    if anchor is None:
        return UNKNOWN
    return _day(_infer_year(anchor, month, day), month, day)


def _infer_year(anchor: date, month: int, day: int) -> int:
    """The latest year that puts month/day no more than FUTURE_WINDOW_DAYS after the anchor."""
    limit = anchor + timedelta(days=FUTURE_WINDOW_DAYS)
    for year in (anchor.year + 1, anchor.year, anchor.year - 1):
        try:
            candidate = date(year, month, min(day, monthrange(year, month)[1]))
        except ValueError:
            continue
        if candidate <= limit:
            return year
    return anchor.year - 1


def _day(year: int, month: int, day: int) -> ResolvedDate:
    try:
        return _one(date(year, month, day))
    except ValueError:
        return UNKNOWN


def _one(day: date) -> ResolvedDate:
    return ResolvedDate(date=day.isoformat())


def _span(start: date, end: date) -> ResolvedDate:
    return ResolvedDate(range=(start.isoformat(), end.isoformat()))


def to_iso_day(value: object) -> str | None:
    """A metadata date (ISO string or timestamp, RFC 2822, "11 December 2025", date) -> ISO day.

    Readers get dates in whatever form a feed or JSON record carries; None when unparseable.
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if not isinstance(value, str):
        return None
    s = value.strip()
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ])", s)
    if m:
        found = _day(*(int(g) for g in m.groups()))
        return found.date
    try:
        return parsedate_to_datetime(s).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    found = _explicit(_normalise(s), None)
    return found.date if found is not None else None
