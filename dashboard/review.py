"""The review controls of the sources panel: confirm, reject, correct, add (Streamlit widgets).

Every decision is a :class:`geo.reviews.Review` written to the store; nothing here
changes events itself (``geo.reviews.apply_reviews`` does, on the next run).
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from geo.errors import GeoError
from geo.events import KINDS
from geo.gazetteer import Gazetteer
from geo.profile import load_profile
from geo.reviews import Review
from geo.reviewstore import ReviewStore
from geo.timeline import FusedEvent, period_days

__all__ = ["add_event_form", "event_controls"]


def _save(store: ReviewStore, review: Review) -> None:
    try:
        store.add(review)
    except (GeoError, ValueError) as err:
        st.error(str(err).splitlines()[0])
        return
    st.toast(f"Review saved: {review.action}")
    st.rerun()


def event_controls(store: ReviewStore, event: FusedEvent, reviewer: str) -> None:
    """Confirm, reject (with a reason) or correct one event."""
    reports = tuple(r.id for r in event.reports)
    base = {"event_id": event.id, "report_ids": reports, "reviewer": reviewer}
    confirm, reject, correct = st.columns(3)
    if confirm.button("Confirm", key=f"confirm-{event.id}"):
        _save(store, Review(action="confirm", **base))
    with reject.expander("Reject"):
        reason = st.text_input("Why?", key=f"reject-reason-{event.id}")
        if st.button("Reject this event", key=f"reject-{event.id}", disabled=not reason.strip()):
            _save(store, Review(action="reject", reason=reason.strip(), **base))
    with correct.expander("Correct"):
        days = period_days()
        day = st.date_input(
            "Day",
            value=event.day or days[-1],
            min_value=days[0] - dt.timedelta(days=30),
            max_value=days[-1],
            key=f"correct-day-{event.id}",
        )
        actors = load_profile().actor_names
        actor = st.selectbox(
            "Actor",
            actors,
            index=actors.index(event.actor if event.actor in actors else load_profile().unknown),
            key=f"correct-actor-{event.id}",
        )
        kind = st.selectbox(
            "Kind", KINDS, index=KINDS.index(event.kind), key=f"correct-kind-{event.id}"
        )
        reason = st.text_input("Why?", key=f"correct-reason-{event.id}")
        if st.button("Save correction", key=f"correct-{event.id}"):
            changed = {
                "day": day if day != event.day else None,
                "actor": actor if actor != event.actor else None,
                "kind": kind if kind != event.kind else None,
            }
            if not any(v is not None for v in changed.values()):
                st.warning("Nothing changed.")
            else:
                _save(store, Review(action="correct", reason=reason.strip(), **changed, **base))


def add_event_form(
    store: ReviewStore, reviewer: str, place_id: str | None, gazetteer: Gazetteer
) -> None:
    """A curated event for a change the articles do not report; a source is required."""
    with st.expander("Add an event with a source"):
        name = st.text_input(
            "Place", value=gazetteer.places[place_id].name if place_id else "", key="add-place"
        )
        kind = st.selectbox("Kind", KINDS, key="add-kind")
        actor = st.selectbox("Actor", load_profile().actor_names, key="add-actor")
        days = period_days()
        day = st.date_input(
            "Day",
            value=days[-1],
            min_value=days[0] - dt.timedelta(days=30),
            max_value=days[-1],
            key="add-day",
        )
        source = st.text_input("Source (URL or reference), required", key="add-source")
        excerpt = st.text_area("Excerpt (optional)", key="add-excerpt")
        if st.button("Add event", key="add-submit", disabled=not source.strip()):
            found = (
                [gazetteer.places[place_id]]
                if place_id and name == gazetteer.places[place_id].name
                else gazetteer.lookup(name, country=load_profile().country)
            )
            if not found:
                st.error("Unknown place: pick one the gazetteer knows.")
                return
            _save(
                store,
                Review(
                    action="add",
                    event_id="",
                    report_ids=(),
                    reviewer=reviewer,
                    place_id=found[0].id,
                    kind=kind,
                    actor=actor,
                    day=day,
                    source=source.strip(),
                    excerpt=excerpt.strip(),
                ),
            )
