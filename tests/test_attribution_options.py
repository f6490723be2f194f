"""Settings travel by argument: AttributionOptions, the models loaded from them, and the
spaCy component that holds them and saves them with the pipeline."""

from __future__ import annotations

import pytest
import spacy

from saidwhat.analyse import AnalysisFailed, analyse, analyse_many
from saidwhat.attribution import (
    COMPONENT,
    AttributionModelMissing,
    AttributionModels,
    AttributionOptions,
)
from saidwhat.attribution.component import attribution_component
from saidwhat.reading.records import article_from_text

TEXT = (
    "Norway will host the next round of talks, the foreign minister said on Monday.\n\n"
    "Anna Berg told reporters that the delegations would meet in Oslo. She warned that "
    "the talks could fail without a ceasefire.\n\n"
    '"We are ready," Berg said. "The rest is up to them."\n\n'
    "The opposition rejected the plan and accused the government of haste."
)


@pytest.fixture(scope="module")
def article():
    return article_from_text(TEXT, date="2026-03-05")


def test_pipeline_saved_and_loaded_gives_the_same_analysis(nlp, article, tmp_path) -> None:
    before = analyse(article, nlp)
    assert before.statements
    folder = tmp_path / "pipeline"
    nlp.to_disk(folder)
    assert (folder / COMPONENT / "models.json").is_file()  # the weights, not a path to them
    restored = spacy.load(folder)
    component = restored.get_pipe(COMPONENT)
    assert component.options == AttributionOptions()
    assert component.models == attribution_component(nlp).models
    assert analyse(article, restored).to_dict() == before.to_dict()
    many = list(analyse_many([article], nlp=restored))
    assert many[0].to_dict() == before.to_dict()


def test_a_threshold_is_an_argument_and_leaves_no_trace(nlp, article) -> None:
    default = analyse(article, nlp)
    strict = AttributionOptions(threshold=1.0)  # no learned score reaches 1.0
    fewer = analyse(article, nlp, options=strict)
    assert len(fewer.statements) < len(default.statements)
    (batched,) = analyse_many([article], nlp=nlp, options=strict)
    assert not isinstance(batched, AnalysisFailed)
    assert batched.to_dict() == fewer.to_dict()
    # nothing module-wide or in the pipeline moved: the default run is the same again
    assert analyse(article, nlp).to_dict() == default.to_dict()
    assert attribution_component(nlp).options == AttributionOptions()
    assert attribution_component(nlp).models.threshold == AttributionModels.load().threshold


def test_lexicon_decides_without_model_files(nlp, article, tmp_path) -> None:
    missing = str(tmp_path / "no_such_model.json")
    lexicon = AttributionOptions(decision="lexicon", cue_model=missing, boundary_model=missing)
    models = AttributionModels.load(lexicon)
    assert not models.learned and not models.cue_weights and not models.boundary_weights
    found = analyse(article, nlp, options=lexicon)
    contents = [s.content_text for s in found.statements]
    assert any("the delegations would meet in Oslo" in c for c in contents), contents
    assert any("We are ready" in c for c in contents), contents


def test_a_missing_model_file_is_an_error_not_a_switch(nlp, article, tmp_path) -> None:
    learned = AttributionOptions(cue_model=str(tmp_path / "no_such_model.json"))
    with pytest.raises(AttributionModelMissing, match="decision='lexicon'"):
        AttributionModels.load(learned)
    with pytest.raises(AttributionModelMissing):
        analyse(article, nlp, options=learned)
    with pytest.raises(AttributionModelMissing):
        list(analyse_many([article], nlp=nlp, options=learned))


def test_options_are_checked() -> None:
    with pytest.raises(ValueError, match="decision"):
        AttributionOptions(decision="guess")
    with pytest.raises(ValueError, match="engine"):
        AttributionOptions(engine="oracle")
    assert AttributionOptions(threshold=0.4).to_config()["threshold"] == 0.4
