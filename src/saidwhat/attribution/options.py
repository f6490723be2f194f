"""The settings of the attribution engine, in one explicit object.

Everything that changes what the engine extracts travels in ``AttributionOptions``: which
engine, how candidates are decided (the learned models or the hand-written lexicon), the
decision threshold, and where the model files are. A benchmark that sweeps a threshold
passes options; nothing is patched and nothing is switched by whether a file happens to
exist. ``AttributionModels.load(options)`` reads the files once; the loaded object is then
passed to the passes that need it (the cue decision and the content ends).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from saidwhat.attribution.budget import DEFAULT_TIME_BUDGET
from saidwhat.reading.outlets import Outlets, load_outlets

# ``rules``: the hand-written passes of ``pipeline``; ``neural``: the same passes with the
# learned tagger deciding candidates and spans (``neural``), needing the MiniLM package
ENGINES = ("rules", "neural")
DECISIONS = ("learned", "lexicon")
DEFAULT_THRESHOLD = 0.5  # when a cue model file gives none


@dataclass(frozen=True)
class TaggerChoices:
    """How the neural engine combines the tagger with the rules (``attribution.neural``);
    the defaults were chosen on PolNeAR dev (README, "Two engines")."""

    drop_below: float = 0.3  # a candidate the tagger believes less than this is dropped
    add_above: float = 0.8  # a tagged attribution the rules missed, surer than this, added
    # indirect contents take the tagger's span: off, since on dev it cost 4.7 points of
    # exact content F1 (the boundary model places ends better than this tagger)
    reshape: bool = False


class AttributionModelMissing(RuntimeError):
    """A model file the options ask for is not there (or is not a model)."""


@dataclass(frozen=True)
class AttributionOptions:
    """What the engine runs with. The defaults are the shipped behaviour.

    ``engine="neural"`` runs the fine-tuned MiniLM tagger (``tagger_model`` None: the one
    shipped in ``saidwhat/data``) and combines its spans with the rules' candidates.
    ``decision="learned"`` decides candidates with the cue model and chooses content ends
    with the boundary model; ``"lexicon"`` decides with ``cues.is_cue`` and runs reported
    clauses to the end of their sentence, and needs no model file. ``threshold`` None is
    the cue model file's own; ``cue_model`` / ``boundary_model`` None are the files shipped
    in ``saidwhat/data``. ``time_budget``: seconds one article may take (None: no limit);
    an article over it is given up with ``budget.OverBudget``. ``embeddings``: also give
    each statement's content a sentence embedding (``Analysis.embeddings``), what the
    store's search by meaning reads; needs the MiniLM package, as the neural engine does.
    """

    engine: str = "rules"
    decision: str = "learned"
    threshold: float | None = None
    cue_model: str | None = None
    boundary_model: str | None = None
    time_budget: float | None = DEFAULT_TIME_BUDGET
    tagger_model: str | None = None
    confidence_model: str | None = None
    tagger_drop_below: float = TaggerChoices.drop_below
    tagger_add_above: float = TaggerChoices.add_above
    tagger_reshape: bool = TaggerChoices.reshape
    embeddings: bool = False
    # the user's outlets file (README, "Outlets and agencies"), read on top of the shipped
    # ``data/outlets.csv``; None: the shipped table alone
    outlets: str | None = None

    def __post_init__(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, not {self.engine!r}")
        if self.decision not in DECISIONS:
            raise ValueError(f"decision must be one of {DECISIONS}, not {self.decision!r}")
        if self.time_budget is not None and not self.time_budget > 0:
            raise ValueError(
                f"time_budget must be a positive number of seconds or None, "
                f"not {self.time_budget!r}"
            )

    def to_config(self) -> dict[str, Any]:
        """The options as the spaCy component's config (plain values)."""
        return {
            "engine": self.engine,
            "decision": self.decision,
            "threshold": self.threshold,
            "cue_model": self.cue_model,
            "boundary_model": self.boundary_model,
            "time_budget": self.time_budget,
            "tagger_model": self.tagger_model,
            "confidence_model": self.confidence_model,
            "tagger_drop_below": self.tagger_drop_below,
            "tagger_add_above": self.tagger_add_above,
            "tagger_reshape": self.tagger_reshape,
            "embeddings": self.embeddings,
            "outlets": self.outlets,
        }

    @property
    def tagger_choices(self) -> TaggerChoices:
        return TaggerChoices(self.tagger_drop_below, self.tagger_add_above, self.tagger_reshape)


