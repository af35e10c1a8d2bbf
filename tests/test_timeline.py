"""Timeline: the sub-district baseline, curated rows and fusion of reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from geo.errors import DataError
from geo.events import ControlEvent
from geo.gazetteer import Gazetteer
from geo.models import Place, Span
from geo.timeline import fuse, read_baseline, read_curated

HAMA = Place("gn:170017", "Hama", 35.13179, 36.75783, "SY", "Hama")
D = dt.date
THURSDAY = D(2024, 12, 5)


def report(
    article: str,
    kind: str = "captured",
    actor: str = "HTS-led coalition",
    day: dt.date | None = THURSDAY,
    precision: str = "exact",
    cue: str = "on Thursday",
    basis: str = "text",
    place: Place = HAMA,
    confidence: float = 0.8,
) -> ControlEvent:
    return ControlEvent(
        id=f"{article}-{kind}-{actor}",
        article_id=article,
        place=place,
        kind=kind,
        actor=actor,
        actor_raw=actor,
        actor_basis=basis,
        day=day,
        day_precision=precision,
        day_cue=cue,
        confidence=confidence,
        sentence=Span(0, 10),
        trigger=Span(0, 3),
        place_span=Span(4, 8),
        excerpt=f"excerpt of {article}",
    )


def test_baseline_covers_every_subdistrict_with_a_source() -> None:
    sites = read_baseline()
    assert len(sites) == 273
    assert all(s.source for s in sites)
    held = {s.controller for s in sites}
    assert {"Government", "HTS-led coalition", "SNA", "SDF", "US-led coalition"} <= held
    idlib = next(s for s in sites if s.name == "Idleb")
    assert idlib.controller == "HTS-led coalition"


def test_reports_of_one_change_fuse_with_every_excerpt() -> None:
    (f,) = fuse(
        [
            report("a"),
            report(
                "b",
                day=D(2024, 12, 6),
                precision="approximate",
                cue="article date",
                basis="generic",
            ),
        ]
    )
    assert f.n_sources == 2 and f.day == D(2024, 12, 5) and f.day_precision == "exact"
    assert {r.excerpt for r in f.reports} == {"excerpt of a", "excerpt of b"}
    assert (f.earliest, f.latest, f.disagreement) == (D(2024, 12, 5), D(2024, 12, 6), False)


def test_disagreeing_days_are_kept_and_flagged() -> None:
    (f,) = fuse(
        [
            report("a", day=D(2024, 12, 5)),
            report("b", day=D(2024, 12, 5)),
            report("c", day=D(2024, 12, 8)),
        ]
    )
    assert f.day == D(2024, 12, 5) and f.disagreement and f.n_sources == 3
    assert (f.earliest, f.latest) == (D(2024, 12, 5), D(2024, 12, 8))


def test_an_upper_bound_before_the_day_is_a_disagreement() -> None:
    (f,) = fuse(
        [
            report("a", day=D(2024, 12, 6)),
            report("b", day=D(2024, 12, 4), precision="approximate", cue="article date"),
        ]
    )
    assert f.day == D(2024, 12, 6) and f.disagreement


def test_a_phrase_beats_the_article_date_and_ties_go_early() -> None:
    (f,) = fuse(
        [
            report("a", day=D(2024, 11, 30), precision="approximate", cue="a week ago"),
            report("b", day=D(2024, 12, 6), precision="approximate", cue="article date"),
            report("c", day=D(2024, 12, 6), precision="approximate", cue="article date"),
        ]
    )
    assert f.day == D(2024, 11, 30)


def test_specific_actor_wins_over_a_generic_word() -> None:
    (f,) = fuse([report("a", actor="SDF"), report("b", basis="generic")])
    assert f.actor == "SDF"


def test_incompatible_actors_stay_apart() -> None:
    fused = fuse(
        [
            report("a", actor="SDF"),
            report("b", actor="SNA"),
            report("c", kind="withdrawal", actor="Government"),
        ]
    )
    assert sorted((f.kind, f.actor) for f in fused) == [
        ("captured", "SDF"),
        ("captured", "SNA"),
        ("withdrawal", "Government"),
    ]


@pytest.mark.parametrize(
    ("named", "guessed", "merges"),
    [
        ("SNA", "HTS-led coalition", True),
        ("Government", "HTS-led coalition", False),
        ("SNA", "Government", False),
    ],
)
def test_a_guessed_actor_joins_a_named_one_but_never_across_the_state_line(
    named: str, guessed: str, merges: bool
) -> None:
    fused = fuse([report("a", actor=named), report("b", actor=guessed, basis="generic")])
    assert (len(fused) == 1) is merges


def _curated(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "curated.csv"
    path.write_text("place,kind,actor,day,source\n" + body, encoding="utf-8")
    return path


def test_curated_rows_are_events_with_their_source(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = _curated(tmp_path, "Hama,captured,HTS-led coalition,2024-12-05,https://example.org/a\n")
    (e,) = read_curated(path, gazetteer)
    assert (e.origin, e.source, e.place.country, e.day) == (
        "curated",
        "https://example.org/a",
        "SY",
        D(2024, 12, 5),
    )
    (f,) = fuse([e, report("x")])
    assert f.origin == "curated+extracted"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Hama,captured,HTS-led coalition,5 Dec,src\n", r"curated\.csv:2: column 'day'"),
        ("Hama,captured,HTS-led coalition,2024-13-05,src\n", r":2: column 'day'"),
        ("Nowhereville,captured,SNA,2024-12-05,src\n", r":2: column 'place': unknown place"),
        ("Hama,taken,SNA,2024-12-05,src\n", r":2: column 'kind'"),
        ("Hama,captured,Martians,2024-12-05,src\n", r":2: column 'actor'"),
        ("Hama,captured,SNA,2024-12-05,\n", r":2: column 'source'"),
        (
            "Hama,captured,SNA,2024-12-05,src\nHoms,captured,SNA,yesterday,src\n",
            r":3: column 'day'",
        ),
    ],
)
def test_bad_curated_rows_name_file_line_and_column(
    tmp_path: Path, gazetteer: Gazetteer, body: str, message: str
) -> None:
    with pytest.raises(DataError, match=message) as info:
        read_curated(_curated(tmp_path, body), gazetteer)
    assert "\n" not in str(info.value)


def test_curated_file_missing_a_column(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = tmp_path / "curated.csv"
    path.write_text("place,kind,day,source\nHama,captured,2024-12-05,x\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"curated\.csv:1: missing column 'actor'"):
        read_curated(path, gazetteer)


def test_curated_file_not_utf8(tmp_path: Path, gazetteer: Gazetteer) -> None:
    path = tmp_path / "curated.csv"
    path.write_bytes(b"place,kind,actor,day,source\n\xff\xfe,captured,SNA,2024-12-05,x\n")
    with pytest.raises(DataError, match=r"curated\.csv: not UTF-8"):
        read_curated(path, gazetteer)


def test_shipped_curated_file_is_valid(gazetteer: Gazetteer) -> None:
    for e in read_curated(None, gazetteer):
        assert e.source and e.origin == "curated"


def test_report_helper_is_frozen() -> None:
    with pytest.raises(AttributeError):
        report("a").kind = "entered"  # type: ignore[misc]
    assert replace(report("a"), kind="entered").kind == "entered"
