"""The fundtrack command line."""
