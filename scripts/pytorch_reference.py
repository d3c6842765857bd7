#!/usr/bin/env python3
"""PyTorch side of the engine benchmark (`swift run -c release EngineBenchmark`): the same workloads,
shapes, initialisation scale and optimizers as the engine, timed the same way.

Runs as a long-lived child of the benchmark so that engine and PyTorch can alternate in rounds without
paying Python's and torch's start-up each time. Protocol, one JSON object per line:
  stdout, first:  {"torch": version, "threads": n, "mambapy": bool}   (or {"error": ...}, then exit)
  stdin:          {"workload": "gpt", "mode": "train", "steps": 20, "warmup": 2}
                  ({"workload": "sgemm", "shape": [m, n, k], "mode": "matmul" | "blas", ...} for sgemm,
                   {"workload": "conv", "shape": [c, f, size, kernel, stride, padding],
                    "mode": "forward" | "input-grad" | "weight-grad", ...} for a convolution)
  stdout:         {"rate": steps per second} or {"error": message}
Each workload is built on its first command; each of its modes runs `warmup` untimed steps on its first
command. Needs PyTorch (a CPU build is enough); Mamba4Rec also needs `pip install mambapy`.
"""
import argparse
import json
import math
import sys
import time


def reply(message):
    # The benchmark waits for each line, so it must leave Python's buffer at once.
    print(json.dumps(message), flush=True)


try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError as error:
    reply({"error": f"cannot import torch ({error})"})
    sys.exit(1)

try:
    from mambapy.mamba import MambaBlock, MambaConfig
except ImportError:  # the benchmark shows "-" for Mamba4Rec's PyTorch numbers
    MambaBlock = MambaConfig = None


class Block(nn.Module):
    """Pre-norm GPT block: LayerNorm, causal attention, LayerNorm, GELU MLP of width `hidden` (4d by
    default; `gelu` is "tanh" for GPT-2's approximation, "none" for the exact form SASRec uses). With `dropout` > 0 (SASRec), dropout follows the attention's output projection and the MLP,
    as in the engine's `TransformerBlock`; `key_padding` ([B, T], True = padding) hides padded keys."""

    def __init__(self, d, heads, hidden=None, dropout=0.0, gelu="tanh"):
        super().__init__()
        self.heads = heads
        self.gelu = gelu
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, hidden or 4 * d)
        self.out = nn.Linear(hidden or 4 * d, d)
        self.attn_drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()
        self.mlp_drop = nn.Dropout(dropout) if dropout > 0 else nn.Identity()

    def forward(self, x, key_padding=None):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        # The explicit softmax(QKᵀ/√d + mask)V, as the Swift engine computes it (no flash kernel).
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)
        if key_padding is not None:
            mask = mask | key_padding[:, None, None, :]
        att = att.masked_fill(mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.attn_drop(self.proj(y))
        return x + self.mlp_drop(self.out(F.gelu(self.fc(self.ln2(x)), approximate=self.gelu)))


def engine_embeddings(model):
    """The engine's `Embedding` initialisation, N(0, 0.02), where torch's default is N(0, 1); padding row 0
    is zeroed again as `padding_idx` would have left it."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Embedding):
                nn.init.normal_(m.weight, std=0.02)
                if m.padding_idx is not None:
                    m.weight[m.padding_idx].zero_()


class Decoder(nn.Module):
    """The engine's `GPTDecoder` (GPT style, untied head, no dropout)."""

    def __init__(self, vocab, d, heads, layers, context):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(context, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)
        engine_embeddings(self)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln(x))


