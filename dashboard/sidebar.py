"""The sidebar: filters, map options, reviews, more articles (Streamlit widgets).

Its widgets are seeded from the URL before they are drawn (``urlstate``), so filters
survive a reload; what they ask for comes back as one :class:`Choices`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from geo import settings, views
from geo.articles import store_upload
from geo.build import Build
from geo.errors import GeoError
from geo.profile import Profile

from . import state
from .state import ReviewRecord

__all__ = ["Choices", "show"]

ORIGINS = ("extracted", "curated")
EVERYONE = "everyone"


@dataclass(frozen=True)
class Choices:
    """What the sidebar asks the page to show."""

    filters: views.Filters
    raw: bool
    web_tiles: bool
    reviewer: str
    #: whose reviews the sources panel and the reviews list show ("" for everyone's)
    reviews_by: str
    #: the corpus, rebuilt if articles were added
    key: str
    build: Build


def _filters(actors: Sequence[str], kinds: Sequence[str]) -> views.Filters:
    st.subheader("Filters")
    chosen_actors = st.multiselect("Actor", actors, key="actors")
    chosen_kinds = st.multiselect("Kind", kinds, key="kinds")
    min_conf = st.slider("Minimum confidence", 0.0, 1.0, step=0.05, key="min_confidence")
    origins = st.multiselect("Origin", ORIGINS, key="origins")
    return views.Filters(
        actors=None if set(chosen_actors) == set(actors) else frozenset(chosen_actors),
        kinds=None if set(chosen_kinds) == set(kinds) else frozenset(chosen_kinds),
        min_confidence=float(min_conf),
        origins=frozenset(origins),
    )


def _reviews(record: ReviewRecord, key: str, build: Build) -> tuple[str, bool, str]:
    store, reviews, problem = record
    st.subheader("Reviews")
    if problem:
        st.warning(
            views.markdown_escape(f"Reviews unavailable, showing the unreviewed build: {problem}")
        )
    reviewer = st.text_input("Your name (signs your reviews)", key="reviewer").strip()
    raw = st.toggle("Show the raw machine output", key="raw")
    names = sorted({r.reviewer for r in reviews if not r.undone})
    if st.session_state.get("reviews_by") not in ("", None, *names):
        st.session_state.reviews_by = ""
    by = st.selectbox(
        "Whose reviews to show",
        ["", *names],
        key="reviews_by",
        format_func=lambda n: n or EVERYONE,
        help="Reviews are shared by everyone who opens this app; pick one reviewer's.",
    )
    if store is not None and reviews:
        _, outcome = state.reviewed(key, state.reviews_key_of(reviews), build, tuple(reviews))
        live = [r for r in reviews if not r.undone]
        mine = sum(r.reviewer == reviewer for r in live) if reviewer else 0
        orphans = f", {len(outcome.orphaned)} orphaned" if outcome.orphaned else ""
        yours = f"; {mine} yours" if reviewer else ""
        st.caption(f"{len(live)} reviews by {len(names)} reviewers{yours}{orphans}")
        if st.button("Undo my last review", key="undo", disabled=not reviewer):
            undone = store.undo_last(reviewer)
            st.toast(f"Undone: {undone.action}" if undone else "Nothing to undo")
            st.rerun()
        st.download_button(
            "Reviews CSV",
            data=store.export_csv,
            on_click="ignore",
            file_name="frontline-reviews.csv",
            mime="text/csv",
            key="reviews-csv",
        )
    imported = st.file_uploader("Import reviews CSV", type=["csv"], key="reviews-import")
    if imported is not None and store is not None and not st.session_state.get("imported"):
        try:
            n = store.import_csv(imported.getvalue().decode("utf-8"))
            st.session_state.imported = True
            st.toast(f"Imported {n} reviews")
            st.rerun()
        except (GeoError, UnicodeDecodeError) as err:
            st.error(views.markdown_escape(str(err).splitlines()[0]))
    return reviewer, raw, by or ""


def _uploads(key: str, build: Build) -> tuple[str, Build]:
    st.subheader("More articles")
    folder: Path | None = state.build_dir()
    if folder is not None:
        st.caption(
            views.markdown_escape(
                f"Showing the build folder {folder.name}; add articles with "
                "`python -m geo build` and reload."
            )
        )
        return key, build
    uploads = st.file_uploader(
        "Add .txt, .html or .md articles",
        type=["txt", "html", "htm", "md"],
        accept_multiple_files=True,
        key=f"uploads-{st.session_state.get('upload_round', 0)}",
    )
    added = 0
    for upload in uploads or []:
        if st.session_state.get("uploaded", 0) >= settings.max_uploads_per_session:
            st.error(f"At most {settings.max_uploads_per_session} articles per session.")
            break
        try:
            store_upload(
                upload.getvalue(),
                upload.name,
                settings.upload_dir,
                max_bytes=settings.max_upload_bytes,
            )
            added += 1
            st.session_state.uploaded = st.session_state.get("uploaded", 0) + 1
        except GeoError as err:
            st.error(views.markdown_escape(str(err).splitlines()[0]))
    if added:
        with st.status(f"Adding {added} article(s) and rebuilding…", expanded=True) as status:
            status.write("Reading, finding places and events, drawing territory…")
            files = state.corpus_files()
            key = state.fingerprint(files)
            build = state.corpus(key, tuple(files), settings.data_dir)
            status.update(
                label=f"Rebuilt: {len(build.articles)} articles, {len(build.fused)} events",
                state="complete",
            )
        st.session_state.upload_round = st.session_state.get("upload_round", 0) + 1
    return key, build


def show(
    profile: Profile, kinds: Sequence[str], *, key: str, build: Build, record: ReviewRecord
) -> Choices:
    with st.sidebar:
        st.title("frontline")
        st.caption(profile.caption)
        filters = _filters(profile.actor_names, kinds)
        web_tiles = st.toggle("Web map tiles (needs internet)", key="web_tiles")
        reviewer, raw, by = _reviews(record, key, build)
        key, build = _uploads(key, build)
        st.caption(
            f"{len(build.articles)} articles · {len(build.fused)} events · "
            f"{len(build.rejected)} skipped"
        )
    return Choices(filters, raw, web_tiles, reviewer, by, key, build)
