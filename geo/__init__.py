"""frontline's pipeline library: articles → places → (events → timeline → territory).

Read the data flow from the module names: :mod:`articles` reads files,
:mod:`gazetteer` and :mod:`toponyms` find and resolve places, :mod:`geocode`
answers single names the geopy way, :mod:`export` writes the public outputs and
:mod:`cli` drives it all. Nothing here imports Streamlit.
"""

from . import articles as articles
from . import errors as errors
from . import export as export
from . import gazetteer as gazetteer
from . import geocode as geocode
from . import models as models
from . import settings as settings
from . import toponyms as toponyms

__version__ = "0.1.0"
