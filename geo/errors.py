"""The small error vocabulary of frontline (after geopy's ``exc.py``).

Leaves also inherit a built-in, so callers may catch either ours or Python's.
"""

from __future__ import annotations

__all__ = [
    "ArticleError",
    "ConfigurationError",
    "DataError",
    "GeoError",
    "GeocoderUnavailable",
]


class GeoError(Exception):
    """Base class of every error frontline raises on purpose."""


class ConfigurationError(GeoError, ValueError):
    """A setting or argument has a value we cannot work with."""


class ArticleError(GeoError, ValueError):
    """An input file cannot be read as an article; the message names the file."""


class DataError(GeoError, OSError):
    """A shipped data file is missing or corrupt; the message names the file."""


class GeocoderUnavailable(GeoError, ConnectionError):  # noqa: N818 (geopy's name)
    """An online geocoding service could not be reached or answered badly."""
