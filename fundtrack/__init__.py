"""fundtrack: a village's project funding ledger, reports and terminal app."""

__version__ = "0.1.0"
