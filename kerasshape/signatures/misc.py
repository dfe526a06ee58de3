"""Other shape-bearing layers: Permute, Masking, Dot, normalization and image preprocessing."""

from __future__ import annotations
