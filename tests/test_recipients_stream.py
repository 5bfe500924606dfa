"""Recipients as a stream (speechgen/inputs/recipients.py): the same rows and findings as the list.

``load_job(p)`` builds its list from the same :class:`RecipientSource` that
``load_job(p, stream=True)`` hands out; these tests check that the two agree on
every case of tests/recipients_cases.py, that a source can be iterated twice,
that duplicates are found across distant rows, that files the stream cannot
read exactly take the whole-tree path with today's findings, and that the
parent's skim of an inline list counts and names it as PyYAML's own events say
(random lists).
"""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest
from recipients_cases import HEAD, streamed, swap_rows, write_cases

from speechgen.errors import Finding, UserError
from speechgen.inputs import Limits, load_job
from speechgen.inputs.jobs import _ordered
from speechgen.inputs.recipients import InlineStream, InlineTree, RecipientSource, TableSource
from speechgen.inputs.yamlstream import read_head

LIMITS = [Limits(), dataclasses.replace(Limits(), max_recipients=2)]


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_cases(tmp_path_factory.mktemp("recipients"))


def _listed(path: Path, limits: Limits) -> tuple[object, list[Finding]]:
    try:
        job = load_job(path, limits=limits)
    except UserError as exc:
        return None, list(exc.findings)
    return job.data.get("recipients"), list(job.warnings)


def _streamed(path: Path, limits: Limits) -> tuple[object, list[Finding], list]:
    try:
        job = load_job(path, limits=limits, stream=True)
    except UserError as exc:
        return None, list(exc.findings), []
    assert "recipients" not in job.data
    source = job.recipients
    assert isinstance(source, RecipientSource)
    rows = list(source)
    findings = list(job.warnings) + [f for row in rows for f in row.findings]
    errors = any(f.is_error for f in findings)
    data = None if errors else [row.data for row in rows]
    return data, _ordered(findings, str(path)), rows


def test_stream_and_list_agree_on_every_case(cases: list[Path]) -> None:
    checked = 0
    for path in cases:
        for limits in LIMITS:
            if path.name == "inline_duplicates.yaml" and limits.max_recipients == 2:
                continue  # see test_a_list_over_the_limit_is_only_e108
            data, findings = _listed(path, limits)
            sdata, sfindings, rows = _streamed(path, limits)
            if data is None:
                assert sdata is None, path.name
            assert [r for r in (sdata or [])] == (data or []), path.name
            assert sfindings == findings, path.name
            checked += 1
    assert checked > 90


def test_rows_carry_their_numbers_locations_and_row_labels(cases: list[Path]) -> None:
    folder = cases[0].parent
    job = load_job(folder / "inline_good.yaml", stream=True)
    rows = list(job.recipients)
    assert [r.number for r in rows] == [1, 2, 3]
    assert [r.data["_row"] for r in rows] == ["recipients[1]", "recipients[2]", "recipients[3]"]
    assert rows[0].location == (str(folder / "inline_good.yaml"), "7:5")
    listed = load_job(folder / "xlsx_good.yaml")
    job = load_job(folder / "xlsx_good.yaml", stream=True)
    rows = list(job.recipients)
    assert {f"recipients[{r.number}]": r.location for r in rows} == listed.rows
    assert rows[1].data["_row"] == "xlsx_good.xlsx 第3行"
    assert rows[1].location[1] == "工作表“Sheet”第3行"


def test_iterating_twice_gives_the_same_rows(cases: list[Path]) -> None:
    folder = cases[0].parent
    for name in (
        "inline_errors",
        "inline_duplicates",
        "csv_errors",
        "xlsx_features",
        "csv_duplicates",
    ):
        job = load_job(folder / f"{name}.yaml", stream=True)
        first, second = list(job.recipients), list(job.recipients)
        assert first == second, name
        assert any(f.is_error for r in first for f in r.findings), name


def test_row_errors_do_not_raise_when_streaming(cases: list[Path]) -> None:
    path = cases[0].parent / "csv_errors.yaml"
    with pytest.raises(UserError):
        load_job(path)
    rows = list(load_job(path, stream=True).recipients)
    bad = [r for r in rows if r.data is None]
    assert bad and all(any(f.is_error for f in r.findings) for r in bad)
    good = [r for r in rows if r.data is not None]
    assert all(not any(f.is_error for f in r.findings) for r in good)
    # a row with data only in an unnamed column holds no recipient: number 0
    assert any(r.number == 0 and r.findings[0].code == "E113" for r in rows)


