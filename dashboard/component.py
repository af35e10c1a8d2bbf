"""The map as a Streamlit component of our own (``st.components.v2``): no iframe, no CDN.

Why our own: streamlit-folium re-sends and re-evaluates the whole layer script on every
rerun and only reports clicks through private helpers. This component mounts one Leaflet
map in the page, keeps it across reruns, and redraws a payload only when its key changes
(a slider step sends the day's layer; the base map is sent but never redrawn). A click
on a place draws the selection ring at once in the browser and reports the place's id
as a trigger value, so the ring is always on the place just clicked.

Leaflet comes from ``dashboard/static/vendor`` (installed from the npm registry by
``make assets``) and our script from ``dashboard/static/frontline``, both served by
Streamlit's static file serving.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from .mapview import ASSET_FILES, STATIC_PREFIX, key_of

__all__ = ["NAME", "show"]

NAME = "frontline_map"
#: A day's layer longer than this is sent alone at each step instead of every day's at
#: once. A 50,000-article build's day (10,000 places, 60,000 vertices of territory) is
#: some 450 kB in the compact form of :mod:`dashboard.columns`, its places' names and
#: positions apart (sent once per view): its twelve days, 6 MB, cross once per page and
#: every step is drawn in the browser. Far bigger layers would keep a page waiting.
MAX_PREFETCH_CHARS = 800_000
#: the map and, beside it or below it, the day's panel (what changed, areas held)
HTML = (
    '<div class="frontline-wrap"><div class="frontline-map"></div>'
    '<aside class="frontline-side"></aside></div>'
)

_JS = """
const loaded = new Map();
function load(url) {
  if (!loaded.has(url)) {
    loaded.set(url, new Promise((resolve, reject) => {
      const s = document.createElement("script");
      s.src = url;
      s.onload = resolve;
      s.onerror = () => reject(new Error("cannot load " + url));
      document.head.appendChild(s);
    }));
  }
  return loaded.get(url);
}
export default async function (component) {
  const at = (path) => new URL(path.replace(/^\\//, ""), document.baseURI).href;
  await load(at(__LEAFLET__));
  await load(at(__STAMPS__));
  await load(at(__MAP__));
  return window.FrontlineMap.render(component);
}
"""


@functools.cache
def _sources() -> tuple[str, str]:
    """The component's script and style (read once; the files change only with the code)."""

    # versioned URLs: a new map.js is fetched, never an old one from the browser's cache
    def versioned(url: str) -> str:
        return f"{url}?v={key_of(ASSET_FILES[url].read_text(encoding='utf-8'))}"

    js = _JS.replace(
        "__LEAFLET__", json.dumps(versioned(f"{STATIC_PREFIX}/vendor/leaflet/leaflet.js"))
    )
    js = js.replace("__STAMPS__", json.dumps(versioned(f"{STATIC_PREFIX}/frontline/stamps.js")))
    js = js.replace("__MAP__", json.dumps(versioned(f"{STATIC_PREFIX}/frontline/map.js")))
    leaflet_css = ASSET_FILES[f"{STATIC_PREFIX}/vendor/leaflet/leaflet.css"].read_text("utf-8")
    # Leaflet's own images sit beside its stylesheet; relative to the page, they are here
    leaflet_css = leaflet_css.replace("url(images/", "url(app/static/vendor/leaflet/images/")
    css = leaflet_css + ASSET_FILES[f"{STATIC_PREFIX}/frontline/map.css"].read_text("utf-8")
    return js, css


def _register() -> Any:
    # registered on every run (Streamlit keeps one definition and warns only if it differs)
    js, css = _sources()
    return st.components.v2.component(
        NAME,
        html=HTML,
        css=css,
        js=js,
        isolate_styles=True,
    )


def show(
    base: tuple[str, str],
    layer: tuple[str, str],
    selected: Mapping[str, Any] | None,
    *,
    sites: tuple[str, str],
    days: Callable[[], tuple[str, str]],
    slider: str = "Day",
    key: str = "map",
) -> str | None:
    """Mount (once) or update the map; the id of the place clicked in this run, if any.

    ``base``, ``sites`` (the view's places, :func:`dashboard.columns.sites_payload`) and
    ``layer`` are (key, JSON text) pairs from :mod:`dashboard.mapview`; ``days`` makes
    every day's layer of the view at once, as (key, JSON text of ``{day: layer}``). What
    the browser already holds it says in the component's state (``have``), so each
    payload crosses once per page: the base, the sites and the shown day's layer first (a
    fast first map), then every day's, after which a slider step sends a few keys and
    the browser draws the day the ``slider`` shows at once, from what it holds, before
    the server has answered. A day's layer over :data:`MAX_PREFETCH_CHARS` is sent alone
    at each step instead.
    """
    component = _register()
    have = (st.session_state.get(key) or {}).get("have") or {}
    data: dict[str, Any] = {
        "base_key": base[0],
        "sites_key": sites[0],
        "layer_key": layer[0],
        "selected": dict(selected) if selected else None,
        "slider": slider,
    }
    if have.get("sites") != sites[0] or have.get("base") != base[0]:
        data["sites"] = sites[1]
    if have.get("base") != base[0]:
        data.update(base=base[1], layer=layer[1])
    elif len(layer[1]) > MAX_PREFETCH_CHARS:
        data["layer"] = layer[1]  # a big build: the day alone, at each step
    else:
        set_key, layers = days()
        data["set_key"] = set_key
        if have.get("set") != set_key:
            data["layers"] = layers
    result = component(
        data=data,
        key=key,
        on_selected_change=lambda: None,
        on_have_change=lambda: None,
    )
    clicked = getattr(result, "selected", None)
    return str(clicked) if clicked else None
