"""fundtrack installed from a built wheel, not run from a clone: `fundtrack demo` finds its sample village."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from tests.conftest import ROOT


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)


def _wheel(tmp_path: Path) -> Path:
    """The wheel built from a copy of the sources (the worktree is left without build folders)."""
    source = tmp_path / "src"
    source.mkdir()
    for part in ("pyproject.toml", "README.md", "fundtrack", "config", "sample_data"):
        origin = ROOT / part
        if origin.is_dir():
            shutil.copytree(origin, source / part, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(origin, source / part)
    out = tmp_path / "wheels"
    built = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(out), "."],
        source,
    )
    assert built.returncode == 0, built.stdout + built.stderr
    (wheel,) = out.glob("fundtrack-*.whl")
    return wheel


def test_the_wheel_ships_the_sample_village_and_demo_sets_it_up_from_any_folder(tmp_path: Path) -> None:
    wheel = _wheel(tmp_path)
    import zipfile

    shipped = {n for n in zipfile.ZipFile(wheel).namelist() if n.endswith(".py")}
    sources = {
        p.relative_to(ROOT).as_posix() for p in (ROOT / "fundtrack").rglob("*.py") if "sample_data" not in p.parts
    }
    assert sources <= shipped, sorted(sources - shipped)  # a subpackage missing from the wheel
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp_path).returncode == 0
    python = venv / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path).stdout.strip()
    )
    # The dependencies (and pip) come from this environment's packages, after the venv's own: offline, and
    # without this checkout's editable fundtrack (a plain path line does not run that folder's .pth files).
    (site / "dev-packages.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    installed = _run([str(python), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)], tmp_path)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run([str(python), "-c", "import fundtrack; print(fundtrack.__file__)"], elsewhere).stdout
    assert where.startswith(str(site)), where
    demo = _run([str(venv / "bin" / "fundtrack"), "--db", "demo.db", "demo"], elsewhere)
    assert demo.returncode == 0, demo.stderr
    assert "已把 2 个示例文件导入" in demo.stderr and "xx彝族村" in demo.stderr
    report = _run(
        [str(venv / "bin" / "fundtrack"), "--db", "demo.db", "report", "breakdown", "--format", "json"], elsewhere
    )
    assert report.returncode in (0, 1) and "housing-1" in report.stdout, report.stderr
    again = _run([str(venv / "bin" / "fundtrack"), "--db", "demo.db", "demo", "--no-app"], elsewhere)
    assert again.returncode == 0 and "导入" not in again.stderr, again.stderr