class SASRec(nn.Module):
    """The engine's `SASRecEncoder`: item embedding (0 = padding) · √d + learned positions, dropout,
    pre-norm blocks each followed by the timeline mask, final LayerNorm; scores tied to the item table."""

    def __init__(self, items, max_len, d, heads, hidden, layers, dropout):
        super().__init__()
        self.d = d
        self.items = nn.Embedding(items + 1, d, padding_idx=0)
        self.pos = nn.Embedding(max_len, d)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList(Block(d, heads, hidden, dropout, gelu="none") for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        engine_embeddings(self)

    def forward(self, ids):
        padding = ids == 0
        timeline = (~padding).unsqueeze(-1).to(torch.float32)
        x = self.items(ids) * math.sqrt(self.d) + self.pos(torch.arange(ids.shape[1]))
        x = self.drop(x) * timeline
        for blk in self.blocks:
            x = blk(x, padding) * timeline
        return self.ln(x)

    def scores(self, h):
        return h @ self.items.weight.t()


class Mamba4Rec(nn.Module):
    """The engine's `Mamba4Rec` with one layer: LayerNorm(Dropout(E[ids])), Mamba, LayerNorm(Dropout(·))
    (no residual with one layer), feed-forward 4d GELU (exact) with dropouts + residual + LayerNorm (ε 1e-12).
    The Mamba mixer is mambapy's `MambaBlock` (no norm or residual of its own, as mamba_ssm's `Mamba`)."""

    def __init__(self, items, d, d_state, d_conv, expand, dropout, pscan):
        super().__init__()
        self.items = nn.Embedding(items + 1, d, padding_idx=0)
        self.drop = nn.Dropout(dropout)
        self.ln = nn.LayerNorm(d, eps=1e-12)
        self.mamba = MambaBlock(MambaConfig(d_model=d, n_layers=1, d_state=d_state, d_conv=d_conv,
                                            expand_factor=expand, pscan=pscan))
        self.mamba_drop = nn.Dropout(dropout)
        self.mamba_ln = nn.LayerNorm(d, eps=1e-12)
        self.up, self.down = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        self.inner_drop, self.outer_drop = nn.Dropout(dropout), nn.Dropout(dropout)
        self.ffn_ln = nn.LayerNorm(d, eps=1e-12)
        # Mamba4Rec's _init_weights: Linear and Embedding N(0, 0.02), biases 0 (Δ bias included).
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
            if isinstance(m, nn.Linear) and m.bias is not None:
                nn.init.zeros_(m.bias)
        with torch.no_grad():
            self.items.weight[0].zero_()

    def forward(self, ids):
        h = self.ln(self.drop(self.items(ids)))
        h = self.mamba_ln(self.mamba_drop(self.mamba(h)))
        f = self.outer_drop(self.down(self.inner_drop(F.gelu(self.up(h)))))
        return self.ffn_ln(f + h)

    def scores(self, h):
        return h @ self.items.weight.t()


class BasicBlock(nn.Module):
    """He et al. (2016) BasicBlock as in kuangliu/pytorch-cifar: two 3x3 conv-BN, projection shortcut on a shape change."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class ResNet(nn.Module):
    """The image model of the model-parallel reproduction: stem, four layers of one block (c, 2c, 4c, 8c), mean pool, linear."""

    def __init__(self, c=16, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, c, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c)
        widths, cin, layers = [c, 2 * c, 4 * c, 8 * c], c, []
        for w, stride in zip(widths, [1, 2, 2, 2]):
            layers.append(BasicBlock(cin, w, stride))
            cin = w
        self.layers = nn.Sequential(*layers)
        self.linear = nn.Linear(8 * c, classes)

    def forward(self, x):
        out = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.linear(out.mean(dim=(2, 3)))


def model_modes(model, optimizer, loss, forward):
    """A model's two timed modes, each as (set-up run once before a timed batch, one step):
    training = zero grads, forward, backward, optimizer step in train mode;
    inference = `forward` in eval mode without autograd."""

    def train_step():
        optimizer.zero_grad(set_to_none=False)
        loss().backward()
        optimizer.step()

    def inference():
        with torch.no_grad():
            forward()

    return {"train": (model.train, train_step), "inference": (model.eval, inference)}


def mlp():
    """MLP 784-256-256-10, batch 128, Adam; inference = the batch's logits."""
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))
    return model_modes(model, torch.optim.Adam(model.parameters(), lr=1e-3),
                       lambda: F.cross_entropy(model(x), y), lambda: model(x))


def gpt(layers, d, heads, context, batch=32, vocab=65):
    """GPT decoder over T = context tokens, Adam; inference = the batch's logits."""
    model = Decoder(vocab=vocab, d=d, heads=heads, layers=layers, context=context)
    idx, targets = torch.randint(0, vocab, (batch, context)), torch.randint(0, vocab, (batch, context))
    return model_modes(model, torch.optim.Adam(model.parameters(), lr=1e-3),
                       lambda: F.cross_entropy(model(idx).view(-1, vocab), targets.view(-1)), lambda: model(idx))


def resnet():
    """The model-parallel reproduction's ResNet, batch 128 of 1x28x28, SGD with momentum and weight decay;
    inference = eval-mode logits (BatchNorm with its running statistics)."""
    model = ResNet()
    images, labels = torch.randn(128, 1, 28, 28), torch.randint(0, 10, (128,))
    return model_modes(model, torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4),
                       lambda: F.cross_entropy(model(images), labels), lambda: model(images))


