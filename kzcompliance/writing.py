"""What the write-up reads of a compiled rule (`Writing`), prepared once per rule: its messages parsed, its legal
bases translated per language as first asked.

Here, in a compiled module, the write-up reads it natively: it reads a dozen of its attributes for every outcome,
and a pydantic rule's (or a plain class's) attribute costs several times a native one."""

from __future__ import annotations

from typing import Optional

from .i18n.legal import legal_basis
from .i18n.messages import Template, template


class Writing:
    """A rule's id, subject, outcome (the obligation's or finding's kind, or the sanction code of its grade), the
    fact field of its day (the obligation's due date, else the day the conduct began), the fact fields it reports,
    its legal basis and reading, and its message per language, parsed."""

    def __init__(self, id: str, subject: str, message: dict[str, str], obligation: Optional[str],
                 finding: Optional[str], day_field: str, facts: tuple[str, ...], legal_basis: tuple[str, ...],
                 verified: bool, code: Optional[str]) -> None:
        self.id = id
        self.subject = subject
        self.foreigner = subject == "foreigner"
        self.messages: dict[str, Template] = {lang: template(text) for lang, text in message.items()}
        self.obligation = obligation
        self.finding = finding
        self.day_field = day_field
        self.facts = facts
        self.legal_basis = legal_basis
        self.verified = verified
        self.code = code
        self._bases: dict[str, tuple[str, ...]] = {}  # per language, as first asked (equal if two threads ask)

    def bases(self, lang: str) -> list[str]:
        """The legal-basis lines in `lang`, a fresh list (each report owns its own)."""
        found = self._bases.get(lang)
        if found is None:
            found = self._bases[lang] = tuple(legal_basis(b, lang) for b in self.legal_basis)
        return list(found)
