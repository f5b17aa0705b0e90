"""How much demo data each `--scale` makes.

`demo` is a small data set to look around in; `national` is the size of a national NPM
(about 3,000 institutions, 5,000 visits and 35,000 recommendations over ten years, 16,000
appeals); `10x` is ten times `national` (about 30,000 institutions, 50,000 visits, 350,000
recommendations, 160,000 appeals), to measure the platform at that size. A multiple scale
keeps its basis's years, shares and mixes and multiplies its counts, so each generator states
its counts for `demo` and `national` only and reads them through `scaled`.
"""

import dataclasses
from collections.abc import Mapping
from typing import Any, Literal

Scale = Literal["demo", "national", "10x"]
SCALES: tuple[Scale, ...] = ("demo", "national", "10x")
# A scale made as a multiple of another: (basis, factor).
MULTIPLES: dict[str, tuple[Scale, int]] = {"10x": ("national", 10)}


def basis(scale: str) -> tuple[str, int]:
    """The scale whose shares and mixes `scale` keeps, and the factor of its counts."""
    return MULTIPLES.get(scale, (scale, 1))


def scaled(counts: Mapping[str, int], scale: str) -> int:
    """The count at `scale`: the basis's count times the factor."""
    name, factor = basis(scale)
    return int(counts[name]) * factor


def at_scale[V](values: Mapping[str, V], scale: str) -> V:
    """A share or setting at `scale`: the basis's (a multiple scale does not multiply it)."""
    return values[basis(scale)[0]]


def at_every_scale[D](specs: Mapping[str, D], count: str) -> dict[str, D]:
    """A generator's spec (a dataclass, given for the basis scales) for every scale: a multiple
    keeps its basis's spec with the field `count` multiplied."""

    def spec(scale: str) -> D:
        name, factor = basis(scale)
        base: Any = specs[name]
        return dataclasses.replace(base, **{count: getattr(base, count) * factor})  # type: ignore[no-any-return]

    return {scale: spec(scale) for scale in SCALES}
