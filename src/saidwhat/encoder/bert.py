"""The BERT forward pass in numpy, for the 6-layer 384-wide MiniLM.

Why numpy and not torch or ONNX Runtime: on a user's machine a plain ``pip install torch``
brings a multi-gigabyte CUDA build, and the model is small enough (22 M parameters, most
of them the embedding table) that a few float32 matrix products per layer are the whole
cost; BLAS does those as fast as the frameworks do on a CPU. GELU is the tanh form, as in
training (``bench/train_tagger.py``), so the two agree to float rounding.
"""

from __future__ import annotations

import numpy as np

HIDDEN = 384
HEADS = 12
LAYERS = 6
LN_EPS = 1e-12
_GELU_C = np.float32(np.sqrt(2.0 / np.pi))


def gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh approximation."""
    return 0.5 * x * (1.0 + np.tanh(_GELU_C * (x + np.float32(0.044715) * x * x * x)))


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LN_EPS) * weight + bias


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    x = x - x.max(axis=axis, keepdims=True)
    np.exp(x, out=x)
    x /= x.sum(axis=axis, keepdims=True)
    return x


class BertEncoder:
    """Embeddings and transformer layers over a dict of named tensors.

    ``weights`` uses the Hugging Face names (``encoder.layer.3.attention.self.query.weight``),
    so a fine-tuned layer saved under its name simply replaces the base one.
    """

    def __init__(self, weights: dict[str, np.ndarray], flat_dense: bool = False) -> None:
        # ``flat_dense``: each dense product as one (batch * length, hidden) matrix
        # product. numpy runs a (batch, length, hidden) @ (hidden, out) product as one
        # small GEMM per batch row; one large one is ten times faster for a batch of 32
        # sentences of 20 pieces (the sentence encoder's case). The tagger keeps the
        # per-row products it was checked with (the sums agree to 1e-4, not bit for bit).
        self.flat_dense = flat_dense
        # dense weights are kept transposed and contiguous (x @ W.T with no copy per call)
        self.w = {
            k: np.ascontiguousarray(v.T if v.ndim == 2 and k.startswith("encoder.") else v).astype(
                np.float32
            )
            for k, v in weights.items()
            if v.dtype != np.int64
        }
        self.layers = sum(1 for k in self.w if k.endswith("attention.self.query.weight"))

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """(batch, length) ids -> (batch, length, hidden) embeddings."""
        w = self.w
        length = ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        return layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])

    def layer(self, i: int, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Transformer layer ``i``; ``mask`` is (batch, length) with 1 for real pieces."""
        w = self.w
        p = f"encoder.layer.{i}."
        batch, length, hidden = x.shape
        head = hidden // HEADS

        def dense(v: np.ndarray, name: str) -> np.ndarray:
            weight, bias = w[p + name + ".weight"], w[p + name + ".bias"]
            if self.flat_dense:
                flat = v.reshape(-1, v.shape[-1]) @ weight
                return flat.reshape(*v.shape[:-1], weight.shape[1]) + bias
            return v @ weight + bias

        def heads(v: np.ndarray) -> np.ndarray:
            # contiguous, so the batched products below go to BLAS one matrix at a time
            # (a strided view makes numpy fall back to its slow generic loop)
            return np.ascontiguousarray(v.reshape(batch, length, HEADS, head).transpose(0, 2, 1, 3))

        q = heads(dense(x, "attention.self.query") * np.float32(1.0 / np.sqrt(head)))
        k = heads(dense(x, "attention.self.key"))
        v = heads(dense(x, "attention.self.value"))
        scores = q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2))
        scores += ((1.0 - mask[:, None, None, :]) * np.float32(-1e4)).astype(np.float32)
        ctx = (softmax(scores) @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = layer_norm(
            x + dense(ctx, "attention.output.dense"),
            w[p + "attention.output.LayerNorm.weight"],
            w[p + "attention.output.LayerNorm.bias"],
        )
        inner = gelu(dense(x, "intermediate.dense"))
        return layer_norm(
            x + dense(inner, "output.dense"),
            w[p + "output.LayerNorm.weight"],
            w[p + "output.LayerNorm.bias"],
        )

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last hidden states of a padded batch."""
        mask = mask.astype(np.float32)
        x = self.embed(ids)
        for i in range(self.layers):
            x = self.layer(i, x, mask)
        return x

    def sentence_embeddings(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled, L2-normalised sentence vectors (all-MiniLM-L6-v2's own pooling)."""
        hidden = self(ids, mask)
        m = mask.astype(np.float32)[..., None]
        pooled = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
