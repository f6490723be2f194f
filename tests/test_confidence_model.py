"""The engine's confidence: in [0, 1] on every statement, higher for a row a reader can
trust than for a doubtful one, and rescaled on dev by a fit that recovers a known scale."""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

from saidwhat.analyse import analyse
from saidwhat.attribution.confidence import probability
from saidwhat.reading.records import article_from_text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

ARTICLE = """Harbour bridge reopens

OSLO, May 2 (Reuters) - "We have checked every cable and every bolt," Mara Lind, the city's transport director, told reporters on Tuesday.

Some said it would close again. It is understood that the council will meet next week.
"""


def test_every_statement_has_a_confidence_and_trust_orders_them(nlp):
    analysis = analyse(article_from_text(ARTICLE), nlp)
    assert analysis.statements
    assert all(0.0 <= st.confidence <= 1.0 for st in analysis.statements)
    quote = next(s for s in analysis.statements if "every cable" in s.content_text)
    doubtful = [s for s in analysis.statements if s.speaker is None]
    assert quote.speaker_name == "Mara Lind" and quote.confidence >= 0.8
    assert doubtful and all(s.confidence < quote.confidence for s in doubtful)


def test_platt_scaling_recovers_a_known_scale():
    from learn_confidence import platt

    rng = random.Random(3)
    scores = [rng.uniform(-4, 4) for _ in range(4000)]
    labels = [rng.random() < probability(z, (0.5, 1.0)) for z in scores]
    a, b = platt(scores, labels)
    assert math.isclose(a, 0.5, abs_tol=0.1) and math.isclose(b, 1.0, abs_tol=0.15)
