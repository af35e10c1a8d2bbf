"""The days as one animated GIF, with the drawn colours kept exactly.

Why: a GIF holds 256 colours; an adaptive palette averages nearby fills (a salmon for
one actor, a teal for another), so the legend lies. The palette here starts with every
flat colour the snapshot paints (:func:`drawn_colours`), then the first frame's others.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from .colour import hex_to_rgb
from .style import LAND, MISSING, NEIGHBOURS, SEA, VARIANTS, fill_for

__all__ = ["animation_gif", "drawn_colours"]


def _palette(colours: Sequence[str], first: object) -> list[int]:
    """A GIF palette: the drawn colours exactly, then the first frame's other colours."""
    from PIL import Image

    exact = list(dict.fromkeys(c.upper() for c in colours))[:200]
    flat = [v for c in exact for v in hex_to_rgb(c)]
    rest = first.quantize(
        colors=256 - len(exact),
        method=Image.Quantize.MEDIANCUT,  # type: ignore[attr-defined]
        dither=Image.Dither.NONE,
    ).getpalette()[: 3 * (256 - len(exact))]
    return (flat + list(rest) + [0] * 768)[:768]


def animation_gif(
    frames: Sequence[bytes], *, ms_per_frame: int = 900, colours: Sequence[str] = ()
) -> bytes:
    """The days as one looping GIF, for places that show no video.

    ``colours`` (the drawn fills, :func:`geo.export.style.drawn_colours`) enter the GIF's
    palette exactly, so a fill keeps the colour its legend swatch shows; every pixel takes
    the nearest palette colour, without dithering. Pillow merges a frame identical to the
    one before it into that frame (durations add up).
    """
    from PIL import Image, UnidentifiedImageError

    if not frames:
        msg = "animation_gif needs at least one frame"
        raise ValueError(msg)
    if ms_per_frame <= 0:
        msg = f"ms_per_frame must be positive, not {ms_per_frame!r}"
        raise ValueError(msg)
    rgbs = []
    for i, data in enumerate(frames):
        try:
            with Image.open(io.BytesIO(data)) as im:
                rgb = im.convert("RGB")
        except (UnidentifiedImageError, OSError) as err:
            msg = f"frame {i} is not an image ({err})"
            raise ValueError(msg) from err
        if rgbs and rgb.size != rgbs[0].size:
            msg = f"frame {i} is {rgb.size[0]}x{rgb.size[1]}, frame 0 is {rgbs[0].size}"
            raise ValueError(msg)
        rgbs.append(rgb)
    palette_image = Image.new("P", (1, 1))
    palette_image.putpalette(_palette(list(colours), rgbs[0]))
    images = [rgb.quantize(palette=palette_image, dither=Image.Dither.NONE) for rgb in rgbs]
    buf = io.BytesIO()
    images[0].save(
        buf,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=ms_per_frame,
        loop=0,
        disposal=1,
        optimize=False,
    )
    return buf.getvalue()


def drawn_colours(palette: Mapping[str, str]) -> list[str]:
    """Every flat colour a snapshot may paint for these actors (fills and markers)."""

    colours = [LAND, SEA, NEIGHBOURS, "#000000", "#FFFFFF", "#222222", "#1A1A1A", "#6E6E6E"]
    for colour in [*palette.values(), MISSING]:
        colours += [fill_for(colour, v).colour for v in VARIANTS]
    return colours
