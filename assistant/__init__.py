"""Offline bilingual career Q&A over articles about product and operations roles, with cited passages."""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["Answer", "Assistant", "AssistantError", "Citation"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from .assistant import Assistant
    from .errors import AssistantError
    from .respond import Answer, Citation


def __getattr__(name: str):  # type: ignore[no-untyped-def]
    # Lazy, so `python -m assistant --help` does not import numpy or the retrieval stack.
    if name == "Assistant":
        from .assistant import Assistant

        return Assistant
    if name in ("Answer", "Citation"):
        from . import respond

        return getattr(respond, name)
    if name == "AssistantError":
        from .errors import AssistantError

        return AssistantError
    raise AttributeError(name)
