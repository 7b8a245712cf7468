"""Field-level precision, recall and F1 of the extractor on a labelled set (ADR 0023): each value
is an item (an event kind, a date, a place, each party, each phase with its role, each chair and
each other person by name, with their rank and each position); a value the label does not have
is a false positive, one the extractor missed a false negative, a wrong one both."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phoihop.conferences.extract.record import extract

FIELDS = ["event_kind", "date", "place", "parties", "phases", "chairs", "other_people", "ranks", "positions"]


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, got: Iterable[Any], want: Iterable[Any]) -> None:
        got_set, want_set = set(got), set(want)
        self.tp += len(got_set & want_set)
        self.fp += len(got_set - want_set)
        self.fn += len(want_set - got_set)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _items(record: dict[str, Any]) -> dict[str, list[Any]]:
    people = record["chairs"] + record["other_people"]
    return {
        "event_kind": [record["event_kind"]],
        "date": [record["date"]] if record["date"] else [],
        "place": [record["place"]] if record["place"] else [],
        "parties": list(record["parties"]),
        "phases": [(p["years"], p["role"]) for p in record["phases"]],
        "chairs": [p["name"] for p in record["chairs"]],
        "other_people": [p["name"] for p in record["other_people"]],
        "ranks": [(p["name"], p["rank"]) for p in people if p["rank"]],
        "positions": [(p["name"], position) for p in people for position in p["positions"]],
    }


SUBSETS = ("seen", "heldout", "round1", "round2")


def subset_of(document: dict[str, Any]) -> str:
    """The part of the set a label belongs to: "seen", or the round of the held-out part it was
    added in ("round1": 033–040, no "round" key; "round2": ``"round": 2``, 041–048)."""
    if not document.get("heldout"):
        return "seen"
    return f"round{document.get('round', 1)}"


def evaluate(folder: Path, subset: str | None = None, known: list[str] | None = None) -> dict[str, Score]:
    """Scores per field, and "overall" (every item of every field), over ``folder``'s articles:
    all of them, or one subset: "seen" (the articles the rules were written while reading),
    "heldout" (those marked ``"heldout": true``, kept aside to measure the general case), or one
    round of the held-out part ("round1", "round2": ``"round": 2``)."""
    if subset not in (None, *SUBSETS):
        raise ValueError(subset)
    scores = {name: Score() for name in [*FIELDS, "overall"]}
    for label_path in sorted(folder.glob("*.json")):
        document = json.loads(label_path.read_text(encoding="utf-8"))
        part = subset_of(document)
        if (subset == "heldout" and part == "seen") or subset not in (None, "heldout", part):
            continue
        label = document["record"]
        got = _items(extract(label_path.with_suffix(".txt").read_text(encoding="utf-8"), known=known))
        want = _items(label)
        for name in FIELDS:
            scores[name].add(got[name], want[name])
            scores["overall"].add(((name, v) for v in got[name]), ((name, v) for v in want[name]))
    return scores


def table(scores: dict[str, Score]) -> str:
    lines = ["| field | precision | recall | F1 | tp | fp | fn |", "|---|---|---|---|---|---|---|"]
    for name, s in scores.items():
        lines.append(f"| {name} | {s.precision:.2f} | {s.recall:.2f} | {s.f1:.2f} | {s.tp} | {s.fp} | {s.fn} |")
    return "\n".join(lines)
