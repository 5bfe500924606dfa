#!/usr/bin/env bash
# The before-and-after picture of `speechgen format` in the README: the first page
# of a messy notice from the test corpus as LibreOffice shows it, and the same page
# after `speechgen format` (LibreOffice for the PDF, pdftoppm for the PNG).
# Run from the repository root.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src="tests/data/format/通知-自动编号-版记.docx"
mkdir -p "$tmp/before" "$tmp/after"
cp "$src" "$tmp/before/before.docx"
speechgen format "$src" -o "$tmp/after" >/dev/null
mv "$tmp/after/通知-自动编号-版记.docx" "$tmp/after/after.docx"
python - "$tmp" <<'PY'
import sys
from pathlib import Path
from speechgen.writers.pdf import convert_to_pdf
tmp = Path(sys.argv[1])
convert_to_pdf([tmp / "before" / "before.docx", tmp / "after" / "after.docx"], tmp, fonts=True)
PY
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$tmp/before.pdf" docs/images/format-before
pdftoppm -r 60 -png -f 1 -l 1 -singlefile "$tmp/after.pdf" docs/images/format-after
ls -la docs/images/format-*.png
