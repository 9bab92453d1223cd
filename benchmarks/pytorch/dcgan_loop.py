#!/usr/bin/env python3
"""The bare DCGAN loop of the .NET benchmarks, in PyTorch, for a side-by-side on the same machine.

Not part of the build. Debian: apt-get install python3-torch (PyTorch 1.13, CPU), then
    /usr/bin/python3 benchmarks/pytorch/dcgan_loop.py [--steps 40] [--threads 2] [--repeats 3]
Same networks as Microsoft.ML.Gan's 28x28 Dcgan (G: Linear 100->128*7*7, BN, ReLU, ConvT 128->64, BN, ReLU,
ConvT 64->1, Tanh; D: Conv 1->64, LReLU, Conv 64->128, BN, LReLU, Linear), non-saturating loss, Adam(2e-4, 0.5, 0.999),
batch 64, one D update and one G update per step. Data: random tensors of the same shape (the loop never looks at values).
"""
import argparse
import statistics
import time

import torch
from torch import nn
import torch.nn.functional as F


def generator():
    return nn.Sequential(
        nn.Linear(100, 128 * 7 * 7), nn.BatchNorm1d(128 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (128, 7, 7)),
        nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 1, 4, 2, 1), nn.Tanh())


def discriminator():
    return nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(128 * 7 * 7, 1))


def train_step(g, d, opt_g, opt_d, real):
    """One D update on `real` and fresh fakes, then one G update: the non-saturating loss, as Microsoft.ML.Gan's Fit."""
    batch = real.shape[0]
    with torch.no_grad():
        fake = g(torch.randn(batch, 100))
    real_scores, fake_scores = d(real).view(-1), d(fake).view(-1)
    loss_d = F.binary_cross_entropy_with_logits(real_scores, torch.ones_like(real_scores)) + \
        F.binary_cross_entropy_with_logits(fake_scores, torch.zeros_like(fake_scores))
    opt_d.zero_grad()
    loss_d.backward()
    opt_d.step()
    scores = d(g(torch.randn(batch, 100))).view(-1)
    loss_g = F.binary_cross_entropy_with_logits(scores, torch.ones_like(scores))
    opt_g.zero_grad()
    loss_g.backward()
    opt_g.step()
    return loss_d, loss_g


def run(steps, data, batch=64):
    g, d = generator(), discriminator()
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    count = data.shape[0]
    order = torch.randperm(count)
    warm = max(1, steps // 4)
    start = time.perf_counter()
    at_warm = start
    for step in range(steps):
        b = step % (count // batch)
        real = data.index_select(0, order.narrow(0, b * batch, batch))
        train_step(g, d, opt_g, opt_d, real)
        if step + 1 == warm:
            at_warm = time.perf_counter()
    return (steps - warm) / (time.perf_counter() - at_warm)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    torch.manual_seed(1234)
    torch.set_num_threads(args.threads)
    data = torch.rand(10_000, 1, 28, 28) * 2 - 1
    run(4, data)  # warm-up
    rates = [run(args.steps, data) for _ in range(args.repeats)]
    median = statistics.median(rates)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s): DCGAN 28x28 batch 64, "
          f"steady {median:.2f} steps/s ({median * 64:.0f} images/s), median of {args.repeats} runs of {args.steps} steps")


if __name__ == "__main__":
    main()
