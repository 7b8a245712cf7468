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


def evaluate(folder: Path) -> dict[str, Score]:
    """Scores per field, and "overall" (every item of every field), over ``folder``'s articles."""
    scores = {name: Score() for name in [*FIELDS, "overall"]}
    for label_path in sorted(folder.glob("*.json")):
        label = json.loads(label_path.read_text(encoding="utf-8"))["record"]
        got = _items(extract(label_path.with_suffix(".txt").read_text(encoding="utf-8")))
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
