"""``python -m dashboard [streamlit options]``: serve the dashboard, warmed up meanwhile.

The same as ``streamlit run dashboard/app.py`` with the same options, but the caches the
first page needs (imports, gazetteer, corpus, base map, the first day's layer) are filled
in a background thread while the server starts and the browser loads Streamlit's page,
instead of after the browser has connected. ``make run`` uses it.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")


#: Streamlit warns when its caches are used outside a page's run: here, on purpose.
_QUIET = "streamlit.runtime.scriptrunner_utils.script_run_context"


def _warm() -> None:
    import logging

    from dashboard import state
    from geo.errors import GeoError

    logger = logging.getLogger(_QUIET)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with contextlib.suppress(GeoError):  # the page says what is wrong, in one line
            state.warm()
    finally:
        logger.setLevel(level)


def main(argv: Sequence[str] | None = None) -> int:
    from streamlit.web import cli

    threading.Thread(target=_warm, name="frontline-warm-up", daemon=True).start()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        cli.main(["run", str(APP), *args], prog_name="streamlit", standalone_mode=False)
    except SystemExit as done:
        return int(done.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
