"""frontline's pipeline library: articles → places → events → state and territory.

Read the data flow from the module names: :mod:`articles` reads files, :mod:`dates` their
days, :mod:`gazetteer` (built by :mod:`index` from :mod:`sources` and :mod:`datasets`)
names places, :mod:`toponyms` and :mod:`resolution` find and resolve them, :mod:`events`
reads control changes, :mod:`timeline` fuses them, :mod:`territory` draws the map,
:mod:`build` chains the stages and :mod:`cli` drives it all; :mod:`profile` says which war.
Nothing here imports Streamlit, and importing the package imports none of its modules:
``import geo.gazetteer`` (or ``from geo import gazetteer``) loads what you use.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

__all__ = [
    "articles",
    "build",
    "dates",
    "errors",
    "events",
    "export",
    "gazetteer",
    "geocode",
    "models",
    "profile",
    "settings",
    "territory",
    "timeline",
    "toponyms",
]


def __getattr__(name: str) -> Any:
    # submodules on first use: `import geo` stays light (no geopandas, no dashboard)
    if name in __all__:
        return importlib.import_module(f".{name}", __name__)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
