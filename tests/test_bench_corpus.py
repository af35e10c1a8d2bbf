"""tools/bench_corpus.py: deterministic, obviously synthetic, cheap to call again, careful."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import pytest

from geo.articles import read_article
from geo.build import run
from geo.profile import load_profile

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import bench_corpus  # noqa: E402

ARTICLE_SUFFIXES = {".txt", ".html", ".md"}


def _articles(folder: Path) -> list[Path]:
    """The generated article files, in name order."""
    return sorted(p for p in folder.iterdir() if p.suffix in ARTICLE_SUFFIXES)


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, to tell whether anything was rewritten."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    first = bench_corpus.generate(15, tmp_path / "a", seed=7)
    second = bench_corpus.generate(15, tmp_path / "b", seed=7)
    a, b = _articles(tmp_path / "a"), _articles(tmp_path / "b")
    assert [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    assert first["words"] == second["words"] and first["bytes"] == second["bytes"]


def test_another_seed_gives_other_articles(tmp_path: Path) -> None:
    bench_corpus.generate(15, tmp_path / "a", seed=7)
    bench_corpus.generate(15, tmp_path / "b", seed=8)
    a, b = _articles(tmp_path / "a"), _articles(tmp_path / "b")
    same = sum(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))
    assert same == 0


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path: Path) -> None:
    bench_corpus.generate(5, tmp_path / "small")
    bench_corpus.generate(12, tmp_path / "large")
    small = {p.name: p.read_bytes() for p in _articles(tmp_path / "small")}
    large = {p.name: p.read_bytes() for p in _articles(tmp_path / "large")}
    assert small == {name: large[name] for name in small}


def test_every_file_is_marked_synthetic_and_counted(tmp_path: Path) -> None:
    result = bench_corpus.generate(200, tmp_path)
    files = _articles(tmp_path)
    assert len(files) == 200 == result["n"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [*(p.name for p in files), "corpus.json"]
    )
    assert [p.stem for p in files] == [f"synthetic-{i:06d}" for i in range(1, 201)]
    for path in files:
        raw = path.read_text(encoding="utf-8")
        assert raw.split("\n", 1)[0] == bench_corpus.MARKER, path.name
        article = read_article(path)
        assert article.text.split("\n", 1)[0] == bench_corpus.MARKER, path.name
        assert 200 <= len(article.text.split()) <= 700, path.name
        assert article.published is not None
        assert load_profile().start <= article.published <= load_profile().end
    counts = {s: sum(p.suffix == f".{s}" for p in files) for s in ("txt", "html", "md")}
    assert counts == result["formats"]
    assert 140 <= counts["txt"] <= 180 and counts["html"] >= 8 and counts["md"] >= 8
    assert all("<p>" in p.read_text(encoding="utf-8") for p in files if p.suffix == ".html")


def test_manifest_describes_the_corpus(tmp_path: Path) -> None:
    result = bench_corpus.generate(20, tmp_path, seed=3)
    manifest = json.loads((tmp_path / "corpus.json").read_text(encoding="utf-8"))
    assert {k: manifest[k] for k in ("n", "seed", "version")} == {
        "n": 20,
        "seed": 3,
        "version": bench_corpus.VERSION,
    }
    assert manifest["words"] == result["words"] > 20 * 250
    assert manifest["bytes"] == sum(p.stat().st_size for p in _articles(tmp_path))


def test_a_second_call_reuses_the_corpus(tmp_path: Path) -> None:
    first = bench_corpus.generate(25, tmp_path, seed=1)
    before = _snapshot(tmp_path)
    again = bench_corpus.generate(25, tmp_path, seed=1)
    assert not first["reused"] and again["reused"]
    assert _snapshot(tmp_path) == before
    assert again["words"] == first["words"]


@pytest.mark.parametrize("change", ["seed", "n", "missing", "truncated"])
def test_a_different_or_damaged_corpus_is_rewritten(tmp_path: Path, change: str) -> None:
    bench_corpus.generate(25, tmp_path, seed=1)
    files = _articles(tmp_path)
    n, seed = 25, 1
    if change == "seed":
        seed = 2
    elif change == "n":
        n = 10
    elif change == "missing":
        files[3].unlink()
    else:
        files[3].write_text(bench_corpus.MARKER + "\n", encoding="utf-8")
    result = bench_corpus.generate(n, tmp_path, seed=seed)
    assert not result["reused"]
    assert len(_articles(tmp_path)) == n
    fresh = tmp_path.parent / "fresh"
    bench_corpus.generate(n, fresh, seed=seed)
    assert _snapshot_bytes(tmp_path) == _snapshot_bytes(fresh)


def _snapshot_bytes(folder: Path) -> dict[str, bytes]:
    """File name to bytes, for comparing two folders."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_refuses_a_folder_with_a_foreign_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("my own notes\n", encoding="utf-8")
    with pytest.raises(bench_corpus.RefusedError, match=r"notes\.txt"):
        bench_corpus.generate(3, tmp_path)
    assert bench_corpus.main(["3", "--out", str(tmp_path)]) == 2
    message = capsys.readouterr().err
    assert message.count("\n") == 1 and "refusing" in message
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_refuses_a_synthetic_name_without_the_marker(tmp_path: Path) -> None:
    bench_corpus.generate(3, tmp_path)
    impostor = tmp_path / "synthetic-000002.txt"
    impostor.write_text("A real article someone saved here.\n", encoding="utf-8")
    with pytest.raises(bench_corpus.RefusedError, match="marker"):
        bench_corpus.generate(4, tmp_path)
    assert impostor.read_text(encoding="utf-8") == "A real article someone saved here.\n"
    assert not (tmp_path / "synthetic-000004.txt").exists()


