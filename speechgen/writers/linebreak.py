"""Line breaking of the 版心 as LibreOffice does it for a speechgen .docx.

The html preview draws every line itself (so its pages hold the same lines as
the printed ones); this module says where LibreOffice ends each line of a
paragraph. The rules were read off LibreOffice 7.4 PDFs of the samples
(``pdftotext -bbox``; tests/test_writer_html_browser.py measures the agreement):

- a CJK character advances one em plus the run spacing (三号 body: 16 − 0.25 =
  15.75 pt, so 28 fit the 442.25 pt 版心);
- an ASCII character advances its width in the serif CJK font's Latin glyphs
  (:data:`ASCII_EMS`, measured from Noto Serif CJK SC) plus the run spacing,
  and LibreOffice puts :data:`AUTOSPACE_EMS` of air between a CJK character
  and an ASCII one (none next to CJK punctuation: ``、9``);
- a line may break between two CJK characters and around an ASCII word, never
  before closing punctuation (``，。、；：！？）》”…``) nor after opening
  punctuation (``（《“``), and a run of ASCII letters and digits stays whole
  (a hyphen may end a line);
- closing punctuation after a CJK character that does not fit hangs past the
  right edge (LibreOffice's hanging punctuation, on by default for Chinese)
  instead of pushing the character before it down; after an ASCII word
  (``20%，``) it does not hang, and the word goes down with it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import accumulate

# Advance widths (ems) of printable ASCII U+0020..U+007E in Noto Serif CJK SC's
# Latin glyphs, measured in Chromium (canvas measureText, 100 px).
ASCII_EMS = tuple(
    w / 100
    for w in (
        26, 31, 38, 57, 55, 92, 78, 20, 36, 36, 48, 58, 33, 35, 33, 35, 55, 55, 55, 55,
        55, 55, 55, 55, 55, 55, 33, 33, 58, 58, 58, 43, 91, 72, 67, 69, 77, 65, 63, 74,
        85, 40, 40, 73, 62, 97, 80, 77, 64, 77, 71, 57, 66, 80, 71, 105, 70, 69, 60, 34,
        35, 34, 58, 56, 43, 56, 64, 54, 63, 55, 39, 57, 66, 33, 31, 61, 33, 97, 66, 60,
        64, 61, 46, 47, 37, 65, 55, 84, 56, 55, 50, 37, 32, 37, 58,
    )
)  # fmt: skip
AUTOSPACE_EMS = 0.22  # 3.5 pt at 三号, measured in LibreOffice PDFs (一9一, 一99一)
FIT_SLACK = 0.05  # pt: a line may be this much wider than the measure (rounding)

# No line starts with these (they stay with the character before them).
CLOSING = frozenset("，。、；：！？）》〉」』”’〕】］｝…—%％·・～!),.:;?]}")
# No line ends with these (they go down with the character after them).
OPENING = frozenset("（《〈「『“‘〔【［｛([{")
# No autospace next to these: spaces and CJK punctuation (``、9`` is set tight).
_NO_AUTOSPACE = frozenset(" \u3000") | frozenset(c for c in CLOSING | OPENING if c >= "\u2e80")
_NO_AUTOSPACE |= frozenset("“”‘’…—·")
# Closing punctuation LibreOffice lets hang past the right edge.
HANGING = frozenset("，。、；：！？）》〉」』”’〕】")


_WIDE_PUNCT = frozenset("“”‘’…—·")


def is_wide(c: str) -> bool:
    """A CJK (full-width) character, one em wide."""
    return c >= "\u2e80" or c in _WIDE_PUNCT


@lru_cache(maxsize=16)
def _advances(size: float, spacing: float) -> dict[str, float]:
    """Advance of every character narrower than an em (the rest are one em)."""
    table = {chr(o): ASCII_EMS[o - 32] * size + spacing for o in range(32, 127)}
    for o in range(127, 0x2E80):
        c = chr(o)
        if c not in _WIDE_PUNCT:
            table[c] = 0.6 * size + spacing
    return table


def _class(chars: frozenset[str]) -> str:
    return "".join(re.escape(c) for c in sorted(chars))


_NOT_NARROW = "\\s\u2e80-\U0010ffff" + _class(_WIDE_PUNCT)
# One unbreakable piece: opening marks, then an ASCII word (it may end with a
# hyphen or slash, where a line may break), a space or one CJK character, then
# the closing marks that cannot start a line.
_UNIT = re.compile(
    f"[{_class(OPENING)}]*"
    f"(?:[^{_NOT_NARROW}][^{_NOT_NARROW}\\-/]*[\\-/]?|\\s|.)"
    f"[{_class(CLOSING)}]*",
    re.S,
)
_NARROW = re.compile("[^\u2e80-\U0010ffff" + _class(_WIDE_PUNCT) + "]")  # spaces too


@lru_cache(maxsize=4096)
def break_lines(
    text: str, first: float, rest: float, size: float = 16.0, spacing: float = -0.25
) -> tuple[str, ...]:
    """``text`` cut into lines: the first ``first`` pt wide, the others ``rest``.

    Joining the lines gives ``text`` back (a space at a break stays at the end
    of its line). An explicit ``\\n`` always ends a line.
    """
    if "\n" in text:
        out: list[str] = []
        for k, part in enumerate(text.split("\n")):
            out.extend(break_lines(part, first if k == 0 else rest, rest, size, spacing))
        return tuple(out)
    if not text:
        return ("",)
    table = _advances(size, spacing)
    em = size + spacing
    if _NARROW.search(text) is None:  # all CJK: one width, no autospace
        wide = None
        adv = [em] * len(text)
        gaps = [0.0] * len(text)
    else:
        wide = [c >= "\u2e80" or c in _WIDE_PUNCT for c in text]
        adv = [table.get(c, em) for c in text]
        gap = AUTOSPACE_EMS * size
        room = [c not in _NO_AUTOSPACE for c in text]
        # gaps[k]: the autospace before character k when k - 1 is on the same line
        gaps = [0.0] + [
            gap if wide[k] != wide[k - 1] and room[k] and room[k - 1] else 0.0
            for k in range(1, len(text))
        ]
    at = [0.0, *accumulate(adv)]  # at[k]: advance of text[:k]
    gat = [0.0, *accumulate(gaps)]
    lines: list[str] = []
    start = 0  # first character of the current line
    used = 0.0
    measure = first
    for m in _UNIT.finditer(text):
        a, b = m.span()
        w = at[b] - at[a] + gat[b] - gat[a + 1]
        lead = gaps[a] if a > start else 0.0
        fit = w
        if b - a > 1 and text[b - 1] in HANGING and (wide is None or wide[b - 2]):
            fit -= adv[b - 1]
        if a == start or used + lead + fit <= measure + FIT_SLACK or text[a].isspace():
            used += lead + w
            continue
        if w > rest + FIT_SLACK:  # longer than a line: cut it where it overflows
            k = a
            while k < b:
                step = adv[k] + (gaps[k] if k > start else 0.0)
                if k > start and used + step > measure + FIT_SLACK:
                    lines.append(text[start:k])
                    start, used, measure = k, 0.0, rest
                    step = adv[k]
                used += step
                k += 1
            continue
        lines.append(text[start:a])
        start = a
        measure = rest
        used = w
    lines.append(text[start:])
    return tuple(lines)
