"""The speaker timeline chart: statements per day, stacked by speech act, as SVG shapes.

Rendered on the server (the template turns these shapes into an inline ``<svg>``) so the
page needs no JavaScript chart library and works offline and in screenshots. Days with
no statements are kept on the axis so gaps in time look like gaps.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from saidwhat.web.colours import act_colour

MAX_DAYS = 400  # beyond this the bars would be hairlines: the chart keeps the last days


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    fill: str
    act: str
    day: str
    count: int


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    width: int
    height: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar] = field(default_factory=list)
    day_ticks: list[Tick] = field(default_factory=list)
    count_ticks: list[tuple[float, int]] = field(default_factory=list)
    acts: list[tuple[str, str]] = field(default_factory=list)  # legend: (act, colour)
    total: int = 0


def timeline_chart(
    rows: Iterable[tuple[str, str, int]], width: int = 760, height: int = 220
) -> Timeline | None:
    """``rows`` are (ISO day, act, statements); None when there is nothing dated to draw."""
    per_day: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, act, n in rows:
        try:
            d = date.fromisoformat(str(day)[:10])
        except ValueError:
            continue
        per_day[d][act or "other"] += int(n)
    if not per_day:
        return None
    first, last = min(per_day), max(per_day)
    if (last - first).days >= MAX_DAYS:
        first = last - timedelta(days=MAX_DAYS - 1)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    peak = max(sum(per_day[d].values()) for d in days) or 1
    left, right, top, bottom = 36, 8, 10, height - 28
    slot = (width - left - right) / len(days)
    bar_w = max(slot * 0.78, 1.0)
    scale = (bottom - top) / peak
    chart = Timeline(width=width, height=height, plot_top=top, plot_bottom=bottom)
    act_order = sorted({a for d in days for a in per_day[d]})
    chart.acts = [(a, act_colour(a)) for a in act_order]
    for i, d in enumerate(days):
        x = left + i * slot + (slot - bar_w) / 2
        y = float(bottom)
        for act in act_order:
            n = per_day[d].get(act, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            chart.bars.append(Bar(x, y, bar_w, h, act_colour(act), act, d.isoformat(), n))
            chart.total += n
    step = max(1, round(len(days) / 8))
    chart.day_ticks = [
        Tick(left + i * slot + slot / 2, d.strftime("%d %b"))
        for i, d in enumerate(days)
        if i % step == 0
    ]
    count_step = max(1, -(-peak // 4))
    chart.count_ticks = [(bottom - k * scale, k) for k in range(0, peak + 1, count_step)]
    return chart
