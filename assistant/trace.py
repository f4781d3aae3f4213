"""The explain trace: what a question was read as, which mechanism answered and why (``ask --explain``)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Trace:
    """Filled in as a question goes through the pipeline; printed by ``ask --explain`` and written by ``evaluate --trace``."""

    route: dict = field(default_factory=dict)  # article scores and the one chosen
    intents: dict[str, float] = field(default_factory=dict)  # detect() score of each strategy
    intent: str = ""  # the strategy that answered
    entities: list[str] = field(default_factory=list)
    facets: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)  # named rules that fired (cues, topics, carried context)
    candidates: list[dict] = field(default_factory=list)  # passage id and score parts
    decline: str = ""  # why it declined
    missing: tuple[str, ...] = ()  # what a decline named as missing (also in decline's words)

    def fire(self, rule: str) -> None:
        """Record a rule that fired."""
        if rule not in self.rules:
            self.rules.append(rule)

    def to_json(self) -> dict:
        """A JSON-ready form."""
        return {
            "route": self.route,
            "intents": {k: round(v, 3) for k, v in self.intents.items()},
            "intent": self.intent,
            "entities": self.entities,
            "facets": self.facets,
            "rules": self.rules,
            "candidates": self.candidates[:8],
            "decline": self.decline,
        }

    def render(self) -> str:
        """Readable lines for ``ask --explain``."""
        scores = ", ".join(f"{k} {v:.2f}" for k, v in self.intents.items())
        lines = [
            f"intent: {self.intent}"
            + (f"  (scores: {scores})" if scores else "  (the glossary's strategies for this article)" if self.intent.startswith("domain") else "")
        ]
        if self.route:
            lines.append("article: " + str(self.route.get("chosen", "")) + "  " + ", ".join(f"{d} {s:.2f}" for d, s in self.route.get("scores", {}).items()))
        if self.entities:
            lines.append("entities: " + "; ".join(self.entities))
        if self.facets:
            lines.append("facets: " + "; ".join(self.facets))
        if self.rules:
            lines.append("rules: " + "; ".join(self.rules))
        for c in self.candidates[:6]:
            parts = " ".join(f"{k}={v}" for k, v in c.items() if k != "id")
            lines.append(f"  {c['id']}: {parts}")
        if self.decline:
            lines.append(f"declined: {self.decline}")
        return "\n".join(lines)
