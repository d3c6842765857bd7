#!/usr/bin/env python3
"""PyTorch side of the engine benchmark: the same models, shapes and optimizer as
`swift run -c release EngineBenchmark`, timed the same way (warm-up, then wall time of N steps).

Prints one JSON object on stdout. Needs PyTorch (CPU build is enough); threads default to 2.
Mamba4Rec needs `pip install mambapy` (a pure-PyTorch Mamba); without it its fields are null.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    from mambapy.mamba import MambaBlock, MambaConfig
except ImportError:  # Mamba4Rec is skipped (its fields are null)
    MambaBlock = MambaConfig = None


class Block(nn.Module):
    """Pre-norm GPT block: LayerNorm, causal attention, LayerNorm, GELU(tanh) MLP of width `hidden` (4d by
    default). With `dropout` > 0 (SASRec), dropout follows the attention's output projection and the MLP,
    as in the engine's `TransformerBlock`; `key_padding` ([B, T], True = padding) hides padded keys."""

    def __init__(self, d, heads, hidden=None, dropout=0.0):
        super().__init__()
        self.heads = heads
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
        return x + self.mlp_drop(self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh")))


class Decoder(nn.Module):
    def __init__(self, vocab, d, heads, layers, context):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(context, d)
        self.blocks = nn.ModuleList(Block(d, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, vocab, bias=False)

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
        self.blocks = nn.ModuleList(Block(d, heads, hidden, dropout) for _ in range(layers))
        self.ln = nn.LayerNorm(d)

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
    (no residual with one layer), feed-forward 4d GELU(tanh) with dropouts + residual + LayerNorm (ε 1e-12).
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
        f = self.outer_drop(self.down(self.inner_drop(F.gelu(self.up(h), approximate="tanh"))))
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


def time_steps(step, steps, warmup):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps / (time.perf_counter() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--warmup", type=int, default=5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    mlp = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    opt = torch.optim.Adam(mlp.parameters(), lr=1e-3)
    x, y = torch.randn(128, 784), torch.randint(0, 10, (128,))

    def mlp_step():
        opt.zero_grad(set_to_none=False)
        F.cross_entropy(mlp(x), y).backward()
        opt.step()

    dec = Decoder(vocab=65, d=128, heads=4, layers=2, context=64)
    dopt = torch.optim.Adam(dec.parameters(), lr=1e-3)
    idx, tgt = torch.randint(0, 65, (32, 64)), torch.randint(0, 65, (32, 64))

    def dec_step():
        dopt.zero_grad(set_to_none=False)
        F.cross_entropy(dec(idx).view(-1, 65), tgt.view(-1)).backward()
        dopt.step()

    net = ResNet()
    ropt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    images, labels = torch.randn(128, 1, 28, 28), torch.randint(0, 10, (128,))

    def resnet_step():
        ropt.zero_grad(set_to_none=False)
        F.cross_entropy(net(images), labels).backward()
        ropt.step()

    # Recommenders: batch 256 of full-length (L 50, no padding) random item sequences over 23,715 items
    # (+ padding id 0); cross-entropy over all 23,716 ids at every position with tied item embeddings.
    items, length, batch = 23715, 50, 256
    seqs = torch.randint(1, items + 1, (batch, length), generator=torch.Generator().manual_seed(7))
    nexts = torch.randint(1, items + 1, (batch, length), generator=torch.Generator().manual_seed(8))

    def recommender_rates(model):
        """(training steps/s, inference batches/s): Adam lr 1e-3 on every position's loss; then forward
        only, in eval mode without autograd, scoring the last position of each sequence ([256, 23716])."""
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)

        def train_step():
            opt.zero_grad(set_to_none=False)
            F.cross_entropy(model.scores(model(seqs)).view(-1, items + 1), nexts.view(-1)).backward()
            opt.step()

        def infer():
            with torch.no_grad():
                model.scores(model(seqs)[:, -1])

        model.train()
        train = time_steps(train_step, max(3, args.steps // 10), 1)
        model.eval()
        return train, time_steps(infer, max(3, args.steps // 5), 2)

    gemm = {}
    for m, n, k in [(128, 256, 784), (512, 512, 512), (1024, 1024, 1024)]:
        a, b = torch.randn(m, k), torch.randn(k, n)
        c = torch.empty(m, n)
        rate = time_steps(lambda: torch.mm(a, b, out=c), max(5, args.steps), 3)
        gemm[f"{m}x{n}x{k}"] = 2 * m * n * k * rate / 1e9

    mlp_rate = time_steps(mlp_step, args.steps * 4, args.warmup)
    dec_rate = time_steps(dec_step, args.steps, args.warmup)
    resnet_rate = time_steps(resnet_step, max(5, args.steps // 5), args.warmup)
    sasrec = recommender_rates(SASRec(items, length, d=64, heads=2, hidden=256, layers=2, dropout=0.2))
    # mambapy's parallel scan (pscan=True) beat its sequential scan on CPU here (Mamba block forward +
    # backward at b256, L50, ED 128, N 32: ~4x faster; forward alone about even), so it is kept.
    mamba4rec = (recommender_rates(Mamba4Rec(items, d=64, d_state=32, d_conv=4, expand=2, dropout=0.2, pscan=True))
                 if MambaBlock is not None else (None, None))

    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "mlp_steps_per_s": mlp_rate,
        "decoder_steps_per_s": dec_rate,
        "resnet_steps_per_s": resnet_rate,
        "sasrec_steps_per_s": sasrec[0],
        "mamba4rec_steps_per_s": mamba4rec[0],
        "sasrec_inference_per_s": sasrec[1],
        "mamba4rec_inference_per_s": mamba4rec[1],
        "sgemm_gflops": gemm,
    }))


if __name__ == "__main__":
    main()