def _letters(folder: Path, names: list[str], kind: str) -> Path:
    if kind == "inline":
        body = "".join(f'  - {{name: "{n}", type: township}}\n' for n in names)
        path = folder / "far.yaml"
        path.write_text(HEAD + "recipients:\n" + body, encoding="utf-8")
        return path
    (folder / "far.csv").write_text(
        "name,type\n" + "".join(f"{n},township\n" for n in names), encoding="utf-8"
    )
    path = folder / "far-csv.yaml"
    path.write_text(HEAD + "recipients_file: far.csv\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["inline", "csv"])
def test_duplicates_far_apart_are_found(tmp_path: Path, kind: str) -> None:
    names = [f"第{i}号单位" for i in range(3000)]
    names[2999] = "第７号单位"  # full-width digit: the same unit as row 8
    path = _letters(tmp_path, names, kind)
    limits = dataclasses.replace(Limits(), max_recipients=10_000)
    with pytest.raises(UserError) as exc:
        load_job(path, limits=limits)
    listed = [f for f in exc.value.findings if f.code == "E110"]
    rows = list(load_job(path, limits=limits, stream=True).recipients)
    streamed = [f for r in rows for f in r.findings if f.code == "E110"]
    assert streamed == listed and len(listed) == 1
    first = "recipients[8]" if kind == "inline" else "far.csv 第9行"
    assert f"{first} 与" in listed[0].message and "写作 “第7号单位”" in listed[0].message
    # the duplicate is told once every row is read, as a row of its own after the last
    assert len(rows) == 3001 and rows[-1].late and rows[-1].number == 3000
    assert rows[-1].data is None and rows[-1].findings == listed
    assert not any(r.late for r in rows[:-1]) and rows[7].data is not None


def test_inline_lists_are_streamed_unless_the_file_needs_the_tree(cases: list[Path]) -> None:
    folder = cases[0].parent
    streamed = [
        "inline_good",
        "inline_block",
        "inline_flow_list",
        "inline_errors",
        "inline_crlf",
        "inline_bom",
        "inline_comments",
        "inline_multiline",
        "inline_keys_after",
    ]
    whole = [
        "inline_control",
        "inline_anchor",
        "inline_alias_dup",
        "inline_tag",
        "inline_syntax",
        "inline_gbk",
        "inline_lone_cr",
        "inline_dup_top_key",
    ]
    for name in streamed:
        assert read_head(folder / f"{name}.yaml", Limits(), name) is not None, name
        assert isinstance(
            load_job(folder / f"{name}.yaml", stream=True).recipients, InlineStream
        ), name
    for name in whole:
        assert read_head(folder / f"{name}.yaml", Limits(), name) is None, name
        try:
            job = load_job(folder / f"{name}.yaml", stream=True)
        except UserError:
            continue  # the head has errors (a syntax error): raised as before
        assert isinstance(job.recipients, InlineTree), name


def test_fallback_files_keep_todays_findings(cases: list[Path]) -> None:
    folder = cases[0].parent
    _, findings, rows = _streamed(folder / "inline_control.yaml", Limits())
    assert [f.code for f in findings] == ["E109"]
    assert (
        findings[0].key == "recipients[1].name"
        and rows[0].data is None
        and rows[1].data is not None
    )
    _, findings, _ = _streamed(folder / "inline_tag.yaml", Limits())
    assert [f.code for f in findings] == ["E106"] and findings[0].key == "recipients[2].name"
    _, findings, _ = _streamed(folder / "inline_gbk.yaml", Limits())
    assert [f.code for f in findings] == ["W100"]


def test_tables_are_sources_and_limits_are_known_before_iterating(cases: list[Path]) -> None:
    folder = cases[0].parent
    small = dataclasses.replace(Limits(), max_recipients=2)
    for name in ("csv_good", "xlsx_good", "inline_good"):
        with pytest.raises(UserError) as exc:
            load_job(folder / f"{name}.yaml", limits=small, stream=True)
        assert [f.code for f in exc.value.findings] == ["E108"], name
    job = load_job(folder / "xlsx_features.yaml", stream=True)
    assert isinstance(job.recipients, TableSource)
    assert [f.code for f in job.warnings] == ["W102", "W102"]


def test_a_list_over_the_limit_is_only_e108(cases: list[Path]) -> None:
    """Deviation from the loader before streaming: a list over max_recipients is E108 alone
    (its items were also checked for duplicates before)."""
    small = dataclasses.replace(Limits(), max_recipients=2)
    with pytest.raises(UserError) as exc:
        load_job(cases[0].parent / "inline_duplicates.yaml", limits=small)
    assert [f.code for f in exc.value.findings] == ["E108"]


def test_other_job_types_have_no_source() -> None:
    sample = Path(__file__).resolve().parents[1] / "speechgen" / "samples"
    speech = sorted(sample.glob("01-*.yaml"))[0]
    assert load_job(speech, stream=True).recipients is None
    assert load_job(speech, stream=True).data == load_job(speech).data


def test_a_source_pickles_and_reads_the_same_after(cases: list[Path]) -> None:
    """Worker processes may get the job by pickle: the source holds no open file."""
    import pickle

    folder = cases[0].parent
    for name in ("inline_good", "csv_good", "xlsx_features", "inline_control"):
        source = load_job(folder / f"{name}.yaml", stream=True).recipients
        assert list(pickle.loads(pickle.dumps(source))) == list(source), name


def test_a_sheet_without_cell_positions_is_read_exactly(tmp_path: Path) -> None:
    """Rows and cells without ``r`` (some generators write none): the stream restarts
    its first pass in the exact mode, and the warnings are not repeated."""
    import zipfile

    import openpyxl

    book = tmp_path / "名单.xlsx"
    wb = openpyxl.Workbook()
    wb.active.append(["name", "type"])
    wb.active.append(["甲镇", "township"])
    wb.active.append(["乙镇", "township"])
    wb.create_sheet("其他")
    wb.active = 0
    wb.save(book)
    plain = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(plain, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                import re

                data = re.sub(rb' r="[A-Z]*[0-9]+"', b"", data)
            dst.writestr(info, data)
    job = tmp_path / "job.yaml"
    job.write_text(HEAD + "recipients_file: plain.xlsx\n", encoding="utf-8")
    listed = load_job(job)
    streamed = load_job(job, stream=True)
    assert [f.code for f in streamed.warnings] == [f.code for f in listed.warnings] == ["W102"]
    rows = list(streamed.recipients)
    assert [r.data for r in rows] == listed.data["recipients"]
    assert [r.data["name"] for r in rows] == ["甲镇", "乙镇"]


def test_a_sheet_with_rows_out_of_order_is_read_whole(tmp_path: Path) -> None:
    """Rows out of order in the XML cannot be streamed: the sheet is read whole, sorted."""

    import openpyxl

    from speechgen.inputs.tables import TableStream

    book = tmp_path / "a.xlsx"
    wb = openpyxl.Workbook()
    for row in (["name", "type"], ["甲镇", "township"], ["乙镇", "township"], ["甲镇", "township"]):
        wb.active.append(row)
    wb.save(book)
    swapped = tmp_path / "b.xlsx"
    swap_rows(book, swapped, 1)
    assert TableStream(swapped, Limits()).whole
    job = tmp_path / "job.yaml"
    job.write_text(HEAD + "recipients_file: b.xlsx\n", encoding="utf-8")
    with pytest.raises(UserError) as exc:
        load_job(job)
    rows = list(load_job(job, stream=True).recipients)
    assert [f for r in rows for f in r.findings] == list(exc.value.findings)
    assert [r.findings[0].code for r in rows if r.findings] == ["E110"]
    assert rows[-1].late and rows[-1].number == 3
    assert "b.xlsx 第2行 与 b.xlsx 第4行" in rows[-1].findings[0].message


def test_rows_passed_by_keep_their_numbers_and_names(cases: list[Path]) -> None:
    """A worker passing by the rows another writes (``rows(want)``, want false) reads only
    their names, a CSV row without cleaning its other cells: every row must still get
    the number and the name a full read gives it, and the rows it wants all of it."""
    seen = 0
    for path, job in streamed(cases):
        source = job.recipients
        full = list(source)
        for want in (lambda i: i % 2 == 0, lambda i: i % 3 == 1, lambda i: False):
            part = list(source.rows(want))
            # a duplicate is told (late, after the last row) by the read that wants its row
            late = [r for r in full if r.late and want(r.number - 1)]
            assert [r for r in part if r.late] == late, path.name
            rows = [r for r in full if not r.late]
            part = [r for r in part if not r.late]
            assert [r.number for r in part] == [r.number for r in rows], path.name
            for a, b in zip(rows, part, strict=True):
                if b.number and not want(b.number - 1):
                    name = a.data.get("name") if a.data else None
                    got = b.data.get("name") if b.data else None
                    if isinstance(name, str):
                        assert got == name, (path.name, a.number)
                else:
                    assert (a.data, a.findings) == (b.data, b.findings), (path.name, a.number)
        seen += 1
    assert seen >= 10


def test_a_csv_with_blank_and_unnamed_rows_passes_rows_by_exactly(tmp_path: Path) -> None:
    """Blank lines, a cell under no column, error values, quoted line breaks and
    invisible characters between the rows passed by: the numbers stay those of a full read."""
    lines = [
        "name,type,signer_title,limits.deaths_max,",
        "城关镇人民政府,township,镇长,1,",
        ",,,,",
        "\u200b县应急管理局 ,department,局长,2,",
        ',,,,"多余的一格"',
        '"青石镇\n人民政府",township,镇长,#N/A,',
        "",
        "#N/A,department,局长,3,",
        "杨家乡人民政府,township,乡长,0,",
    ]
    (tmp_path / "名单.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    job_path = tmp_path / "job.yaml"
    job_path.write_text(HEAD + "recipients_file: 名单.csv\n", encoding="utf-8")
    source = load_job(job_path, stream=True).recipients
    full = list(source)
    assert sum(1 for r in full if r.number) == 5  # the blank line and the stray cell are no rows
    for want in (lambda i: i % 2 == 0, lambda i: i % 2 == 1, lambda i: False):
        part = list(source.rows(want))
        assert [r.number for r in part] == [r.number for r in full]
        for a, b in zip(full, part, strict=True):
            if b.number and not want(b.number - 1):
                if a.data is not None:
                    assert b.data is not None and b.data["name"] == a.data["name"]
            else:
                assert (a.data, a.findings) == (b.data, b.findings)


def _random_list(rnd, plain: bool) -> str:
    """A ``recipients:`` list of random items: flow mappings, sequences and scalars
    nested a few levels, with (unless ``plain``) anchors, aliases, tags and merge keys."""
    odd = [] if plain else ["&x v", "*x", "!!str t", "<<"]
    scalars = ["a", "城关镇", "'q'", '"b c"', "1", "null", "", "[]", "{}", "name"] + odd
    keys = ["name", "name", "type", "x", "sectors", '"<<"', "'k'"] + (
        [] if plain else ["<<", "[k]", "*x", "&k kk", "!!str t"]
    )

    def node(depth: int) -> str:
        r = rnd.random()
        if depth > 7 or r < 0.45:
            return rnd.choice(scalars)
        if r < 0.7:
            return "[" + ", ".join(node(depth + 1) for _ in range(rnd.randint(0, 3))) + "]"
        pairs = (f"{rnd.choice(keys)}: {node(depth + 1)}" for _ in range(rnd.randint(0, 4)))
        return "{" + ", ".join(pairs) + "}"

    items = (node(3) if rnd.random() < 0.2 else node(6) for _ in range(rnd.randint(0, 6)))
    return "recipients:\n" + "".join(f"  - {item}\n" for item in items)


def _expected_head(text: str) -> tuple[int, int] | None:
    """What the head reader must report, worked out from PyYAML's own events: None
    when the list holds an anchor, alias, tag or merge key (or does not parse);
    else its items and mapping items."""
    import yaml

    try:
        events = list(yaml.parse(text, Loader=yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    start = (
        next(
            i
            for i, e in enumerate(events)
            if isinstance(e, yaml.ScalarEvent) and e.value == "recipients"
        )
        + 1
    )
    if not isinstance(events[start], yaml.SequenceStartEvent):
        return 0, 0  # ``recipients:`` with nothing after it: no list to stream
    depth, count, mappings = 0, 0, 0
    expect_key: list[bool | None] = []  # per open collection: a mapping expecting a key
    for event in events[start:]:
        if isinstance(event, yaml.AliasEvent):
            return None
        if isinstance(event, yaml.NodeEvent) and event.anchor is not None:
            return None
        if isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.tag:
            return None
        if isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
            expect_key.pop()
            if depth == 0:
                break
            continue
        is_key = bool(expect_key) and expect_key[-1] is True
        if (
            is_key
            and isinstance(event, yaml.ScalarEvent)
            and event.value == "<<"
            and event.style is None
        ):
            return None
        if is_key and not isinstance(event, yaml.ScalarEvent):
            return None
        if depth == 1:
            count += 1
        if expect_key and expect_key[-1] is not None:
            expect_key[-1] = not is_key
        if isinstance(event, yaml.CollectionStartEvent):
            if depth == 1 and isinstance(event, yaml.MappingStartEvent):
                mappings += 1
            depth += 1
            expect_key.append(True if isinstance(event, yaml.MappingStartEvent) else None)
    return count, mappings


def test_the_head_reader_skims_a_list_as_its_events_say(tmp_path: Path) -> None:
    """The parent skims every item of an inline list before any worker starts (one flat
    loop over libyaml's events): its counts, and when it must give up for the
    whole-tree reader, agree with PyYAML's events read independently, on random lists."""
    import random

    rnd = random.Random(20261202)
    outcomes = {"streamed": 0, "whole": 0}
    for i in range(600):
        text = "type: letter\n" + _random_list(rnd, plain=i % 2 == 0) + "x: 1\n"
        path = tmp_path / f"{i}.yaml"
        path.write_text(text, encoding="utf-8")
        head = read_head(path, Limits(), path.name)
        expected = _expected_head(text)
        if expected is None:
            assert head is None, text
            outcomes["whole"] += 1
            continue
        assert head is not None, text
        listed = head[1]
        got = (listed.count, listed.mappings) if listed is not None else (0, 0)
        assert got == expected, text
        outcomes["streamed"] += 1
    assert min(outcomes.values()) >= 100, outcomes


@pytest.mark.parametrize("kind", ["inline", "csv"])
def test_a_batch_tells_duplicates_in_other_workers_rows(tmp_path: Path, kind: str) -> None:
    """No first look at the names: each worker checks its own rows' names against every
    earlier row once all are read. Row 30 repeats row 3 (another worker's chunk with
    ``--jobs 2``), row 70 repeats it written with full-width digits and a space (the same
    worker's): both told, in row order, the same with one process or two; nothing written."""
    names = [f"第{i}号单位" for i in range(1, 81)]
    names[29] = "第3号单位"
    names[69] = "第３号 单位"
    path = _letters(tmp_path, names, kind)
    told = []
    for jobs in ("1", "2"):
        out = tmp_path / f"out{jobs}"
        run = subprocess.run(
            [sys.executable, "-m", "speechgen", "render", str(path), "-o", str(out)]
            + ["--jobs", jobs],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 1, run.stderr
        assert not out.exists() or not any(out.iterdir())
        told.append(run.stderr)
    assert told[0] == told[1]
    e110 = [line for line in told[0].splitlines() if "E110" in line]
    first = "recipients[3]" if kind == "inline" else "far.csv 第4行"
    second, third = (
        ("recipients[30]", "recipients[70]") if kind == "inline" else ("第31行", "第71行")
    )
    assert len(e110) == 2, told[0]
    assert f"{first} 与" in e110[0] and second in e110[0] and "写作" not in e110[0]
    assert f"{first} 与" in e110[1] and third in e110[1] and "写作 “第3号单位”" in e110[1]


@pytest.mark.parametrize("most", [6, 64])
def test_items_as_deep_as_the_limit_allows_stream_like_the_tree(tmp_path: Path, most: int) -> None:
    """The head reader's skim and the items' reader count depth alike: an item nested
    as deep as ``max_depth`` allows was let through by the skim and then refused by the
    item reader (an internal error in a render); one level deeper goes to the whole-tree
    reader, as the skim decides."""
    limits = dataclasses.replace(Limits(), max_depth=most)
    for k in range(most - 4, most):
        value = "[" * k + "a" + "]" * k
        path = tmp_path / f"deep{k}.yaml"
        path.write_text(
            HEAD
            + "recipients:\n"
            + f"  - {{name: 甲镇, type: township, x: {value}}}\n"
            + "  - {name: 乙镇, type: township}\n",
            encoding="utf-8",
        )
        try:
            listed: object = load_job(path, limits=limits).data["recipients"]
        except UserError as exc:
            listed = exc.findings
        try:
            rows = list(load_job(path, limits=limits, stream=True).recipients)
        except UserError as exc:
            assert exc.findings == listed, k  # refused whole, as the tree was
            continue
        if isinstance(listed, list):
            assert [r.data for r in rows] == listed, k
        else:
            assert [f for r in rows for f in r.findings] == listed, k


def _node_shape(node: object) -> object:
    """A composed node as comparable values: tags, values and where each starts."""
    from yaml.nodes import MappingNode, SequenceNode

    mark = (node.start_mark.line, node.start_mark.column)  # type: ignore[attr-defined]
    if isinstance(node, MappingNode):
        return (node.tag, mark, [(_node_shape(k), _node_shape(v)) for k, v in node.value])
    if isinstance(node, SequenceNode):
        return (node.tag, mark, [_node_shape(v) for v in node.value])
    return (node.tag, mark, node.value, node.style)  # type: ignore[attr-defined]


def _random_job(rnd, plain: bool) -> str:
    """A letter job ending (mostly) in its ``recipients`` list: indented or at column 0,
    flow or block items, comments and blank lines between them; sometimes a key after
    it, a second document or a comment with a character the skim may refuse."""
    head = "type: letter\n" + rnd.choice(["", "org: {name: 青山县}\n", "sign_date: 2024-02-20\n"])
    body = _random_list(rnd, plain).replace("recipients:\n", "")
    items = body.splitlines(keepends=True)
    if rnd.random() < 0.3:  # a list at column 0
        items = [line[2:] for line in items]
    extras = ["# 注释\n", "\n", "  # 缩进的注释\n", "  - {name: 甲镇, type: township}\n"]
    if rnd.random() < 0.3:
        items.append("  - name: 乙镇\n    type: township\n    sectors:\n      - 燃气\n")
    for _ in range(rnd.randint(0, 2)):
        items.insert(rnd.randint(0, len(items)), rnd.choice(extras))
    tails = ["after: 1\n", "---\nafter: 2\n", "# a&b\n", "...\n", "-after: 1\n"]
    tail = rnd.choice(tails) if rnd.random() < 0.4 else ""
    return head + "recipients:\n" + "".join(items) + tail


def test_a_quick_head_does_not_defer_a_list_of_an_indented_or_flow_document(
    tmp_path: Path,
) -> None:
    """The text test knows top-level keys by their column 0: a document whose mapping is
    indented (its keys at column 2, a key after the list among them) or written in flow
    style is read as before, its keys after the list included."""
    lines = HEAD.splitlines(keepends=True)
    indented = "".join("  " + line for line in lines)
    body = "recipients:\n  - {name: 甲镇, type: township}\nafter_key: 1\n"
    jobs = {
        "indented.yaml": indented + "".join("  " + line for line in body.splitlines(True)),
        "flow.yaml": "{type: letter, recipients: [{name: 甲镇}], after_key: 1}\n",
    }
    for name, text in jobs.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        head = read_head(path, Limits(), name, quick=True)
        if head is not None:
            assert head[1] is None or not head[1].deferred, name
            assert "after_key" in head[0].data, name


def test_a_quick_head_defers_only_lists_that_nothing_follows(tmp_path: Path) -> None:
    """``read_head(quick=True)`` does not read a list that nothing follows; random jobs
    against the skim: the same head (data, positions, raw values, errors), no list it
    defers with a key after it, and every read of a deferred list either gives the
    skim's items node for node (passed-by items their name only) or raises
    NeedsFirstLook exactly where the skim refused the file, or counted more items than
    ``max_recipients``, more nodes than ``max_nodes`` or no mapping."""
    import random

    from speechgen.errors import NeedsFirstLook
    from speechgen.inputs.yamlstream import iter_items

    rnd = random.Random(20261203)
    limits = dataclasses.replace(Limits(), max_recipients=5, max_nodes=40, max_depth=7)
    seen = {"deferred": 0, "again": 0, "read": 0, "tail": 0}
    for i in range(800):
        text = _random_job(rnd, plain=i % 3 != 0)
        path = tmp_path / f"{i}.yaml"
        path.write_text(text, encoding="utf-8")
        slow = read_head(path, limits, path.name)
        quick = read_head(path, limits, path.name, quick=True)
        if quick is None or quick[1] is None or not quick[1].deferred:
            # not deferred: the skim read it, as without quick
            assert (quick is None) == (slow is None), text
            if quick is not None and slow is not None:
                assert (quick[0].data, quick[1]) == (slow[0].data, slow[1]), text
            seen["read"] += 1
            continue
        tree, listed = quick
        assert listed.count == listed.mappings == -1, text
        needs = (
            slow is None
            or slow[1] is None
            or slow[1].count > limits.max_recipients
            or not slow[1].mappings
        )
        if slow is not None:
            head = slow[0]
            assert list(head.data) == list(tree.data), text  # no key after the list
            assert (head.data, head.positions, head.raw, head.errors) == (
                tree.data,
                tree.positions,
                tree.raw,
                tree.errors,
            ), text
        for want in (None, lambda k: k % 2 == 0):
            try:
                got = [_node_shape(n) for n in iter_items(path, limits, want=want, deferred=listed)]
            except NeedsFirstLook:
                assert needs, text
                continue
            assert not needs, text
            assert got == [_node_shape(n) for n in iter_items(path, limits, want=want)], text
        seen["again" if needs else "deferred"] += 1
        seen["tail"] += "after:" in text
    assert seen["tail"] == 0
    assert min(seen["deferred"], seen["again"], seen["read"]) >= 80, seen


def _swapped_book(path: Path, rows: int, swap: int) -> None:
    """An .xlsx of ``rows`` recipients whose rows ``swap`` and ``swap + 1`` (1-based, the
    header not counted) come in the other order in the sheet's XML."""
    import openpyxl

    plain = path.with_name("plain-" + path.name)
    wb = openpyxl.Workbook()
    wb.active.append(["name", "type"])
    for i in range(rows):
        wb.active.append([f"第{i}号镇", "township"])
    wb.save(plain)
    swap_rows(plain, path, swap)


def _merged_book(path: Path, rows: int) -> None:
    """An .xlsx of ``rows`` recipients whose first three share one merged ``sectors`` cell
    (merged ranges follow the rows in the sheet's XML)."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["name", "type", "sectors"])
    for i in range(rows):
        wb.active.append([f"第{i}号镇", "township", "燃气" if i == 0 else None])
    wb.active.merge_cells("C2:C4")
    wb.save(path)


def test_a_table_read_past_its_header_asks_for_the_first_look(tmp_path: Path) -> None:
    """``load_job(quick=True)`` reads a table's header only; a read of its rows raises
    NeedsFirstLook where the whole first look would have told or done something else:
    an XLSX's rows out of order after the first block of its XML or its merged ranges
    (which follow the rows), a CSV's format error
    (a field over the csv module's limit) or a row wider than ``max_columns`` far down, more rows than ``max_recipients``, a
    header with no row under it. Without quick the same jobs load as before."""
    from speechgen.errors import NeedsFirstLook

    limits = dataclasses.replace(Limits(), max_recipients=1000, max_columns=4)
    many = "".join(f"第{i}号镇,township\n" for i in range(900))
    tables = {
        "late_swap.xlsx": None,
        "late_merge.xlsx": None,
        "late_huge.csv": "name,type\n" + many + "乙镇," + "长" * 140_000 + "\n",
        "late_wide.csv": "name,type\n" + many + "丙镇,township,,,,多\n",
        "too_many.csv": "name,type\n" + many * 2,
        "header_only.csv": "name,type\n",
    }
    for name, text in tables.items():
        table = tmp_path / name
        if name == "late_merge.xlsx":
            _merged_book(table, 900)
        elif text is None:
            _swapped_book(table, 900, 850)
        else:
            table.write_text(text, encoding="utf-8")
        job = tmp_path / f"{name}.yaml"
        job.write_text(HEAD + f"recipients_file: {name}\n", encoding="utf-8")
        quick = load_job(job, limits=limits, stream=True, quick=True).recipients
        assert quick.deferred is not None, name  # the header alone was read
        for want in (None, lambda k: k % 2 == 0):
            try:
                list(quick.rows(want))
            except NeedsFirstLook:
                continue
            raise AssertionError(f"{name}: read without the first look")
        try:  # the first look: refused at load, or read whole (rows out of order)
            rows = list(load_job(job, limits=limits, stream=True).recipients)
        except UserError as exc:
            assert exc.findings, name
        else:
            assert name.endswith(".xlsx") and len(rows) == 900
            if name == "late_merge.xlsx":  # the merged cell fills the rows under it
                assert [r.data.get("sectors") for r in rows[:4]] == [["燃气"]] * 3 + [None]
