"""Where the tests find the texts they read: the samples and the seed speeches
(../shared/seeds beside the repository, or a copy under tests/data/check/seeds)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "speechgen" / "samples"
SEEDS: Path | None = next(
    (
        p
        for p in (ROOT.parent / "shared" / "seeds", ROOT / "tests" / "data" / "check" / "seeds")
        if p.is_dir()
    ),
    None,
)
