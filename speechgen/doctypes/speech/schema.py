"""The schema part of a speech or outline job (spec/INPUT.md, "speech and outline")."""

from __future__ import annotations

from ...inputs.schema import (  # the specs and the blocks every job shares
    INSPECTION,
    KIND_ALIASES,
    KINDS,
    POINTS,
    TYPE,
    Bool,
    Date,
    Enum,
    Int,
    ListOf,
    Map,
    Names,
    Text,
    TextList,
    accident_fields,
    derive_quarter,
    org_block,
    shared_blocks,
)

SPEECH = Map(
    {
        "type": TYPE,
        "title": Text(),
        "salutation": Text(),
        "org": org_block(False),
        "speaker": Map(
            {"role": Text(required=True), "name": Text(), "on_behalf_of": Text()},
            required=True,
        ),
        "meeting": Map(
            {
                "name": Text(required=True),
                "kind": Enum(KINDS, aliases=KIND_ALIASES, required=True),
                "date": Date(required=True),
                "quarter": Int(min=1, max=4, what="季度"),
                # the composers name the accident: place and kind as in accidents[]
                "cause": Map(accident_fields(True)),
                "holiday": Names(),
                "topics": Names(),
                "targets": TextList(),
                "letters_signed": Bool(),
                "days_since_last": Int(min=1),
            },
            required=True,
            post=derive_quarter("date"),
        ),
        "preceding": ListOf(
            Map({"who": Names(required=True), "did": Text(required=True)}), default=[]
        ),
        "points": POINTS,
        "closing": Map({"event": Text(), "vision": Text()}),
        "situation": Map({"achievements": TextList(), "problems": TextList()}),
        "inspection": INSPECTION,
        **shared_blocks(),
    }
)
