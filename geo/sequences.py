"""Sequences: "X fell on Friday, followed by Y and Z on Saturday".

A list told as a sequence reports the change before it again, of its own places, each
list after its own "and" dated by the time phrase after it. Split out of
:mod:`geo.events`, which hands this module its reports (any frozen dataclass with a
``trigger``, a ``mention`` and a ``how``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, Protocol, TypeVar

from .attachment import Groups, places_for
from .models import Mention, Span
from .triggers import Trigger

__all__ = ["repeated"]


class _Report(Protocol):
    trigger: Trigger
    mention: Mention
    __dataclass_fields__: dict[str, Any]


R = TypeVar("R", bound=_Report)


#: what ends the report a "followed by" repeats (not the dot of "Nov. 30")
_SEQUENCE_BREAK = re.compile(r"[;:!?]|,\s+(?:but|while|which|who|where)\b|\bthat\s")


_SEQUENCE_LINK = re.compile(r"\s*,?\s*(and(?:\s+then)?|then)\s+(?:(?:in|at)\s+)?(?:the\s+)?")


def repeated(
    lowered: str,
    trigger: Trigger,
    sentence: Span,
    groups: Groups,
    skip: list[Span],
    before: Sequence[R],
) -> list[R]:
    """ "X changed hands on Friday, followed by Y and Z on Saturday": the report just before
    in the sentence, said again of the places after the trigger (which dates them)."""
    if not before or _SEQUENCE_BREAK.search(lowered, before[-1].trigger.end, trigger.start):
        return []
    last = before[-1]
    out = [
        replace(last, trigger=trigger, mention=mention, how=how)
        for mention, how in places_for(lowered, trigger, sentence, groups, skip)
        if how in {"object", "list"}
    ]
    # "... followed by Hama on Dec. 5 and Homs and Damascus on Dec. 8": each list after its
    # own "and", dated by the day after that
    end = max((f.mention.end for f in out), default=sentence.end)
    for group in groups.groups:
        if group[0].start <= end:
            continue
        if group[0].start >= sentence.end:
            break
        link = _SEQUENCE_LINK.fullmatch(_without(lowered, end, group[0].start, skip))
        if link is None:
            break
        at = lowered.rfind(link.group(1), end, group[0].start)
        then = replace(trigger, start=at, end=at + len(link.group(1)))
        out += [replace(last, trigger=then, mention=m, how="list") for m in group]
        end = group[-1].end
    return out


def _without(text: str, start: int, end: int, spans: list[Span]) -> str:
    """``text[start:end]`` with the ``spans`` inside it (time phrases) cut out."""
    out, at = [], start
    for span in sorted(spans, key=lambda sp: sp.start):
        if start <= span.start < end:
            out.append(text[at : span.start])
            at = max(at, min(span.end, end))
    return "".join(out) + text[at:end]
