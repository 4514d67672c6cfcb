"""Use cases between the files (io) and the front ends (cli, tui): loading the ledger of a scope, reports over it."""

from fundtrack.service.ledger import (
    Ledger,
    Scope,
    find_project,
    load_breakdown,
    load_ledger,
    load_levies,
    load_quotas,
    load_reconciliation,
    village_scopes,
)

__all__ = [
    "Ledger",
    "Scope",
    "find_project",
    "load_breakdown",
    "load_ledger",
    "load_levies",
    "load_quotas",
    "load_reconciliation",
    "village_scopes",
]
