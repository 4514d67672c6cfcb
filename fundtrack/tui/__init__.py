"""The fundtrack terminal app."""
