"""examples/truth.yaml is consistent with itself and the articles, and the statement
scoring of bench/merge_accuracy.py (bench/statement_truth.py) counts what it says.

No spaCy and no store: the truth is checked as data, the scoring on hand-made rows.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import statement_truth as st  # noqa: E402

EXAMPLES = REPO / "examples"


@pytest.fixture(scope="module")
def doc() -> dict:
    return yaml.safe_load((EXAMPLES / "truth.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return st.article_texts(EXAMPLES / "articles")


@pytest.fixture(scope="module")
def said(doc) -> list[st.TruthStatement]:
    return st.load_statements(doc)


def test_entity_ids_are_unique_and_typed(doc):
    ids = Counter(e["id"] for e in doc["entities"])
    assert [i for i, n in ids.items() if n > 1] == []
    assert {e["type"] for e in doc["entities"]} <= {"PERSON", "ORG", "GPE", "LOC"}


def test_every_input_has_statements(said, texts):
    """All 36 inputs (33 files and the 3 feed lines) are annotated, and nothing else."""
    assert len(texts) == 36
    assert {s.article for s in said} == set(texts)


def test_speakers_and_intermediaries_are_true_entities(doc, said):
    ents = {e["id"]: e for e in doc["entities"]}
    for s in said:
        if s.speaker:
            assert s.speaker in ents, s
            assert s.article in ents[s.speaker]["articles"], (s.speaker, s.article)
        else:
            assert (s.described or s.anonymous or "").strip(), s
        for v in s.via:
            # an id-shaped intermediary must be an entity; others are outlet names as written
            if v == v.lower() and " " not in v:
                assert v in ents, (s, v)
                assert s.article in ents[v]["articles"], (v, s.article)


def test_every_phrase_is_found_once_in_its_article(said, texts):
    for s in said:
        assert s.article in texts, s.article
        n = st.norm(texts[s.article]).count(st.norm(s.phrase))
        assert n == 1, (s.article, s.phrase, n)
    keys = Counter((s.article, st.norm(s.phrase)) for s in said)
    assert [k for k, n in keys.items() if n > 1] == []


def test_an_entry_needs_exactly_one_speaker_key():
    with pytest.raises(ValueError, match="needs one of"):
        st.load_statements({"statements": [{"article": "a", "phrase": "p"}]})
    with pytest.raises(ValueError, match="needs one of"):
        st.load_statements(
            {"statements": [{"article": "a", "phrase": "p", "speaker": "x", "anonymous": "y"}]}
        )


def test_norm_ignores_quotes_case_and_space():
    assert st.norm("Moscow would “never”  sign") == st.norm('moscow would "never" sign')
    assert st.norm("Velikov’s remark") == "velikov's remark"
    assert st.via_form("a local television channel") == "local television channel"


def _row(article, content, kind="named", text=None, eid=None, name=None, type_=None, via=()):
    return st.StoredStatement(article, st.norm(content), kind, text, eid, name, type_, via)


def test_scoring_counts_hits_and_misses():
    truth = [
        st.TruthStatement("a.txt", "We will look at any paper", speaker="markin"),
        st.TruthStatement("a.txt", "gift to those", speaker="velikov", via=("tass",)),
        st.TruthStatement("a.txt", "rolling blackouts", anonymous="officials"),
        st.TruthStatement("b.txt", "never said", speaker="velikov"),
        st.TruthStatement("b.txt", "no value", speaker="velikov", via=("local media",)),
    ]
    stored = {
        "a.txt": [
            _row("a.txt", '"We will look at any paper."', text="Markin", eid=1, name="Markin"),
            _row("a.txt", "A gift to those", text="he", eid=2, name="Kovalenko", via=("TASS",)),
            _row("a.txt", "rolling blackouts hit", kind="anonymous", text="officials"),
            _row("a.txt", "A statement", text="Kyiv", eid=5, name="Kyiv", type_="GPE"),
        ],
        "b.txt": [
            _row("b.txt", "saw no value", kind="unresolved", text="he"),
            _row("b.txt", "talks", text="a resident of Geneva", eid=6, name="Geneva", type_="GPE"),
            _row("b.txt", "talks", text="Russia and Ukraine", eid=7, name="Russia", type_="GPE"),
        ],
    }
    store_to_true = {1: {"markin"}, 2: {"kovalenko"}, 5: {"ukraine"}, 7: {"russia"}}
    forms = {"tass": {"tass"}, "ukraine": {"ukraine", "kyiv"}, "russia": {"russia"}}
    sc = st.score(truth, stored, store_to_true, forms, {"ukraine", "russia"})
    assert (sc.true, sc.found) == (5, 4)
    assert (sc.named, sc.named_found, sc.named_right) == (4, 3, 1)
    assert (sc.unnamed, sc.unnamed_kind_right) == (1, 1)
    assert (sc.via, sc.via_right) == (2, 1)  # TASS matches tass; no via where local media
    whats = Counter(m.what for m in sc.misses)
    assert whats == {"found": 1, "speaker": 2, "via": 1}
    wrong = [m for m in sc.misses if m.what == "speaker" and m.truth.phrase == "gift to those"]
    assert "Kovalenko" in wrong[0].got
    # Kyiv and "Russia and Ukraine" speak as governments; Geneva in a description does not
    assert sc.place_speakers == 3
    assert len(sc.places) == 1 and "a resident of Geneva" in sc.places[0]


def test_a_duplicate_with_the_right_speaker_is_taken():
    truth = [st.TruthStatement("a.txt", "the door is open", speaker="strand")]
    stored = {
        "a.txt": [
            _row("a.txt", "The door is open", kind="unresolved", text="she"),
            _row("a.txt", "The door is open", text="Strand", eid=3, name="Helena Strand"),
        ]
    }
    sc = st.score(truth, stored, {3: {"strand"}}, {}, set())
    assert (sc.found, sc.named_right, sc.misses) == (1, 1, [])


def test_every_name_and_role_form_occurs_in_the_entitys_articles(doc, texts):
    """A listed name (or a person's role noun) is one the corpus uses, in an article
    listed for that entity (organisations' roles include notes: "news agency")."""
    for e in doc["entities"]:
        arts = [st.norm(texts[a]) for a in e["articles"]]
        roles = e["mentions"]["roles"] if e["type"] == "PERSON" else []
        for f in [*e["mentions"]["names"], *roles]:
            assert any(st.norm(f) in t for t in arts), (e["id"], f)
