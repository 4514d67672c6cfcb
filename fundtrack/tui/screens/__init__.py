"""The app's screens, one per file (the list screens share one, see lists.py)."""
