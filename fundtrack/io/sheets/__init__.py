"""Spreadsheets in: workbooks and CSV files read into the same records a fundtrack/1 file holds."""

from fundtrack.io.sheets.document import CellIndex, Reading, Settings, load_mapping, read_document
from fundtrack.io.sheets.reader import is_sheet

__all__ = ["CellIndex", "Reading", "Settings", "is_sheet", "load_mapping", "read_document"]
