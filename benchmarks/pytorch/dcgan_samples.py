#!/usr/bin/env python3
"""Trains the plain PyTorch DCGAN of dcgan_loop.py on real Fashion-MNIST and writes samples as an IDX images file,
so that the .NET quality benchmark scores them with the same feature extractor as Microsoft.ML.Gan's DCGAN.

Not part of the build. Debian: apt-get install python3-torch dataset-fashion-mnist (and libopenblas0-pthread: Debian's
PyTorch then runs three times faster than on the reference BLAS), then
    /usr/bin/python3 benchmarks/pytorch/dcgan_samples.py --steps 1000 --out /tmp/pytorch-dcgan-samples.idx
and pass the file to the benchmark: dotnet run ... -- quality --pytorch-samples /tmp/pytorch-dcgan-samples.idx
With --truncation T --truncated-out FILE it also writes samples of the same generator from latents truncated to [-T, T].
Training matches Microsoft.ML.Gan's defaults: latent 100, non-saturating loss, Adam(2e-4, 0.5, 0.999), batch 64, one D
and one G update per step, a reshuffle every epoch, DCGAN initialisation (conv/linear N(0, 0.02), BatchNorm N(1, 0.02)),
pixels scaled to [-1, 1].
"""
import argparse
import gzip
import os
import struct
import time

import torch
from torch import nn

from dcgan_loop import discriminator, generator, train_step


def read_idx_images(path):
    with open(path, "rb") as f:
        head = f.read(2)
    opener = gzip.open if head == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        magic, count, rows, cols = struct.unpack(">IIII", f.read(16))
        assert magic == 0x803, f"{path} is not an IDX images file"
        data = torch.frombuffer(bytearray(f.read(count * rows * cols)), dtype=torch.uint8)
    return data.view(count, 1, rows, cols).float() / 127.5 - 1


def write_idx_images(path, images):
    pixels = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    count, _, rows, cols = pixels.shape
    # Written aside then renamed, so a reader waiting for the file never sees half of it.
    with open(path + ".partial", "wb") as f:
        f.write(struct.pack(">IIII", 0x803, count, rows, cols))
        f.write(pixels.contiguous().numpy().tobytes())
    os.replace(path + ".partial", path)


def initialise(module):
    for layer in module.modules():
        if isinstance(layer, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
            nn.init.normal_(layer.weight, 0.0, 0.02)
            nn.init.zeros_(layer.bias)
        elif isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
            nn.init.normal_(layer.weight, 1.0, 0.02)
            nn.init.zeros_(layer.bias)


def truncated_normal(rows, columns, threshold):
    """N(0, 1) with every value above the threshold in magnitude drawn again, as Microsoft.ML.Gan's truncation does."""
    z = torch.randn(rows, columns)
    outside = z.abs() > threshold
    while outside.any():
        z[outside] = torch.randn(int(outside.sum()))
        outside = z.abs() > threshold
    return z


def generate(g, count, latents):
    """count images from g, 500 latent vectors (drawn by latents(rows)) at a time."""
    return torch.cat([g(latents(500)) for _ in range((count + 499) // 500)])[:count]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--samples", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1234)
    parser.add_argument("--out", required=True)
    parser.add_argument("--truncation", type=float, help="also write samples of latents truncated to [-T, T]")
    parser.add_argument("--truncated-out", help="where --truncation's samples go")
    args = parser.parse_args()
    if (args.truncation is None) != (args.truncated_out is None):
        parser.error("--truncation and --truncated-out go together")
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    data = read_idx_images(args.data)
    g, d = generator(), discriminator()
    initialise(g)
    initialise(d)
    opt_g = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    batch, per_epoch = 64, data.shape[0] // 64
    start = time.perf_counter()
    for step in range(args.steps):
        if step % per_epoch == 0:
            order = torch.randperm(data.shape[0])
        b = step % per_epoch
        real = data.index_select(0, order.narrow(0, b * batch, batch))
        loss_d, loss_g = train_step(g, d, opt_g, opt_d, real)
        if (step + 1) % 100 == 0:
            print(f"step {step + 1}: loss_D {loss_d.item():.3f} loss_G {loss_g.item():.3f} "
                  f"({time.perf_counter() - start:.0f} s)", flush=True)
    g.eval()
    with torch.no_grad():
        samples = generate(g, args.samples, lambda rows: torch.randn(rows, 100))
        if args.truncation is not None:
            truncated = generate(g, args.samples, lambda rows: truncated_normal(rows, 100, args.truncation))
    write_idx_images(args.out, samples)
    if args.truncation is not None:
        write_idx_images(args.truncated_out, truncated)
    print(f"PyTorch {torch.__version__}: trained {args.steps} steps in {time.perf_counter() - start:.0f} s; "
          f"wrote {args.samples} samples to {args.out}")


if __name__ == "__main__":
    main()
