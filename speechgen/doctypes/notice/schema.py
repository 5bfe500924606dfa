"""The schema part of a notice job (spec/INPUT.md, "notice"): the task table and the notice."""

from __future__ import annotations

from ...inputs.schema import (  # the specs and the blocks every job shares
    INSPECTION,
    POINTS,
    TYPE,
    Bool,
    Date,
    DateOrText,
    Int,
    Joined,
    ListOf,
    Map,
    Names,
    Text,
    TextList,
    TextOrMap,
    derive_quarter,
    org_block,
    shared_blocks,
)

TASKS = ListOf(
    Map(
        {
            "task": Text(required=True),
            "lead": Text(),
            "support": Names(default=[]),
            "due": DateOrText(),
        }
    ),
    default=[],
)

NOTICE = Map(
    {
        "type": TYPE,
        "org": org_block(True),
        "issuer": Text(required=True),
        "mark": Text(),
        "doc_number": Text(),
        "title": Text(),
        "to": Joined(required=True),
        "date": Date(required=True),
        "quarter": Int(min=1, max=4, what="季度"),
        "points": POINTS,
        "tasks": TASKS,
        "contact": Map({"name": Text(), "phone": Text(), "email": Text()}),
        "cc": Joined(),
        "printed_by": Text(),
        "sealed": Bool(),
        "basis": Text(),
        "approved_by": Text(),
        "report": Map({"day": Int(min=1, max=31, what="日期"), "to": Text()}),
        "inspection": INSPECTION,
        "requirements": TextList(numbered=False),
        "attachments": ListOf(
            TextOrMap(Map({"title": Text(required=True), "text": Text()}, extra="keep"), "title")
        ),
        # batch entries are checked by jobs.load_job (deep-merged, one notice each)
        "batch": ListOf(Map({}, extra="keep")),
        **shared_blocks(),
    },
    post=derive_quarter("date"),
)
