#!/usr/bin/env python3
"""PyTorch side of the engine benchmark: the same models, shapes and optimizer as
`swift run -c release EngineBenchmark`, timed the same way (warm-up, then wall time of N steps).

Prints one JSON object on stdout. Needs PyTorch (CPU build is enough); threads default to 2.
"""
import argparse
import json
import math
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    """Pre-norm GPT block: LayerNorm, causal attention, LayerNorm, GELU(tanh) MLP of width 4d."""

    def __init__(self, d, heads):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, 4 * d)
        self.out = nn.Linear(4 * d, d)

    def forward(self, x):
        b, t, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (z.view(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        # The explicit softmax(QKᵀ/√d + mask)V, as the Swift engine computes it (no flash kernel).
        att = (q @ k.transpose(-2, -1)) / math.sqrt(d // self.heads)
        mask = torch.ones(t, t, dtype=torch.bool).triu(1)
        att = att.masked_fill(mask, float("-inf")).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.out(F.gelu(self.fc(self.ln2(x)), approximate="tanh"))


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

    gemm = {}
    for m, n, k in [(128, 256, 784), (512, 512, 512), (1024, 1024, 1024)]:
        a, b = torch.randn(m, k), torch.randn(k, n)
        c = torch.empty(m, n)
        rate = time_steps(lambda: torch.mm(a, b, out=c), max(5, args.steps), 3)
        gemm[f"{m}x{n}x{k}"] = 2 * m * n * k * rate / 1e9

    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "mlp_steps_per_s": time_steps(mlp_step, args.steps * 4, args.warmup),
        "decoder_steps_per_s": time_steps(dec_step, args.steps, args.warmup),
        "resnet_steps_per_s": time_steps(resnet_step, max(5, args.steps // 5), args.warmup),
        "sgemm_gflops": gemm,
    }))


if __name__ == "__main__":
    main()
