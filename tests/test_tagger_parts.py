"""The tagger's parts that need no trained weights: windows, tags and spans, pairing,
the encoder's hash check and its arithmetic."""

from __future__ import annotations

import numpy as np
import pytest

from saidwhat.encoder import (
    BertEncoder,
    EncoderWeightsMismatch,
    WordpieceTokenizer,
    load_base_weights,
)
from saidwhat.encoder.weights import BASE_SHA256, file_sha256, load_checked
from saidwhat.tagger.assemble import assemble
from saidwhat.tagger.labels import CHANNELS, TAGS, TaggedSpan, gold_tags, outermost, read_spans
from saidwhat.tagger.windows import batch_arrays, cut, owners


def test_windows_cover_every_piece_and_owners_are_central():
    windows = cut(1000, window=254, stride=192)
    assert windows[0].start == 0 and windows[-1].end == 1000
    assert all(w.end - w.start == 254 for w in windows)
    own = owners(windows, 1000)
    assert (own >= 0).all()
    # piece 300 is nearer the middle of the second window (192..446) than the first's end
    assert own[300] == 1
    assert cut(10) == [cut(10)[0]] and cut(10)[0].end == 10


def test_batch_arrays_wrap_windows_in_cls_and_sep():
    ids = np.arange(1000, 1010)
    arr, mask = batch_arrays(ids, cut(10, window=6, stride=4))
    assert arr[0, 0] == 101 and arr[0, 7] == 102 and mask[0].sum() == 8
    assert list(arr[0, 1:7]) == list(range(1000, 1006))


def test_tags_round_trip_to_spans():
    tok = WordpieceTokenizer()
    text = "The minister said that the talks would resume on Monday, officials added."
    pieces = tok(text)
    spans = {
        "content": [(text.index("the talks"), text.index(", officials"))],
        "cue": [(text.index("said"), text.index("said") + 4)],
        "source": [(0, text.index(" said"))],
    }
    tags = gold_tags(pieces, spans)
    probs = np.zeros((len(pieces), len(CHANNELS), TAGS), dtype=np.float32)
    probs[np.arange(len(pieces))[:, None], np.arange(len(CHANNELS))[None], tags] = 1.0
    got = {(s.channel, text[s.start : s.end]) for s in read_spans(pieces, probs)}
    assert got == {
        ("content", "the talks would resume on Monday"),
        ("cue", "said"),
        ("source", "The minister"),
    }


def test_only_outermost_contents_are_tagged():
    assert outermost([(0, 50), (10, 20), (60, 70), (0, 50)]) == [(0, 50), (60, 70)]


def test_assemble_pairs_content_with_nearest_cue_and_source():
    spans = [
        TaggedSpan("source", 0, 12, 0.9),
        TaggedSpan("cue", 13, 17, 0.9),
        TaggedSpan("content", 23, 56, 0.8),
        TaggedSpan("content", 400, 420, 0.9),  # no cue within reach: not an attribution
    ]
    found = assemble(spans)
    assert len(found) == 1
    assert found[0].cue.start == 13 and found[0].source.start == 0
    assert found[0].score == pytest.approx(0.8)


def test_weights_with_another_hash_are_refused(tmp_path):
    fake = tmp_path / "model.safetensors"
    fake.write_bytes(b"not the weights")
    with pytest.raises(EncoderWeightsMismatch, match="sha256"):
        load_checked(fake, BASE_SHA256)


def test_installed_base_weights_are_the_upstream_file():
    from saidwhat.encoder import base_model_dir

    assert file_sha256(base_model_dir() / "model.safetensors") == BASE_SHA256


def test_sentence_embeddings_put_paraphrases_closest():
    tok, enc = WordpieceTokenizer(), BertEncoder(load_base_weights())
    sentences = [
        "The Kremlin said peace talks would continue next week.",
        "Moscow announced that negotiations on peace will go on next week.",
        "The recipe needs two eggs and a cup of flour.",
    ]
    rows = [np.concatenate([[101], tok(s).ids, [102]]) for s in sentences]
    length = max(len(r) for r in rows)
    ids = np.zeros((3, length), dtype=np.int64)
    mask = np.zeros((3, length), dtype=np.int64)
    for i, r in enumerate(rows):
        ids[i, : len(r)], mask[i, : len(r)] = r, 1
    v = enc.sentence_embeddings(ids, mask)
    assert np.allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > 0.6 > v[0] @ v[2]
