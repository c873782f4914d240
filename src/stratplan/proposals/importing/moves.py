"""Moves (Word's moveFrom / moveTo, a paragraph cut and pasted with Track Changes on): each
moved item is suppressed where it was and added, with the same id and data, where it went
(its references, such as its goal, taken from its new place).
"""

from __future__ import annotations

from dataclasses import dataclass

from stratplan.model.facts import field_facts
from stratplan.proposals.importing import paragraphs
from stratplan.proposals.importing.base import BaseParagraph
from stratplan.proposals.importing.changes import Add, Suppress
from stratplan.proposals.importing.index import at, element_of, plain_data, selector
from stratplan.proposals.importing.state import Reading
from stratplan.proposals.importing.texts import plain
from stratplan.proposals.importing.units import Piece, Unit


@dataclass
class Moves:
    """The two ends of the moves, matched once the whole file is read."""

    out: list[tuple[BaseParagraph, Unit]]
    into: list[tuple[Piece, list[tuple[str, str]]]]  # with what the document showed before

    def __init__(self) -> None:
        self.out, self.into = [], []


def moved(revisions: list) -> bool:  # type: ignore[type-arg]
    return any(r.move for r in revisions)


def interpret(r: Reading, moves: Moves) -> None:
    for b, u in moves.out:
        match = next(((piece, seen) for piece, seen in moves.into
                      if plain(piece.accept) == plain(b.text)), None)
        if match is None:
            paragraphs.deleted(r, b, r.authors_of(u)[0], u)
            continue
        moves.into.remove(match)
        target, seen = match
        element = element_of([leaf.path for _, _, leaf in r.index.occurrences_of(b)])
        if not element or not isinstance(element[-1], int):
            paragraphs.deleted(r, b, r.authors_of(u)[0])
            paragraphs.inserted(r, None, target)
            continue
        author, date = r.authors_of(target)[0]
        data = plain_data(at(r.data, element))
        model = r.index.model_for(element)
        listing = r.index.address(element[:-1])
        saved, r.seen = r.seen, seen
        if isinstance(data, dict) and model is not None:
            for name, facts in field_facts(model).items():
                if facts.ref is not None and name in data:
                    data[name] = r.last_seen(facts.ref.collection) or data[name]
        after = r.last_seen(listing)
        r.seen = saved
        address = r.index.address(element)
        if b.row is None:  # a line of a list moved: the item's row of a table moves with it
            r.moved.add(r.index.item_addresses.get(address, address))
        r.add(Suppress(author=author, date=date, place=b.place, target=address))
        r.add(Add(author=author, date=date, place=f"moved from {b.place}", listing=listing,
                  after=selector(after) if after else 0, item=data), target)
    for piece, _ in moves.into:
        paragraphs.inserted(r, None, piece)
