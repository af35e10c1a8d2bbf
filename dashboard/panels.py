"""The panels below the map: a place's sources and the review record (Streamlit widgets
over the pure functions of :mod:`geo.views`; what changed on the day is drawn beside the
map by the map component itself).

Every text from an article, a curated file or a reviewer goes through
:func:`geo.views.markdown_escape` or :func:`geo.views.excerpt_html`; none is rendered raw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

import streamlit as st

from geo import views
from geo.gazetteer import Gazetteer
from geo.models import ArticleInfo
from geo.reviews import Review
from geo.timeline import FusedEvent

from . import review
from .state import ReviewRecord

__all__ = ["reviews_list", "sources"]

#: reports shown per event before "and N more", events per place before the same
SHOW_REPORTS, SHOW_EVENTS = 5, 30
_ICONS = {"confirm": "✔", "correct": "✎", "reject": "✘", "add": "✚"}
_DONE = {"confirm": "confirmed", "correct": "corrected", "reject": "rejected", "add": "added"}


def _when(moment: dt.datetime | None) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC" if moment else "time unknown"


def _review_lines(notes: Sequence[views.ReviewNote]) -> None:
    for n in notes:
        line = f"{_ICONS[n.action]} {_DONE[n.action]} by {n.reviewer} · {_when(n.when)}"
        if n.change:
            line += f" · {n.change}"
        if n.reason:
            line += f" · why: {n.reason}"
        st.caption(views.markdown_escape(line))


def _title(event: FusedEvent, machine: FusedEvent | None, notes: Sequence[views.ReviewNote]) -> str:
    when = event.day.isoformat() if event.day else "day unknown"
    if event.review == "added":
        confidence = "an analyst's event"
    else:
        before = machine.confidence if machine is not None else event.confidence
        confidence = f"machine confidence {before:.2f}"
    title = f"{when} · {event.kind} · {event.actor} · {confidence} · {event.origin}"
    if event.review:
        last = notes[-1].reviewer if notes else "a reviewer"
        title += f" · {event.review} by {last}"
    return views.markdown_escape(title)


def sources(
    *,
    place_id: str,
    name: str,
    view: views.View,
    machine: Mapping[str, FusedEvent],
    record: ReviewRecord,
    reviews_by: str,
    articles: Mapping[str, ArticleInfo],
    excerpts: Mapping[str, str],
    reviewer: str,
    raw: bool,
    gazetteer: Gazetteer,
) -> None:
    """A place's events, oldest first: what happened, who says so (verbatim), who reviewed it.

    ``machine`` is the unreviewed events by id: a reviewed event shows the confidence the
    machine gave it and the reviewer's decision, never a silent 1.00.
    """
    store, reviews, _ = record
    st.subheader(f"Sources for {name}", anchor=False)
    timeline = views.place_timeline(view, place_id)
    if not timeline:
        st.caption("No event names this place: its state comes from the baseline or the model.")
    if len(timeline) > SHOW_EVENTS:
        st.caption(f"The {SHOW_EVENTS} best-supported of {len(timeline)} events")
        best = {e.id for e in sorted(timeline, key=lambda e: -e.n_sources)[:SHOW_EVENTS]}
        timeline = [e for e in timeline if e.id in best]
    by = reviews_by or None
    for event in timeline:
        notes = views.review_notes(event, reviews, before=machine.get(event.id))
        with st.container(border=True):
            st.markdown(f"**{_title(event, machine.get(event.id), notes)}**")
            _review_lines([n for n in notes if by is None or n.reviewer == by])
            if event.disagreement or event.n_sources > 1:
                st.caption(
                    f"{event.n_sources} sources; reported days {event.earliest} to "
                    f"{event.latest}"
                    + (" — the sources disagree on the day" if event.disagreement else "")
                )
            for report in event.reports[:SHOW_REPORTS]:
                article = articles.get(report.article_id)
                report = replace(report, excerpt=excerpts.get(report.id, report.excerpt))  # noqa: PLW2901
                quote = views.excerpt_html(report, article)
                st.markdown(f"<blockquote>{quote}</blockquote>", unsafe_allow_html=True)
                st.caption(views.markdown_escape(views.source_line(report, article)))
            if len(event.reports) > SHOW_REPORTS:
                st.caption(
                    f"and {len(event.reports) - SHOW_REPORTS} more reports (all are in the "
                    "events CSV)"
                )
            if store is not None and reviewer and not raw:
                review.event_controls(store, event, reviewer)
    kept = {e.id for e in view.fused}
    gone = [f for f in machine.values() if f.place.id == place_id and f.id not in kept]
    for event in gone:
        notes = [n for n in views.review_notes(event, reviews) if n.action == "reject"]
        if notes:
            st.markdown(f"~~{_title(event, event, ())}~~")
            _review_lines([n for n in notes if by is None or n.reviewer == by])
    if store is not None and reviewer and not raw:
        review.add_event_form(store, reviewer, place_id, gazetteer)
    elif store is not None and not raw:
        st.caption("Type your name in the sidebar to confirm, reject, correct or add events.")


def reviews_list(
    reviews: Sequence[Review], fused: Sequence[FusedEvent], gazetteer: Gazetteer, by: str
) -> None:
    """The review record, newest first; one reviewer's only when the sidebar asks."""
    table = views.reviews_table(reviews, fused, gazetteer, reviewer=by or None)
    whose = f"by {by}" if by else "by everyone"
    with st.expander(f"Reviews {whose} ({len(table)})", expanded=bool(by)):
        if table.empty:
            st.caption("No reviews yet.")
            return
        st.dataframe(
            table.drop(columns=["place_id", "id"]),
            hide_index=True,
            width="stretch",
            column_config={
                "when": st.column_config.DatetimeColumn("when", format="YYYY-MM-DD HH:mm")
            },
        )
