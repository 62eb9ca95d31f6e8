"""The run report: every input document in exactly one outcome, plus timing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pipelines.models import Outcome


@dataclass
class RunReport:
    run_id: str
    source: str
    index: str | None = None
    discovered: int = 0
    discovered_unit: str = "files"  # what a discovered item is: "files", or "URLs" for a web run
    counts: dict[str, int] = field(default_factory=lambda: {o.value: 0 for o in Outcome})
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    seconds: float = 0.0

    def count(self, outcome: Outcome, n: int = 1) -> None:
        self.counts[outcome.value] += n

    @property
    def documents(self) -> int:
        return sum(self.counts.values())

    @property
    def docs_per_second(self) -> float:
        return self.documents / self.seconds if self.seconds > 0 else 0.0

    def rows(self) -> list[tuple[str, str]]:
        """The summary as (label, value) rows, shared by the CLI table and the Prefect artifact."""
        rows = [(f"{self.discovered_unit} discovered", str(self.discovered)), ("documents", str(self.documents))]
        rows += [(o.value, str(self.counts[o.value])) for o in Outcome]
        rows += [("seconds", f"{self.seconds:.2f}"), ("docs/s", f"{self.docs_per_second:.1f}")]
        return rows

    def to_dict(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id, "source": self.source, "index": self.index, "discovered": self.discovered,
            "discovered_unit": self.discovered_unit,
            "documents": self.documents, **self.counts, "seconds": round(self.seconds, 3),
            "docs_per_second": round(self.docs_per_second, 2), "quarantine": self.quarantined,
        }
