"""Act colours a reader can tell apart, with readable badge text on every one."""

from __future__ import annotations

import itertools

from saidwhat.schema import SPEECH_ACTS
from saidwhat.web.colours import ACT_COLOURS


def _linear(hex_colour: str) -> tuple[float, float, float]:
    def f(c: float) -> float:
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return f(r), f(g), f(b)


def _lab(hex_colour: str) -> tuple[float, float, float]:
    r, g, b = _linear(hex_colour)
    x = (r * 0.4124 + g * 0.3576 + b * 0.1805) / 0.95047
    y = r * 0.2126 + g * 0.7152 + b * 0.0722
    z = (r * 0.0193 + g * 0.1192 + b * 0.9505) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _contrast_with_white(hex_colour: str) -> float:
    r, g, b = _linear(hex_colour)
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_every_act_has_its_own_colour() -> None:
    assert set(ACT_COLOURS) == set(SPEECH_ACTS)
    for a, b in itertools.combinations(ACT_COLOURS, 2):
        la, lb = _lab(ACT_COLOURS[a]), _lab(ACT_COLOURS[b])
        distance = sum((p - q) ** 2 for p, q in zip(la, lb, strict=True)) ** 0.5
        assert distance >= 18, f"{a} and {b} look alike ({distance:.1f})"


def test_badge_text_is_readable_on_every_act_colour() -> None:
    for act, colour in ACT_COLOURS.items():
        assert _contrast_with_white(colour) >= 4.5, act


def test_the_checks_can_fail() -> None:
    assert _contrast_with_white("#e67e22") < 4.5  # the old "warn" orange
    old_deny, old_reject = _lab("#c0392b"), _lab("#e74c3c")
    assert sum((p - q) ** 2 for p, q in zip(old_deny, old_reject, strict=True)) ** 0.5 < 18
