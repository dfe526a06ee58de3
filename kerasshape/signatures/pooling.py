"""Pooling layers: 1D/2D/3D windows and global pooling."""

from __future__ import annotations
