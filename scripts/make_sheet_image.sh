#!/usr/bin/env bash
# Remake docs/images/recipients-sheet.png: the starter 责任单位.xlsx of `speechgen new letter`
# as LibreOffice Calc prints it (landscape, one page wide, grid and headings shown).
# Needs libreoffice-calc and poppler-utils.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python - "$tmp/view.xlsx" <<'PY'
import sys

import openpyxl
from openpyxl.worksheet.properties import PageSetupProperties

wb = openpyxl.load_workbook("speechgen/doctypes/letter/starter.xlsx")
ws = wb.active
ws.page_setup.orientation = "landscape"
ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
ws.print_options.gridLines = ws.print_options.headings = True
wb.save(sys.argv[1])
PY
soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/view.xlsx" >/dev/null
pdftoppm -r 90 -png -singlefile -x 60 -y 84 -W 760 -H 104 "$tmp/view.pdf" docs/images/recipients-sheet
echo docs/images/recipients-sheet.png
