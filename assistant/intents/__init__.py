"""The any-article strategies: one module per intent, each with ``detect`` (how surely the question is of its
kind) and ``answer`` (select the passages, judge answerability, render). Adding one is a new module and a line
in REGISTRY. The glossary's own strategies (the domain layer) answer for the articles the glossary was
written for; see assistant/assistant.py."""

from __future__ import annotations

from enum import Enum

from . import about, clarify, compare, figure, listing, pointer, search


class Intent(str, Enum):
    """What a question asks for."""

    DOMAIN = "domain"  # answered by the glossary's strategies (the articles it was written for)
    ABOUT = about.NAME
    CLARIFY = clarify.NAME
    COMPARE = compare.NAME
    FIGURE = figure.NAME
    LISTING = listing.NAME
    POINTER = pointer.NAME
    SEARCH = search.NAME


#: In the order they are tried; the highest detect() score answers (ties go to the earlier).
REGISTRY = (about, clarify, pointer, figure, compare, listing, search)
