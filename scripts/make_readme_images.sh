#!/usr/bin/env bash
# Render the samples and put the first page of one document of each kind into docs/images/
# (LibreOffice for the PDF, pdftoppm for the PNG). Run from the repository root.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
speechgen render \
  speechgen/samples/01-县-季度-讲话稿.yaml \
  speechgen/samples/05-县-节日-讲话提纲.yaml \
  speechgen/samples/08-县-任务分工-通知.yaml \
  speechgen/samples/10-县-目标责任书-批量.yaml \
  -o "$tmp" -f docx -f pdf >/dev/null
page() {  # page SRC-PDF PAGE OUT-NAME
  pdftoppm -r 60 -png -f "$2" -l "$2" -singlefile "$1" "docs/images/$3"
}
page "$tmp/在2024年第二季度全县安全生产工作会议上的讲话.pdf" 1 speech-page1
page "$tmp/在全县春节及全国“两会”期间安全生产工作会议上的讲话提纲.pdf" 1 outline-page1
page "$tmp/关于印发青山县2024年安全生产重点工作任务分工的通知.pdf" 1 notice-page1
n=$(pdfinfo "$tmp/关于印发青山县2024年安全生产重点工作任务分工的通知.pdf" | awk '/^Pages/{print $2}')
page "$tmp/关于印发青山县2024年安全生产重点工作任务分工的通知.pdf" "$((n - 1))" notice-attachment
page "$tmp/2024年度安全生产目标责任书-城关镇人民政府.pdf" 1 letter-page1
n=$(pdfinfo "$tmp/2024年度安全生产目标责任书-城关镇人民政府.pdf" | awk '/^Pages/{print $2}')
page "$tmp/2024年度安全生产目标责任书-城关镇人民政府.pdf" "$n" letter-last
ls -la docs/images
