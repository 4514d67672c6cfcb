"""Settings: the shipped config/fundtrack.toml, overridden by the user's file and by --config."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import platformdirs

from fundtrack.io.fundfile import Options
from fundtrack.io.problems import InputError, Problem
from fundtrack.ledger import vocab

APP = "fundtrack"
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class Config:
    """Everything fundtrack takes from configuration files."""

    language: str = "zh"
    display_unit: str = "万元"
    default_hiring_quota: int = 100
    operator: str = ""
    database: str = ""
    categories: dict[str, dict[str, str]] = field(default_factory=dict)
    funder_kinds: dict[str, dict[str, str]] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    backups: dict[str, int] = field(default_factory=lambda: {"keep": 14})

    @property
    def backups_keep(self) -> int:
        """How many daily backups to keep; 0 turns them off."""
        return self.backups.get("keep", 14)

    @property
    def import_options(self) -> Options:
        return Options(categories=tuple(self.categories), default_hiring_quota=self.default_hiring_quota)

    def category_name(self, code: str) -> str:
        return self.categories.get(code, {}).get(self.language, code)

    def kind_name(self, kind: str) -> str:
        return self.funder_kinds.get(kind, {}).get(self.language, kind)

    def database_target(self) -> str:
        return self.database or str(Path(platformdirs.user_data_dir(APP)) / "fundtrack.db")


def shipped_config_text() -> str:
    return resources.files("fundtrack").joinpath("shipped-config.toml").read_text(encoding="utf-8")


def user_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP)) / "fundtrack.toml"


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = {**out[key], **value}
        else:
            out[key] = value
    return out


def _check(data: dict[str, Any], source: str) -> list[Problem]:
    problems = []

    def bad(key: str, code: str, **params: object) -> None:
        problems.append(Problem(source, 0, key, code, params))

    known = {"language", "display_unit", "default_hiring_quota", "operator", "database", "categories", "funder_kinds"}
    known.add("backups")  # backup and restore
    for key in data:
        if key not in known:
            bad(key, "unknown_setting")
    if data.get("language") not in LANGUAGES:
        bad("language", "not_one_of", value=data.get("language"), choices=", ".join(LANGUAGES), hint="")
    if data.get("display_unit") not in ("元", "万元"):
        bad("display_unit", "bad_unit", got=repr(data.get("display_unit")))
    quota = data.get("default_hiring_quota")
    if isinstance(quota, bool) or not isinstance(quota, int) or quota < 0:
        bad("default_hiring_quota", "not_whole_number", value=quota)
    for key in ("operator", "database"):
        if not isinstance(data.get(key, ""), str):
            bad(key, "setting_text")
    _check_backups(data.get("backups", {}), bad)
    for table in ("categories", "funder_kinds"):
        names = data.get(table, {})
        if not isinstance(names, dict) or not all(isinstance(v, dict) for v in names.values()):
            bad(table, "setting_names")
    for kind in data.get("funder_kinds", {}):
        if kind not in vocab.FUNDER_KINDS:
            bad(f"funder_kinds.{kind}", "fixed_funder_kinds")
    for cat in vocab.CATEGORIES:
        if cat not in data.get("categories", {}):
            bad(f"categories.{cat}", "fixed_category")
    return problems


def _check_backups(backups: object, bad: Any) -> None:
    """The [backups] table: keep = how many daily copies (0 = none)."""
    if not isinstance(backups, dict):
        bad("backups", "expected_table", got=type(backups).__name__)
        return
    for key, value in backups.items():
        if key != "keep":
            bad(f"backups.{key}", "unknown_setting")
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            bad("backups.keep", "not_whole_number", value=value)


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError([Problem(str(path), 0, "config", "os_error", {"message": exc.strerror or str(exc)})]) from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(str(path), 0, "toml", "toml_syntax", {"message": str(exc)})]) from exc


def load_config(extra: str | None = None, use_user_file: bool = True) -> Config:
    """The shipped settings, then the user's file (if any), then `extra`. Raises InputError."""
    data = tomllib.loads(shipped_config_text())
    sources = ["(shipped)"]
    user = user_config_path()
    if use_user_file and not os.environ.get("FUNDTRACK_NO_USER_CONFIG") and user.exists():
        data = _merge(data, _read(user))
        sources.append(str(user))
    if extra:
        data = _merge(data, _read(Path(extra)))
        sources.append(extra)
    problems = _check(data, sources[-1])
    if problems:
        raise InputError(problems)
    return Config(**data, sources=tuple(sources))
