"""Colour arithmetic for honest legends: blending, CIELAB, CIEDE2000, colour-blind views.

Why: a legend swatch only tells the truth if it is the colour actually painted, and two
actors are only told apart if their painted colours differ enough *as drawn* (opacity
included) for every reader. So fills are blended here once, to flat colours, and the
distance between two colours is the CIEDE2000 ΔE of their CIELAB values (D65), also as
seen with protanopia, deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009,
severity 1).
"""

from __future__ import annotations

import math
import re
from itertools import combinations
from typing import Literal

import numpy as np

__all__ = [
    "VISIONS",
    "blend",
    "ciede2000",
    "delta_e",
    "hex_to_rgb",
    "lab",
    "min_distance",
    "rgb_to_hex",
    "seen_as",
]

Vision = Literal["normal", "protan", "deutan", "tritan"]
VISIONS: tuple[Vision, ...] = ("normal", "protan", "deutan", "tritan")
_HEX = re.compile(r"^#?([0-9a-fA-F]{6})$")

# linear-RGB matrices of Machado et al. (2009), severity 1.0
_CVD = {
    "protan": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deutan": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritan": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_WHITE = (0.95047, 1.0, 1.08883)


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` to 0-255 channels; anything else is a ``ValueError`` naming it."""
    m = _HEX.match(colour.strip())
    if m is None:
        msg = f"{colour!r} is not a #RRGGBB colour"
        raise ValueError(msg)
    value = m.group(1)
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{min(255, max(0, round(c))):02X}" for c in rgb)


def blend(colour: str, alpha: float, over: str = "#FFFFFF") -> str:
    """The flat colour ``colour`` paints at ``alpha`` over ``over`` (what a screen shows)."""
    if not 0.0 <= alpha <= 1.0:
        msg = f"alpha must be within 0 and 1, not {alpha!r}"
        raise ValueError(msg)
    top, bottom = hex_to_rgb(colour), hex_to_rgb(over)
    return rgb_to_hex(tuple(alpha * t + (1 - alpha) * b for t, b in zip(top, bottom, strict=True)))


def _linear(rgb: tuple[int, int, int]) -> np.ndarray:
    c = np.asarray(rgb, dtype=float) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _gamma(linear: np.ndarray) -> tuple[float, float, float]:
    c = np.clip(linear, 0.0, 1.0)
    s = np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)
    return tuple(float(v) * 255.0 for v in s)  # type: ignore[return-value]


def seen_as(colour: str, vision: Vision = "normal") -> str:
    """How ``colour`` looks to a reader with ``vision`` (a simulated flat colour)."""
    if vision == "normal":
        return rgb_to_hex(hex_to_rgb(colour))
    if vision not in _CVD:
        msg = f"unknown vision {vision!r}; use one of {', '.join(VISIONS)}"
        raise ValueError(msg)
    return rgb_to_hex(_gamma(_CVD[vision] @ _linear(hex_to_rgb(colour))))


def lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of an sRGB colour."""
    xyz = _RGB_TO_XYZ @ _linear(hex_to_rgb(colour))

    def f(t: float) -> float:
        return t ** (1 / 3) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29

    fx, fy, fz = (f(v / w) for v, w in zip(xyz, _WHITE, strict=True))
    return 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)


def delta_e(a: str, b: str, vision: Vision = "normal") -> float:
    """CIEDE2000 colour difference of two sRGB colours as ``vision`` sees them."""
    return ciede2000(lab(seen_as(a, vision)), lab(seen_as(b, vision)))


def ciede2000(first: tuple[float, float, float], second: tuple[float, float, float]) -> float:
    """CIEDE2000 ΔE of two CIELAB colours (Sharma, Wu and Dalal 2005)."""
    l1, a1, b1 = first
    l2, a2, b2 = second
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    c_mean = (c1 + c2) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif abs(h2p - h1p) <= 180:
        dhp = h2p - h1p
    else:
        dhp = h2p - h1p - 360 if h2p > h1p else h2p - h1p + 360
    dhp_big = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    lp_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hp_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hp_mean = (h1p + h2p) / 2
    else:
        hp_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(hp_mean - 30))
        + 0.24 * math.cos(math.radians(2 * hp_mean))
        + 0.32 * math.cos(math.radians(3 * hp_mean + 6))
        - 0.20 * math.cos(math.radians(4 * hp_mean - 63))
    )
    d_theta = 30 * math.exp(-(((hp_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean**7 / (cp_mean**7 + 25**7))
    s_l = 1 + 0.015 * (lp_mean - 50) ** 2 / math.sqrt(20 + (lp_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * d_theta)) * r_c
    return math.sqrt(
        (dlp / s_l) ** 2
        + (dcp / s_c) ** 2
        + (dhp_big / s_h) ** 2
        + r_t * (dcp / s_c) * (dhp_big / s_h)
    )


def min_distance(
    colours: dict[str, str], vision: Vision = "normal"
) -> tuple[float, tuple[str, str]]:
    """The smallest ΔE between two of ``colours`` (name -> hex) and which pair it is."""
    if len(colours) < 2:
        return math.inf, ("", "")
    return min(
        (delta_e(colours[a], colours[b], vision), (a, b)) for a, b in combinations(colours, 2)
    )
