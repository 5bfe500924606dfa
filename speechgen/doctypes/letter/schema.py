"""The schema part of a letter job (spec/INPUT.md, "letter"): a recipient (also a CSV/XLSX row) and the letter."""

from __future__ import annotations

from ...inputs.schema import (  # the specs and the blocks every job shares
    RECIPIENT_ALIASES,
    RECIPIENT_TYPES,
    TYPE,
    AutoOr,
    Date,
    Enum,
    Int,
    ListOf,
    Map,
    Names,
    NumberMap,
    Text,
    TextList,
    check_term,
    org_block,
    shared_blocks,
)

RECIPIENT = Map(
    {
        "name": Text(required=True),
        "type": Enum(RECIPIENT_TYPES, aliases=RECIPIENT_ALIASES),
        "signer_title": Text(),
        "signer": Text(),
        "sectors": Names(),
        "limits": NumberMap(),
        "targets_extra": TextList(placeholders=True),
    },
    extra="keep",
)

LETTER = Map(
    {
        "type": TYPE,
        "title": Text(),
        "org": org_block(True),
        "party_a": Map(
            {"name": Text(required=True), "signer_title": Text(), "signer": Text()},
            required=True,
        ),
        "term": Map(
            {"start": Date(required=True), "end": Date(required=True)},
            required=True,
            post=check_term,
        ),
        "sign_date": Date(required=True),
        "preamble": Text(),
        "targets": TextList(placeholders=True),
        "duties": AutoOr(TextList()),
        "sanctions": AutoOr(TextList()),
        "copies": Int(min=1, max=10, what="份数"),
        "recipients": ListOf(RECIPIENT, limit="recipients"),
        "recipients_file": Text(),
        **shared_blocks(),
    }
)
