"""streamlit-folium with cached payloads, so a slider step only sends the day's layer.

``st_folium`` renders the whole folium map again on every rerun: tens of milliseconds for
our boundaries and labels, before the front end gets anything. The base map never changes
and a day's layer depends only on the view and the day, so we compute the component's
arguments once (the same helpers ``st_folium`` uses) and hand them to streamlit-folium's
front end. This leans on streamlit-folium's private helpers, pinned in
``requirements.lock``; ``tests/test_app.py`` checks they are still there.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import folium
import folium.elements
import streamlit_folium as sf

__all__ = ["MapPayload", "layer_script", "map_payload", "show"]

#: The private names of streamlit-folium this module needs.
REQUIRED = (
    "_component_func",
    "_get_html",
    "_get_header",
    "_get_map_string",
    "_get_feature_group_string",
    "generate_js_hash",
    "get_full_id",
)


@dataclass(frozen=True)
class MapPayload:
    """What the front end needs to mount the base map once."""

    script: str
    header: str
    html: str
    id: str
    key: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    css: list[str] = []
    js: list[str] = []

    def walk(element: Any) -> Iterable[Any]:
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(m):
        css.extend(href for _, href in getattr(element, "default_css", []))
        js.extend(src for _, src in getattr(element, "default_js", []))
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


def map_payload(m: folium.Map, key: str) -> MapPayload:
    """Render a base map once into the component's arguments (as ``st_folium`` does)."""
    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    css, js = _links(m)
    return MapPayload(
        script, header, html, sf.get_full_id(m), sf.generate_js_hash(script, key, False), css, js
    )


def layer_script(layer: folium.FeatureGroup, idx: int = 0) -> str:
    """The JavaScript that adds a layer to the mounted map (``idx`` numbers the layers)."""
    parent = folium.Map(tiles=None)  # only lends its name, which becomes "map_div"
    return sf._get_feature_group_string(layer, map=parent, idx=idx)


def show(
    payload: MapPayload, layers: Iterable[str], *, height: int, returned_objects: Iterable[str]
) -> dict[str, Any] | None:
    """Mount (once) or update (every rerun) the map; returns what the user clicked."""
    returned = list(returned_objects)
    return sf._component_func(
        script=payload.script,
        header=payload.header,
        html=payload.html,
        id=payload.id,
        key=payload.key,
        height=height,
        width=None,
        returned_objects=returned,
        default=dict.fromkeys(returned),
        zoom=None,
        center=None,
        feature_group="".join(layers),
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=list(payload.css_links),
        js_links=list(payload.js_links),
        on_change=None,
        wrap_longitude=False,
    )
