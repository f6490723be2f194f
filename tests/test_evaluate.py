"""saidwhat eval: gold readers, the metric definitions, and the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saidwhat.evaluation.gold import Attribution, GoldDoc, read_gold
from saidwhat.evaluation.scoring import evaluate, match, normalise, overlap
from saidwhat.schema import Span, Statement

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
POLNEAR_DEV = SHARED / "eval" / "polnear" / "dev"


def at(text: str, piece: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the nth occurrence of ``piece`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(piece, start + 1)
    return (start, start + len(piece))


def att(content, source=None, cue=None) -> Attribution:
    return Attribution(
        content=tuple(content),
        source=(source,) if source else None,
        cue=(cue,) if cue else None,
    )


def stmt(text: str, content, speaker=None, cue=None, sid="s") -> Statement:
    def span(p):
        return None if p is None else Span.of(text, *p)

    return Statement(
        id=sid,
        type="direct",
        act="assert",
        content=[Span.of(text, *c) for c in content],
        cue=span(cue),
        speaker_mention=span(speaker),
    )


# --- normalisation -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("“We will win,”", "We will win"),
        ('  "We   will\n win."  ', "We will win"),
        ("‘tax cuts’ —", "tax cuts"),
        ("...and more!?'", "and more"),
        ("«Oui», ", "Oui"),
        ("it's the candidates'", "it's the candidates"),
    ],
)
def test_normalise_trims_quotes_and_edge_punctuation(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_normalise_keeps_inner_punctuation_and_case() -> None:
    assert normalise('"No, never," he said') == 'No, never," he said'
    assert normalise("Yes") != normalise("yes")


def test_overlap_counts_shared_characters_of_discontinuous_pieces() -> None:
    assert overlap(((0, 10),), ((5, 20),)) == 5
    assert overlap(((0, 4), (8, 12)), ((2, 10),)) == 4
    assert overlap(((0, 5),), ((5, 9),)) == 0
    assert overlap(((0, 6), (3, 9)), ((0, 9),)) == 9  # own pieces overlapping count once


# --- content matching --------------------------------------------------------------

TEXT = (
    'Smith said: "Taxes will fall next year." '
    "Jones warned that the deficit would grow. "
    "The weather was fine."
)


def gold_doc(*attributions: Attribution, text: str = TEXT, doc_id: str = "d1") -> GoldDoc:
    return GoldDoc(id=doc_id, text=text, attributions=list(attributions))


def test_content_overlap_and_exact_counts() -> None:
    gold = gold_doc(
        att([at(TEXT, "Taxes will fall next year.")]),
        att([at(TEXT, "that the deficit would grow")]),
    )
    preds = {
        "d1": [
            stmt(TEXT, [at(TEXT, '"Taxes will fall next year."')]),  # exact after normalising
            stmt(TEXT, [at(TEXT, "the deficit would grow")]),  # overlaps, not exact
            stmt(TEXT, [at(TEXT, "The weather was fine")]),  # false alarm
        ]
    }
    m = evaluate([gold], preds).metrics
    assert (m["content_overlap"].tp, m["content_overlap"].n_pred, m["content_overlap"].n_gold) == (
        2,
        3,
        2,
    )
    assert m["content_exact"].tp == 1
    assert m["content_overlap"].precision == pytest.approx(2 / 3)
    assert m["content_overlap"].recall == 1.0
    assert m["content_overlap"].f1 == pytest.approx(0.8)
    assert m["content_exact"].f1 == pytest.approx(2 * (1 / 3) * 0.5 / (1 / 3 + 0.5))


def test_matching_is_one_to_one() -> None:
    text = "alpha beta gamma delta"
    # one prediction spanning two gold contents matches only one of them
    gold = gold_doc(att([at(text, "alpha beta")]), att([at(text, "gamma delta")]), text=text)
    m = evaluate([gold], {"d1": [stmt(text, [(0, len(text))])]}).metrics
    assert (m["content_overlap"].tp, m["content_overlap"].n_gold) == (1, 2)
    # two predictions inside one gold content: only one is a hit
    gold = gold_doc(att([(0, len(text))]), text=text)
    preds = [stmt(text, [at(text, "alpha beta")]), stmt(text, [at(text, "gamma delta")])]
    m = evaluate([gold], {"d1": preds}).metrics
    assert (m["content_overlap"].tp, m["content_overlap"].n_pred) == (1, 2)


def test_larger_overlap_wins_the_match() -> None:
    text = "alpha beta gamma delta epsilon"
    golds = [att([at(text, "alpha beta gamma")]), att([at(text, "delta epsilon")])]
    pred = att([at(text, "gamma delta epsilon")])  # 5 chars with the first, 13 with the second
    pairs = match(text, [pred], golds)
    assert pairs == [(0, 1, False)]


def test_exact_pairs_are_matched_before_larger_inexact_ones() -> None:
    text = "Alpha beta gamma delta epsilon zeta."
    x, y = at(text, "beta gamma"), at(text, "delta epsilon")
    gold = gold_doc(att([x]), att([y]), text=text)
    wide = stmt(text, [at(text, "Alpha beta gamma delta")], sid="wide")  # 10 chars of x, 5 of y
    exact = stmt(text, [x], sid="exact")
    m = evaluate([gold], {"d1": [wide, exact]}).metrics
    # by overlap alone `wide` would take x and leave `exact` unmatched
    assert m["content_overlap"].tp == 2
    assert m["content_exact"].tp == 1


def test_discontinuous_content() -> None:
    text = '"We will," he said, "win this fight."'
    pieces = [at(text, '"We will,"'), at(text, '"win this fight."')]
    gold = gold_doc(att(pieces), text=text)
    same_pieces = stmt(text, pieces)
    m = evaluate([gold], {"d1": [same_pieces]}).metrics
    assert (m["content_overlap"].tp, m["content_exact"].tp) == (1, 1)
    whole = stmt(text, [(0, len(text))])  # includes "he said": overlaps, not exact
    m = evaluate([gold], {"d1": [whole]}).metrics
    assert (m["content_overlap"].tp, m["content_exact"].tp) == (1, 0)
    second_only = stmt(text, [pieces[1]])
    m = evaluate([gold], {"d1": [second_only]}).metrics
    assert (m["content_overlap"].tp, m["content_exact"].tp) == (1, 0)


def test_same_text_elsewhere_is_not_a_match() -> None:
    text = "He said yes. Later she said yes."
    gold = gold_doc(att([at(text, "yes", 0)]), text=text)
    m = evaluate([gold], {"d1": [stmt(text, [at(text, "yes", 1)])]}).metrics
    assert (m["content_overlap"].tp, m["content_exact"].tp) == (0, 0)


# --- source and cue ----------------------------------------------------------------


def test_source_and_cue_need_a_content_match_and_an_overlap() -> None:
    smith, said = at(TEXT, "Smith"), at(TEXT, "said")
    jones, warned = at(TEXT, "Jones"), at(TEXT, "warned")
    gold = gold_doc(
        att([at(TEXT, "Taxes will fall next year.")], source=smith, cue=said),
        att([at(TEXT, "that the deficit would grow")], source=jones, cue=warned),
        att([at(TEXT, "The weather was fine")], cue=at(TEXT, "was")),  # no source
    )
    preds = [
        # right source ("Smith said" overlaps "Smith"), cue missing
        stmt(TEXT, [at(TEXT, "Taxes will fall")], speaker=at(TEXT, "Smith said")),
        # wrong source, right cue
        stmt(TEXT, [at(TEXT, "the deficit would grow")], speaker=smith, cue=warned),
        # source and cue on a false alarm count in the denominators only
        stmt(TEXT, [at(TEXT, "Smith said:")], speaker=smith, cue=said),
    ]
    m = evaluate([gold], {"d1": preds}).metrics
    assert (m["source"].tp, m["source"].n_pred, m["source"].n_gold) == (1, 3, 2)
    assert (m["cue"].tp, m["cue"].n_pred, m["cue"].n_gold) == (1, 2, 3)
    assert m["content_overlap"].tp == 2


def test_error_rows_name_what_went_wrong() -> None:
    gold = gold_doc(
        att([at(TEXT, "Taxes will fall next year.")], source=at(TEXT, "Smith")),
        att([at(TEXT, "that the deficit would grow")]),
    )
    preds = [
        stmt(TEXT, [at(TEXT, "Taxes will fall")], speaker=at(TEXT, "Jones")),
        stmt(TEXT, [at(TEXT, "The weather was fine")]),
    ]
    rows = evaluate([gold], {"d1": preds}).errors
    kinds = sorted(r["kind"] for r in rows)
    assert kinds == ["false_alarm", "inexact", "missed", "source_wrong"]
    missed = next(r for r in rows if r["kind"] == "missed")
    assert missed["gold"] == "that the deficit would grow" and missed["pred"] is None
    wrong = next(r for r in rows if r["kind"] == "source_wrong")
    assert (wrong["gold_source"], wrong["pred_source"]) == ("Smith", "Jones")
    assert all(r["doc"] == "d1" for r in rows)


def test_micro_average_over_documents_and_missing_predictions() -> None:
    d1 = gold_doc(att([at(TEXT, "Taxes will fall next year.")]), doc_id="d1")
    d2 = gold_doc(att([at(TEXT, "the deficit would grow")]), doc_id="d2")
    d3 = gold_doc(att([at(TEXT, "The weather was fine")]), doc_id="d3")
    preds = {"d1": [stmt(TEXT, [at(TEXT, "Taxes")])], "elsewhere": [stmt(TEXT, [(0, 5)])]}
    scores = evaluate([d1, d2, d3], preds)
    c = scores.metrics["content_overlap"]
    assert (scores.docs, c.tp, c.n_pred, c.n_gold) == (3, 1, 1, 3)
    assert c.precision == 1.0 and c.recall == pytest.approx(1 / 3)


def test_empty_denominators_give_zero() -> None:
    c = evaluate([gold_doc()], {}).metrics["content_overlap"]
    assert (c.precision, c.recall, c.f1) == (0.0, 0.0, 0.0)


# --- gold readers ------------------------------------------------------------------

BRAT_TEXT = (
    'The Post reported that the senator resigned.\n"We will," Lee said, "win."\n'
    "Officials believe it.\nNew line\nhere is quoted."
)


def write_split(root: Path, ann_lines: dict[str, list[str]], text: str = BRAT_TEXT) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "doc_a.txt").write_text(text, encoding="utf-8")
    for name, lines in ann_lines.items():
        (root / "attributions" / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def t_line(tag: str, kind: str, pieces: list[tuple[int, int]], text: str = BRAT_TEXT) -> str:
    offsets = ";".join(f"{s} {e}" for s, e in pieces)
    return f"{tag}\t{kind} {offsets}\t" + " ".join(text[s:e] for s, e in pieces)


def test_brat_reader(tmp_path: Path) -> None:
    x = BRAT_TEXT
    lines = [
        t_line("T1", "Source", [at(x, "The Post")]),
        t_line("T2", "Cue", [at(x, "reported")]),
        t_line("T3", "Content", [at(x, "that the senator resigned.")]),
        t_line("T4", "Attribution", [at(x, "reported")]),
        "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1",
        t_line("T5", "Content", [at(x, '"We will,"')]),
        t_line("T6", "Content", [at(x, '"win."')]),
        t_line("T7", "Source", [at(x, "Lee")]),
        t_line("T8", "Discuss", [at(x, "said")]),  # a cue of kind Discuss still counts
        "E2\tAttribution:T4 Content:T5 Content2:T6 Cue:T8 Source:T7",
        t_line("T9", "Content", [at(x, "it")]),
        t_line("T10", "Cue", [at(x, "believe")]),
        "E3\tAttribution-no-source:T4 Content:T9 Cue:T10",
        # a span text running over two lines of the .ann (it holds a newline)
        t_line("T11", "Content", [at(x, "New line\nhere is quoted.")]),
        "E4\tAttribution-no-source:T4 Content:T11",
        "T12\tContent 5 9999\tbroken",  # offsets past the end: reported, dropped
        "E5\tAttribution:T4 Content:T12",
        "T13\tSource 4 8\tWRONG",  # stored text differs from the document: reported
        "#1\tAnnotatorNotes T1\tfine",
    ]
    other = ["T1\tContent 0 3\tThe", "E1\tAttribution-no-source:T1 Content:T1"]
    split = write_split(tmp_path / "dev", {"doc_a_zz.ann": other, "doc_a_aa.ann": lines})
    problems: list[str] = []
    gold = read_gold(split, problems)
    assert list(gold) == ["dev"]
    (doc,) = gold["dev"]
    assert doc.id == "doc_a" and doc.text == BRAT_TEXT
    assert len(doc.attributions) == 4  # from doc_a_aa.ann, the first annotator
    e1, e2, e3, e4 = doc.attributions
    assert e1.source == (at(x, "The Post"),) and e1.cue == (at(x, "reported"),)
    assert e2.content == (at(x, '"We will,"'), at(x, '"win."'))
    assert e2.cue == (at(x, "said"),)
    assert e3.source is None and e3.cue == (at(x, "believe"),)
    assert e4.content == (at(x, "New line\nhere is quoted."),)
    assert len(problems) == 3
    assert any("T12" in p and "outside the text" in p for p in problems)
    assert any("E5" in p and "unknown span T12" in p for p in problems)
    assert any("T13" in p and "differs" in p for p in problems)
    assert all("doc_a_aa.ann" in p for p in problems)


def test_folder_of_splits_and_missing_ann(tmp_path: Path) -> None:
    lines = [t_line("T1", "Content", [at(BRAT_TEXT, "it")]), "E1\tAttribution:T1 Content:T1"]
    write_split(tmp_path / "corpus" / "dev", {"doc_a_aa.ann": lines})
    write_split(tmp_path / "corpus" / "train", {"doc_a_aa.ann": lines})
    (tmp_path / "corpus" / "train" / "text" / "doc_b.txt").write_text("no annotations")
    problems: list[str] = []
    gold = read_gold(tmp_path / "corpus", problems)
    assert sorted(gold) == ["dev", "train"]
    assert [d.id for d in gold["train"]] == ["doc_a"]
    assert len(problems) == 1 and "doc_b.txt" in problems[0]


def test_jsonl_gold(tmp_path: Path) -> None:
    text = '"We will win," Lee said.'
    good = {
        "id": "g1",
        "text": text,
        "attributions": [
            {"content": [list(at(text, "We will win"))], "source": [[15, 18]], "cue": [[19, 23]]},
            {"content": [[0, 5], [6, 10]], "source": None, "cue": None},
        ],
    }
    bad = {"id": "g2", "text": "short", "attributions": [{"content": [[0, 50]]}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join([json.dumps(good), "{not json", json.dumps(bad)]) + "\n", encoding="utf-8"
    )
    problems: list[str] = []
    gold = read_gold(path, problems)
    (doc,) = gold["gold"]
    assert doc.id == "g1" and len(doc.attributions) == 2
    first, second = doc.attributions
    assert first.source == ((15, 18),) and text[19:23] == "said"
    assert second.content == ((0, 5), (6, 10)) and second.source is None
    assert len(problems) == 2 and all(str(path) in p for p in problems)
    assert any(":2:" in p for p in problems) and any(":3:" in p for p in problems)
    pred = stmt(text, [(0, 14)], speaker=(15, 18), cue=(19, 23))
    m = evaluate(gold["gold"], {"g1": [pred]}).metrics
    assert (m["content_exact"].tp, m["source"].tp, m["cue"].tp) == (1, 1, 1)
    assert (m["source"].n_gold, m["cue"].n_gold) == (1, 1)


@pytest.mark.shared
def test_polnear_dev_offsets_line_up() -> None:
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"PolNeAR dev split not found at {POLNEAR_DEV} (needs ../shared)")
    problems: list[str] = []
    docs = read_gold(POLNEAR_DEV, problems)["dev"]
    assert len(docs) == 84
    # the reader compares every span's stored text with the document at its offsets
    assert [p for p in problems if "differs" in p or "outside" in p] == []
    assert all("has no Content" in p for p in problems)
    for doc in docs[:10]:
        assert doc.attributions, doc.id
        for a in doc.attributions:
            assert a.content and all(0 <= s < e <= len(doc.text) for s, e in a.content)
    assert sum(a.source is None for d in docs for a in d.attributions) > 0


# --- the command -------------------------------------------------------------------


def test_eval_command_writes_json_and_errors(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from saidwhat.cli import main

    text = '"Prices will rise next year," the minister said on Monday.'
    gold = {
        "id": "m1",
        "text": text,
        "attributions": [{"content": [list(at(text, "Prices will rise next year"))]}],
    }
    gold_path = tmp_path / "g.jsonl"
    gold_path.write_text(json.dumps(gold) + "\n", encoding="utf-8")
    out, errs = tmp_path / "r.json", tmp_path / "e.jsonl"
    result = CliRunner().invoke(
        main, ["eval", "--gold", str(gold_path), "--json", str(out), "--errors", str(errs)]
    )
    assert result.exit_code == 0, result.output
    assert "content (exact)" in result.output
    res = json.loads(out.read_text())["splits"]["g"]
    assert res["docs"] == 1 and res["content_overlap"]["gold"] == 1
    tp = res["content_overlap"]["tp"]
    rows = [json.loads(line) for line in errs.read_text().splitlines()]
    assert sum(r["kind"] == "missed" for r in rows) == 1 - tp


def test_shared_content_goes_to_the_gold_with_the_same_source() -> None:
    text = "Smith and Jones said taxes will fall."
    content = at(text, "taxes will fall")
    gold = gold_doc(
        att([content], source=at(text, "Smith")),
        att([content], source=at(text, "Jones")),
        text=text,
    )
    pred = stmt(text, [content], speaker=at(text, "Jones"))
    m = evaluate([gold], {"d1": [pred]}).metrics
    assert (m["content_exact"].tp, m["source"].tp) == (1, 1)


@pytest.mark.shared
def test_polnear_dev_gold_scores_perfectly_against_itself() -> None:
    if not POLNEAR_DEV.is_dir():
        pytest.skip(f"PolNeAR dev split not found at {POLNEAR_DEV} (needs ../shared)")
    docs = read_gold(POLNEAR_DEV)["dev"]
    scores = evaluate(docs, {d.id: d.attributions for d in docs})
    for name, c in scores.metrics.items():
        assert c.tp == c.n_pred == c.n_gold > 0, name
    assert scores.errors == []


def test_predict_runs_the_pipeline_on_gold_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The wiring of ``predict``: each doc gets its own statements, failures count as none."""
    import re

    import saidwhat.attribution.component as analyse_mod
    from saidwhat.evaluation.run import evaluate_split
    from saidwhat.schema import Analysis

    def quotes_only(
        article, doc, models, deadline=None, embed=True
    ):  # a stand-in engine: every "..." is a statement
        if "FAIL" in article.text:
            raise RuntimeError("boom")
        statements = [
            stmt(article.text, [m.span(1)], sid=f"s{i}")
            for i, m in enumerate(re.finditer(r'"([^"]+)"', article.text))
        ]
        return Analysis(article=article, statements=statements)

    monkeypatch.setattr(analyse_mod, "analyse_parsed", quotes_only)
    t1, t2, t3 = 'He said "yes" and "no".', 'She said "maybe".', 'FAIL "x".'
    docs = [
        gold_doc(att([at(t1, "yes")]), att([at(t1, "no")]), text=t1, doc_id="a"),
        gold_doc(att([at(t2, "maybe")]), text=t2, doc_id="b"),
        gold_doc(att([at(t3, "x")]), text=t3, doc_id="c"),
    ]
    ticks = []
    result = evaluate_split("t", docs, on_doc=lambda: ticks.append(1))
    c = result.scores.metrics["content_exact"]
    assert (c.tp, c.n_pred, c.n_gold) == (3, 3, 4)
    assert len(ticks) == 3
    assert len(result.failures) == 1 and "boom" in result.failures[0]


def test_discontinuous_content_is_normalised_piece_by_piece() -> None:
    from saidwhat.evaluation.scoring import normalise_pieces

    text = '"It hurts," she said. "We go on."'
    assert normalise_pieces(text, ((1, 9), (23, 32))) == "It hurts We go on"
    assert normalise_pieces(text, ((0, 11), (22, 33))) == "It hurts We go on"