def _packaged(name: str) -> Path:
    return Path(str(resources.files("saidwhat") / "data" / name))


def _read_model(path: Path, what: str) -> dict[str, Any]:
    try:
        with path.open(encoding="utf-8") as fh:
            model = json.load(fh)
        weights = model["weights"]
    except FileNotFoundError as exc:
        raise AttributionModelMissing(
            f"the {what} model {path} is missing; learn it with "
            f"{'bench/learn_confidence.py' if what == 'confidence' else 'bench/learn_models.py'}"
            + (
                ""
                if what == "confidence"
                else ", or run with AttributionOptions(decision='lexicon')"
            )
        ) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise AttributionModelMissing(f"{path} is not a {what} model: {exc}") from exc
    if not isinstance(weights, dict) or not weights:
        raise AttributionModelMissing(f"{path} has no weights")
    return dict(model)


@dataclass(frozen=True)
class AttributionModels:
    """The loaded models, built once from the options and handed to the passes.

    ``cue_weights`` and ``boundary_weights`` are empty when the lexicon decides;
    ``tagger`` is None for the rules engine.
    """

    decision: str = "lexicon"
    threshold: float = DEFAULT_THRESHOLD
    cue_weights: dict[str, float] = field(default_factory=dict)
    boundary_weights: dict[str, float] = field(default_factory=dict)
    tagger: Any = field(default=None, compare=False, repr=False)
    choices: TaggerChoices = field(default_factory=TaggerChoices)
    confidence_weights: dict[str, float] = field(default_factory=dict)
    confidence_platt: tuple[float, float] = (1.0, 0.0)
    encoder: Any = field(default=None, compare=False, repr=False)  # sentence embeddings
    # the outlets table (shipped, plus the options' file): entity typing and chains
    outlets: Outlets = field(default_factory=load_outlets, compare=False, repr=False)

    @property
    def learned(self) -> bool:
        return self.decision == "learned"

    @classmethod
    def load(cls, options: AttributionOptions | None = None) -> AttributionModels:
        """Read the model files the options name (none for the lexicon)."""
        options = options or AttributionOptions()
        tagger = load_tagger(options.tagger_model) if options.engine == "neural" else None
        encoder = load_encoder() if options.embeddings else None
        outlets = load_outlets(options.outlets)
        confidence = _read_model(
            Path(options.confidence_model)
            if options.confidence_model
            else _packaged("confidence_model.json"),
            "confidence",
        )
        rating = {
            "confidence_weights": dict(confidence["weights"]),
            "confidence_platt": _platt(confidence),
        }
        if options.decision == "lexicon":
            return cls(
                decision="lexicon",
                tagger=tagger,
                choices=options.tagger_choices,
                encoder=encoder,
                outlets=outlets,
                **rating,
            )
        cue_path = Path(options.cue_model) if options.cue_model else _packaged("cue_model.json")
        boundary_path = (
            Path(options.boundary_model)
            if options.boundary_model
            else _packaged("boundary_model.json")
        )
        cue = _read_model(cue_path, "cue")
        boundary = _read_model(boundary_path, "boundary")
        threshold = options.threshold
        if threshold is None:
            threshold = float(cue.get("threshold", DEFAULT_THRESHOLD))
        return cls(
            decision="learned",
            threshold=threshold,
            cue_weights=dict(cue["weights"]),
            boundary_weights=dict(boundary["weights"]),
            tagger=tagger,
            choices=options.tagger_choices,
            encoder=encoder,
            outlets=outlets,
            **rating,
        )


def _platt(model: dict[str, Any]) -> tuple[float, float]:
    """The (a, b) rescaling of a confidence model's log-odds (identity when absent)."""
    a, b = model.get("platt", (1.0, 0.0))
    return float(a), float(b)


@lru_cache(maxsize=4)
def load_tagger(path: str | None = None) -> Any:
    """The tagger at ``path`` (None: the shipped one), loaded once per process: the base
    weights are 90 MB, and every options object naming the same file shares them."""
    from saidwhat.tagger.model import Tagger

    return Tagger(path)


def load_encoder() -> Any:
    """The sentence encoder for statement embeddings, loaded once per process (and once
    in each ``n_process`` or Dask worker, on its first article)."""
    from saidwhat.encoder.sentences import load_sentence_encoder

    return load_sentence_encoder()