def test_refuses_a_foreign_manifest_and_subfolders(tmp_path: Path) -> None:
    (tmp_path / "corpus.json").write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(bench_corpus.RefusedError, match=r"corpus\.json"):
        bench_corpus.generate(2, tmp_path)
    (tmp_path / "corpus.json").unlink()
    (tmp_path / "nested").mkdir()
    with pytest.raises(bench_corpus.RefusedError, match="nested"):
        bench_corpus.generate(2, tmp_path)


def test_refuses_seeds_folders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(bench_corpus.RefusedError, match="seeds"):
        bench_corpus.generate(2, tmp_path / "seeds")
    assert not (tmp_path / "seeds").exists()
    seeds = ROOT / "seeds"
    before = sorted(p.name for p in seeds.iterdir())
    assert bench_corpus.main(["2", "--out", str(seeds)]) == 2
    assert "seeds" in capsys.readouterr().err
    assert sorted(p.name for p in seeds.iterdir()) == before
    with pytest.raises(bench_corpus.RefusedError, match="seeds"):
        bench_corpus.generate(2, seeds / "sub")
    assert not (seeds / "sub").exists()


def test_cli_prints_one_summary_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    assert bench_corpus.main(["4", "--out", str(out), "--seed", "5"]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "4 files" in err and "words" in err and " s" in err
    assert len(_articles(out)) == 4
    assert bench_corpus.main(["4", "--out", str(out), "--seed", "5"]) == 0
    assert "already" in capsys.readouterr().err


def test_the_pipeline_finds_events_inside_the_period(tmp_path: Path) -> None:
    bench_corpus.generate(30, tmp_path)
    build = run([tmp_path])
    assert len(build.articles) == 30 and not build.rejected
    extracted = [r for r in build.reports if r.origin == "extracted"]
    assert len(extracted) >= 30  # about two control-change reports per article
    assert {r.kind for r in extracted} >= {"captured", "entered", "contested", "withdrawal"}
    assert build.fused
    start, end = dt.date(2024, 11, 27), dt.date(2024, 12, 8)
    for event in build.fused:
        assert event.day is not None and start <= event.day <= end, event
        assert all(r.day is not None and start <= r.day <= end for r in event.reports), event
