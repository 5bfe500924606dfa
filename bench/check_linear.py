"""Check rules on one long paragraph: time per rule at N and 4N characters, per shape.

A rule linear in the paragraph's length takes about 4 times as long at 4N; a
quadratic one about 16 times. Prints every (shape, rule) whose time grows more
than ``--ratio`` (default 8) and is above a noise floor, then the slowest rule
per shape at 4N. In-process, each rule function called directly.

    python bench/check_linear.py                 # N=25,000 and 100,000
    python bench/check_linear.py -n 50000 --ratio 6
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_reliability_linear import SHAPES, fill  # noqa: E402

from speechgen.check import api  # noqa: E402,F401  (registers every rule)
from speechgen.check.context import Context, infer_context  # noqa: E402
from speechgen.check.records import Record  # noqa: E402
from speechgen.check.registry import rules_of  # noqa: E402

NOISE = 0.02  # seconds


def times(text: str) -> dict[str, float]:
    ctx = Context(year=2024, quarter=2, level="县")
    rec = Record(1, text, "body", 0, "段1")
    out: dict[str, float] = {}
    for rule in rules_of("para"):
        t = time.perf_counter()
        list(rule.func(rec, ctx))
        out[rule.code] = time.perf_counter() - t
    records = [
        Record(1, "下面，我讲三点意见。", "body"),
        rec,
        Record(3, "一、加强领导", "heading", 1),
    ]
    for rule in rules_of("doc"):
        t = time.perf_counter()
        list(rule.func(records, ctx))
        out[rule.code] = time.perf_counter() - t
    t = time.perf_counter()
    infer_context([rec])
    out["context"] = time.perf_counter() - t
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=25_000, help="the smaller length (default 25,000)")
    ap.add_argument("--ratio", type=float, default=8.0, help="growth flagged (default 8)")
    args = ap.parse_args(argv)
    print(f"# python bench/check_linear.py -n {args.n} --ratio {args.ratio}")
    print(f"# {len(SHAPES)} shapes, {args.n} and {4 * args.n} characters")
    flagged = 0
    for name, unit in SHAPES.items():
        small = times(fill(unit, args.n))
        large = times(fill(unit, 4 * args.n))
        for code, t in large.items():
            if t > NOISE and t / max(small[code], 1e-6) > args.ratio:
                flagged += 1
                print(f"GROWS  {name:20} {code:8} {small[code]:.3f}s -> {t:.3f}s")
        worst = max(large, key=large.get)
        total = sum(large.values())
        print(
            f"{name:20} all rules {total:.3f}s at {4 * args.n}; slowest {worst} {large[worst]:.3f}s"
        )
    print("PASS: no rule grows faster than linear" if not flagged else f"FAIL: {flagged} grow")
    return 1 if flagged else 0


if __name__ == "__main__":
    sys.exit(main())
