"""The layering holds: ledger <- storage <- io <- service <- tui <- cli; the ledger stays pure; only loading uses gc and processes."""

from __future__ import annotations

import shutil
import subprocess
import sys

from tests.conftest import ROOT


def test_import_linter_contracts_hold() -> None:
    exe = shutil.which("lint-imports") or str(ROOT / ".venv" / "bin" / "lint-imports")
    result = subprocess.run([exe, str(ROOT / "pyproject.toml")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 kept, 0 broken" in result.stdout


def test_ledger_imports_no_storage_terminal_or_toml_library() -> None:
    code = (
        "import sys, fundtrack.ledger.reconcile, fundtrack.ledger.breakdown, fundtrack.ledger.quotas;"
        "bad = [m for m in sys.modules if m.split('.')[0] in "
        "('peewee', 'playhouse', 'textual', 'rich', 'tomllib', 'tomli_w', 'psycopg')];"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == ""


def test_cli_help_does_not_load_the_terminal_app() -> None:
    code = "import sys; from fundtrack.cli import main; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