# Recommenders: batch 256 of full-length (L 50, no padding) random item sequences over 23,715 items
# (+ padding id 0).
ITEMS, LENGTH, BATCH = 23715, 50, 256


def recommender(model):
    """Training: cross-entropy over all 23,716 ids at every position with tied item embeddings, Adam.
    Inference: the scores of each sequence's last position, [256, 23716]."""
    seqs = torch.randint(1, ITEMS + 1, (BATCH, LENGTH))
    nexts = torch.randint(1, ITEMS + 1, (BATCH, LENGTH))
    return model_modes(model, torch.optim.Adam(model.parameters(), lr=1e-3),
                       lambda: F.cross_entropy(model.scores(model(seqs)).view(-1, ITEMS + 1), nexts.view(-1)),
                       lambda: model.scores(model(seqs)[:, -1]))


def mamba4rec():
    if MambaBlock is None:
        raise RuntimeError("mamba4rec needs `pip install mambapy`")
    # mambapy's parallel scan (pscan=True) beat its sequential scan on CPU here (Mamba block forward +
    # backward at b256, L50, ED 128, N 32: ~4x faster; forward alone about even), so it is kept.
    return recommender(Mamba4Rec(ITEMS, d=64, d_state=32, d_conv=4, expand=2, dropout=0.2, pscan=True))


def no_setup():
    """The prepare step of a bare product or convolution, which has no train/eval switch."""


def sgemm(m, n, k):
    """C = AB for A [m, k], B [k, n]: "matmul" allocates C (as the engine's `Tensor.matmul`), "blas" writes
    into a preallocated C (as the engine's direct `cblas_sgemm`)."""
    a, b, c = torch.randn(m, k), torch.randn(k, n), torch.empty(m, n)
    return {"matmul": (no_setup, lambda: torch.mm(a, b)), "blas": (no_setup, lambda: torch.mm(a, b, out=c))}


def conv(c, f, size, kernel, stride, padding, batch=128):
    """One convolution without bias on a batch of 128 [c, size, size] images: "forward" is F.conv2d,
    "input-grad" and "weight-grad" the two halves of its backward alone (torch.nn.grad, which calls the
    same convolution_backward kernel as autograd)."""
    side = (size + 2 * padding - kernel) // stride + 1
    x, w, g = torch.randn(batch, c, size, size), torch.randn(f, c, kernel, kernel), torch.randn(batch, f, side, side)
    return {"forward": (no_setup, lambda: F.conv2d(x, w, stride=stride, padding=padding)),
            "input-grad": (no_setup, lambda: torch.nn.grad.conv2d_input(x.shape, w, g, stride=stride, padding=padding)),
            "weight-grad": (no_setup, lambda: torch.nn.grad.conv2d_weight(x, w.shape, g, stride=stride, padding=padding))}


WORKLOADS = {
    "mlp": mlp,
    "gpt": lambda: gpt(layers=2, d=128, heads=4, context=64),
    "gpt-large": lambda: gpt(layers=4, d=256, heads=8, context=128),
    "resnet": resnet,
    "sasrec": lambda: recommender(SASRec(ITEMS, LENGTH, d=64, heads=2, hidden=256, layers=2, dropout=0.2)),
    "mamba4rec": mamba4rec,
    "sgemm": sgemm,
    "conv": conv,
}


def serve():
    """Answers the benchmark's commands until stdin closes (see the module docstring)."""
    built, warmed = {}, set()
    for line in sys.stdin:
        try:
            command = json.loads(line)
            shape = tuple(command.get("shape", ()))
            key = (command["workload"], shape)
            if key not in built:
                built[key] = WORKLOADS[command["workload"]](*shape)
            prepare, step = built[key][command["mode"]]
            prepare()
            if key + (command["mode"],) not in warmed:
                for _ in range(command["warmup"]):
                    step()
                warmed.add(key + (command["mode"],))
            steps = command["steps"]
            start = time.perf_counter()
            for _ in range(steps):
                step()
            reply({"rate": steps / (time.perf_counter() - start)})
        except Exception as error:  # reported to the benchmark, which shows "-" for this case
            reply({"error": f"{type(error).__name__}: {error}"})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    reply({"torch": torch.__version__, "threads": torch.get_num_threads(), "mambapy": MambaBlock is not None})
    serve()


if __name__ == "__main__":
    main()
