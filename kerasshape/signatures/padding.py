"""Layers that pad, crop or repeat spatial axes: ZeroPadding, Cropping, UpSampling."""

from __future__ import annotations
