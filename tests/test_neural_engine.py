"""The neural engine: the shipped tagger loads offline and only on the weights it was
trained on, and the engine it drives keeps the rows a reader can trust."""

from __future__ import annotations

import dataclasses
import json
import shutil
import socket

import pytest

from saidwhat.analyse import analyse, analyse_many, with_settings
from saidwhat.attribution.options import AttributionOptions, load_tagger
from saidwhat.encoder import EncoderWeightsMismatch, load_base_weights
from saidwhat.reading.records import article_from_text
from saidwhat.tagger.model import Tagger, TaggerMissing, packaged_tagger
from test_trust_rows import INTERVIEW  # noqa: E402  (a written article)


def neural(nlp):
    return dataclasses.replace(with_settings(nlp, None), engine="neural")


def test_unknown_engine_is_refused():
    with pytest.raises(ValueError, match="engine must be one of"):
        AttributionOptions(engine="magic")


def test_tagger_loads_and_tags_with_sockets_blocked(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    load_base_weights.cache_clear()
    tagged = Tagger().tag('"We will rebuild," the mayor said on Tuesday.')
    assert len(tagged.pieces) > 5
    assert any(s.channel == "cue" and s.start < 38 < s.end + 4 for s in tagged.spans)


def test_extraction_runs_with_sockets_blocked(nlp, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    load_tagger.cache_clear()
    analysis = analyse(article_from_text(INTERVIEW), nlp, neural(nlp))
    assert analysis.statements


def test_a_tagger_trained_on_other_base_weights_is_refused(tmp_path):
    shipped = packaged_tagger()
    copy = tmp_path / "tagger"
    shutil.copy(shipped.with_suffix(".safetensors"), copy.with_suffix(".safetensors"))
    meta = json.loads(shipped.with_suffix(".json").read_text())
    meta["base_sha256"] = "0" * 64
    copy.with_suffix(".json").write_text(json.dumps(meta))
    with pytest.raises(EncoderWeightsMismatch, match="trained on base weights"):
        Tagger(copy)


def test_a_missing_tagger_says_how_to_get_one(tmp_path):
    with pytest.raises(TaggerMissing, match="train_tagger.py"):
        Tagger(tmp_path / "nothing")


def test_shipped_files_are_small_and_name_their_base():
    shipped = packaged_tagger()
    meta = json.loads(shipped.with_suffix(".json").read_text())
    assert meta["base_sha256"] == "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
    assert shipped.with_suffix(".safetensors").stat().st_size < 25 * 1024 * 1024


def test_n_process_works_with_the_neural_engine(nlp):
    articles = [article_from_text(INTERVIEW.replace("Duarte", name)) for name in ("Ana", "Eva")]
    results = list(analyse_many(articles, nlp=nlp, n_process=2, options=neural(nlp)))
    assert all(r.statements for r in results)


def test_the_tagger_gives_up_within_a_batch_of_its_budget():
    from saidwhat.attribution.budget import Deadline, OverBudget

    tagger = load_tagger(None)
    text = "The minister said the talks would resume. " * 4000  # about 40,000 pieces
    deadline = Deadline(0.05)
    with pytest.raises(OverBudget):
        tagger.tag(text, deadline)
