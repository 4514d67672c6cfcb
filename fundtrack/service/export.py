"""Export one village: its live records read from the store, as a fundtrack/1 document."""

from __future__ import annotations

from typing import Any

from fundtrack.io import export
from fundtrack.storage import queries


def village_document(village_id: int, village: dict[str, Any], with_personal_data: bool = False) -> dict[str, Any]:
    """Every live record of a village as a re-importable fundtrack/1 document (`id_number` only when asked)."""
    return export.document(village, queries.records(village_id, with_personal_data))
