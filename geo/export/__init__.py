"""Everything frontline writes: tables, GeoJSON and GeoPackage, PNG and GIF, standalone HTML.

One module per job (``tables``, ``basemap``, ``style``, ``legend``, ``labels``,
``snapshot``, ``animation``, ``html``); the public names of the writers stay importable
from ``geo.export``, each module's ``__all__`` saying which.
"""

from __future__ import annotations

from . import animation, basemap, html, snapshot, tables
from .animation import *  # noqa: F403
from .basemap import *  # noqa: F403
from .html import *  # noqa: F403
from .snapshot import *  # noqa: F403
from .tables import *  # noqa: F403

__all__ = [  # noqa: PLE0604  (each module's own list)
    *tables.__all__,
    *basemap.__all__,
    *snapshot.__all__,
    *animation.__all__,
    *html.__all__,
]
