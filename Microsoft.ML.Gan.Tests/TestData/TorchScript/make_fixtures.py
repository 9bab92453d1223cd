#!/usr/bin/env python3
"""Writes the two tiny TorchScript feature extractors the evaluation tests load (run once; the .pt files are committed).

/usr/bin/python3 make_fixtures.py   (apt-get install python3-torch)
Both read [N, 1, 8, 8] images. The weight is w[i, j] = (i * 3 + j) / 100 - 0.5 for pixel i and output j, so a test can
recompute the outputs without Python.
"""
from typing import Tuple

import torch
from torch import nn


def weight() -> torch.Tensor:
    return torch.arange(64 * 3, dtype=torch.float32).reshape(64, 3) / 100 - 0.5


class Features(nn.Module):
    """features = flatten(x) @ w: [N, 3]."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(weight())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.flatten(1) @ self.w


class FeaturesAndLogits(nn.Module):
    """(features, logits) = (flatten(x) @ w, 4 * features[:, :2]): a classifying extractor with 2 classes."""

    def __init__(self):
        super().__init__()
        self.w = nn.Parameter(weight())

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        features = x.flatten(1) @ self.w
        return features, 4 * features[:, :2]


torch.jit.save(torch.jit.script(Features()), "features.pt")
torch.jit.save(torch.jit.script(FeaturesAndLogits()), "features_and_logits.pt")
