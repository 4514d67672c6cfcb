"""Property tests (hypothesis): the ledger against a plain-Python model, round trips, and malformed files."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from fundtrack import service
from fundtrack.io import export as exporter
from fundtrack.io import reports
from fundtrack.io.config import load_config
from fundtrack.io.problems import InputError
from fundtrack.ledger import names as text_rules
from fundtrack.ledger.breakdown import Attribution, attribute
from fundtrack.ledger.facts import LevyFact, PledgeFact
from fundtrack.ledger.money import Amount, canonical_amount
from fundtrack.service.export import village_document
from fundtrack.service.importing import import_files
from fundtrack.service.records import add_record, undo_last, void_record
from fundtrack.storage import models as m
from fundtrack.storage import queries
from fundtrack.storage.db import database, open_database
from fundtrack.storage.migrations import migrate

CONFIG = load_config(use_user_file=False)
OPTIONS = CONFIG.import_options
AS_OF = dt.date(2030, 1, 1)
FUNDERS = {"县财政": "local_finance", "甲矿": "enterprise", "乙矿": "enterprise", "村民": "villagers"}
BASE = {
    "format": "fundtrack/1",
    "village": {"name": "性质村"},
    "funders": [{"name": n, "kind": k} for n, k in FUNDERS.items()],
    "projects": [{"code": "p", "name": "工程", "category": "road", "status": "building", "budget": "500万"}],
}
fen = st.integers(min_value=1, max_value=10**9)


def fresh_store(folder: Path, name: str = "p.db") -> None:
    """A new, empty database in `folder` (a test's own temporary folder, removed after it)."""
    open_database(str(folder / name))
    migrate()


def write(doc: dict, folder: Path, name: str = "doc.toml") -> str:
    path = folder / name
    path.write_text(tomli_w.dumps(doc), encoding="utf-8")
    return str(path)


class LedgerMachine(RuleBasedStateMachine):
    """Pledges, receipts, levies, in-kind gifts, hires, voids, undos and failing imports; totals follow a model."""

    @initialize()
    def setup(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="fundtrack-prop-"))
        fresh_store(self.folder)
        import_files([write(BASE, self.folder)], OPTIONS)
        self.village = m.Village.get().id
        self.pledged = 0
        self.received = 0
        self.spent = 0
        self.hires = 0
        # Entries of the model, and the batches in the order they were written (undo pops the last).
        self.entries: dict[int, list] = {}  # key -> [field, table, record, fen, live]
        self.batches: list[tuple[str, int]] = []  # ("add" | "void" | "import", entry key)

    def _add(self, table: str, raw: dict, field: str, amount: int) -> None:
        assert add_record(self.village, table, raw, OPTIONS, "元", "prop") == []
        model = {"pledges": m.Pledge, "receipts": m.Receipt, "levies": m.Levy, "expenses": m.Expense, "hires": m.Hire}[
            table
        ]
        record = model.select(model.id).order_by(model.id.desc()).first().id
        setattr(self, field, getattr(self, field) + amount)
        key = len(self.entries)
        self.entries[key] = [field, table, record, amount, True]
        self.batches.append(("add", key))

    @rule(amount=fen, funder=st.sampled_from(sorted(FUNDERS)))
    def pledge(self, amount: int, funder: str) -> None:
        raw = {"project": "p", "funder": funder, "amount": canonical_amount(Amount(amount))}
        self._add("pledges", raw, "pledged", amount)

    @rule(amount=fen)
    def joint_pledge(self, amount: int) -> None:
        raw = {"project": "p", "funders": ["甲矿", "乙矿"], "amount": canonical_amount(Amount(amount))}
        self._add("pledges", raw, "pledged", amount)

    @rule(amount=fen, form=st.sampled_from(["land", "labour", "machinery"]), valued=st.booleans())
    def in_kind(self, amount: int, form: str, valued: bool) -> None:
        raw = {"project": "p", "funder": "村民", "form": form}
        if valued:
            raw["amount"] = canonical_amount(Amount(amount))
        self._add("pledges", raw, "pledged", amount if valued else 0)

    @rule(per=st.integers(min_value=1, max_value=10**6), households=st.integers(min_value=1, max_value=400))
    def levy(self, per: int, households: int) -> None:
        raw = {
            "project": "p",
            "funder": "村民",
            "per_household": canonical_amount(Amount(per)),
            "households": households,
        }
        self._add("levies", raw, "pledged", per * households)

    @rule(amount=fen, funder=st.sampled_from(sorted(FUNDERS)))
    def receipt(self, amount: int, funder: str) -> None:
        raw = {
            "project": "p",
            "funder": funder,
            "amount": canonical_amount(Amount(amount)),
            "date": dt.date(2025, 1, 1),
        }
        self._add("receipts", raw, "received", amount)

    @rule(amount=fen)
    def expense(self, amount: int) -> None:
        raw = {"project": "p", "amount": canonical_amount(Amount(amount)), "date": dt.date(2025, 2, 1), "item": "款"}
        self._add("expenses", raw, "spent", amount)

    @rule()
    def hire(self) -> None:
        if not m.Enterprise.select().exists():
            import_files(
                [
                    write(
                        {
                            "format": "fundtrack/1",
                            "village": {"name": "性质村"},
                            "enterprises": [{"name": "丙厂", "kind": "processing"}],
                        },
                        self.folder,
                        "e.toml",
                    )
                ],
                OPTIONS,
            )
            self.batches.append(("import", -1))
        raw = {"enterprise": "丙厂", "person": "张三", "role": "worker", "start": dt.date(2024, 1, 1)}
        if m.Enterprise.get().voided:  # its import was undone: nothing may link to it any more
            problems = add_record(self.village, "hires", raw, OPTIONS, "元", "prop")
            assert [p.what for p in problems] == ['enterprise "丙厂" has been voided']
            return
        self._add("hires", raw, "hires", 1)

    @rule(data=st.data())
    def void(self, data: st.DataObject) -> None:
        live = [k for k, e in self.entries.items() if e[4]]
        if not live:
            return
        key = data.draw(st.sampled_from(live))
        field, table, record, amount, _ = self.entries[key]
        void_record(table, record, "prop")
        setattr(self, field, getattr(self, field) - amount)
        self.entries[key][4] = False
        self.batches.append(("void", key))

    @rule()
    def undo(self) -> None:
        if not self.batches:
            return
        action, key = self.batches.pop()
        assert undo_last(OPTIONS, "prop") is not None
        if action == "import":
            return
        field, _, _, amount, _ = self.entries[key]
        live = action == "void"  # undoing a void brings the entry back; undoing an add voids it
        self.entries[key][4] = live
        setattr(self, field, getattr(self, field) + (amount if live else -amount))

    @rule(bad=st.sampled_from(["-1", "1.001元", "12万元元", "nan"]))
    def failing_import(self, bad: str) -> None:
        doc = {
            "format": "fundtrack/1",
            "village": {"name": "性质村"},
            "receipts": [{"project": "p", "funder": "县财政", "amount": bad, "date": dt.date(2025, 1, 1)}],
        }
        try:
            import_files([write(doc, self.folder, "bad.toml")], OPTIONS)
        except InputError:
            return
        raise AssertionError("a bad file was imported")

    @invariant()
    def totals_match_the_model(self) -> None:
        if not hasattr(self, "village"):
            return
        bd = service.load_breakdown(service.Scope(AS_OF))
        (p,) = bd.projects
        assert (p.pledged.fen, p.received.fen, p.spent.fen) == (self.pledged, self.received, self.spent)
        lines = service.load_quotas(service.Scope(AS_OF)).lines
        assert sum(line.fact.registered for line in lines) == self.hires

    def teardown(self) -> None:
        database.close()
        shutil.rmtree(self.folder)


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = settings(
    max_examples=12, stateful_step_count=15, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


names = (
    st.text(
        alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp")),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
    .filter(lambda n: text_rules.forbidden(n) is None)  # no zero-width or bidi control (format characters)
)
# A note may hold line breaks and tabs, and no other character that acts on what shows it.
notes = st.text(
    alphabet=st.characters(exclude_characters=text_rules.FORBIDDEN - {"\n", "\t"}, exclude_categories=("Cs",)),
    max_size=30,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    funders=st.lists(names, min_size=2, max_size=5, unique_by=text_rules.key),
    amounts=st.lists(st.tuples(st.integers(0, 10**15), st.booleans()), min_size=1, max_size=12),
    note=notes,
)
def test_export_import_export_is_the_identity_on_generated_ledgers(
    funders: list[str], amounts: list[tuple[int, bool]], note: str
) -> None:
    doc = {
        "format": "fundtrack/1",
        "village": {"name": "生成村"},
        "funders": [{"name": f, "kind": "other"} for f in funders],
        "projects": [{"code": "g", "name": "生成", "category": "other", "status": "planned", "note": note}],
        "pledges": [
            {"project": "g", "funder": funders[i % len(funders)], "amount": canonical_amount(Amount(f, b))}
            for i, (f, b) in enumerate(amounts)
        ],
        "receipts": [
            {
                "project": "g",
                "funder": funders[0],
                "amount": canonical_amount(Amount(f, b)),
                "date": dt.date(2024, 1, 1),
            }
            for f, b in amounts
        ],
    }
    with tempfile.TemporaryDirectory(prefix="fundtrack-rt-") as name:
        _round_trip(doc, amounts, Path(name))


def _round_trip(doc: dict, amounts: list, folder: Path) -> None:
    fresh_store(folder)
    import_files([write(doc, folder)], OPTIONS)
    row = queries.villages()[0]
    first = exporter.to_toml(village_document(row.id, queries.village_values(row)))
    (folder / "first.toml").write_text(first, encoding="utf-8")
    fresh_store(folder, "second.db")
    import_files([str(folder / "first.toml")], OPTIONS)
    row = queries.villages()[0]
    assert exporter.to_toml(village_document(row.id, queries.village_values(row))) == first
    bd = service.load_breakdown(service.Scope(AS_OF))
    assert bd.totals.received.fen == sum(f for f, _ in amounts)
    database.close()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(garbage=st.text(max_size=200), cut=st.integers(min_value=0, max_value=400))
def test_random_malformed_files_never_change_the_database(garbage: str, cut: int) -> None:
    with tempfile.TemporaryDirectory(prefix="fundtrack-bad-") as name:
        _import_malformed(garbage, cut, Path(name))


def _import_malformed(garbage: str, cut: int, folder: Path) -> None:
    fresh_store(folder)
    import_files([write(BASE, folder)], OPTIONS)
    row = queries.villages()[0]
    before = exporter.to_toml(village_document(row.id, queries.village_values(row)))
    text = tomli_w.dumps(
        {**BASE, "receipts": [{"project": "p", "funder": "县财政", "amount": "1万", "date": dt.date(2024, 1, 1)}]}
    )
    broken = text[:cut] + garbage + text[cut:]
    (folder / "broken.toml").write_text(broken, encoding="utf-8")
    try:
        import_files([str(folder / "broken.toml")], OPTIONS)
    except InputError:
        pass
    row = queries.villages()[0]
    after = exporter.to_toml(village_document(row.id, queries.village_values(row)))
    # Either the file was rejected and nothing changed, or it was still a valid file and added to the village.
    assert after == before or m.Receipt.select().count() >= 1
    if after != before:
        assert m.Project.select().count() == 1
    database.close()


def test_amounts_up_to_ten_trillion_yuan_round_trip(tmp_path: Path) -> None:
    big = [10**15, 10**15 - 1, 123_456_789_012_345, 99_999_999_999_999]
    doc = {
        **BASE,
        "receipts": [
            {"project": "p", "funder": "县财政", "amount": canonical_amount(Amount(f)), "date": dt.date(2024, 1, 1)}
            for f in big
        ],
    }
    fresh_store(tmp_path)
    import_files([write(doc, tmp_path)], OPTIONS)
    bd = service.load_breakdown(service.Scope(AS_OF))
    assert bd.totals.received.fen == sum(big)
    assert reports.breakdown_json(bd)["totals"]["received"]["yuan"] == f"{sum(big) // 100}.{sum(big) % 100:02d}"
    database.close()


@pytest.mark.slow
def test_a_million_random_fen_amounts_add_up_exactly(tmp_path: Path) -> None:
    import random

    rnd = random.Random(42)
    # About 9 * 10**15 fen together: near 2**53 (where floats stop counting fen) and below the
    # village limit of 10**14 yuan.
    amounts = [rnd.randint(1, 18 * 10**9) for _ in range(1_000_000)]
    lines = [tomli_w.dumps(BASE)]
    for f in amounts:
        lines.append(
            f'\n[[receipts]]\nproject = "p"\nfunder = "县财政"\namount = "{f // 100}.{f % 100:02d}元"\n'
            "date = 2024-01-01\n"
        )
    path = tmp_path / "million.toml"
    path.write_text("".join(lines), encoding="utf-8")
    fresh_store(tmp_path)
    import_files([str(path)], OPTIONS)
    bd = service.load_breakdown(service.Scope(AS_OF))
    assert bd.totals.received.fen == sum(amounts)
    database.close()


_MEMBERS = st.lists(st.sampled_from(["甲", "乙", "丙"]), min_size=1, max_size=3, unique=True)


@settings(max_examples=300, deadline=None)
@given(
    own=st.dictionaries(st.sampled_from(["甲", "乙", "丙"]), st.integers(0, 500)),
    joint=st.lists(st.tuples(_MEMBERS, st.integers(0, 500)), max_size=3),
    levied=st.dictionaries(st.sampled_from(["甲", "丙"]), st.tuples(st.integers(0, 50), st.integers(0, 5))),
    receipts=st.lists(st.tuples(st.sampled_from(["甲", "乙", "丙", "丁"]), st.integers(0, 800)), max_size=12),
)
def test_receipts_one_at_a_time_end_where_their_sums_do(own, joint, levied, receipts) -> None:
    """What the journal credits receipt by receipt adds up, line by line, to the breakdown's attribution."""
    pledges = [PledgeFact(1, (f,), "enterprise", "cash", Amount(v), 1) for f, v in own.items()]
    pledges += [PledgeFact(1, tuple(ms), "enterprise", "cash", Amount(v), 1, joint=True) for ms, v in joint]
    levies = [LevyFact(1, f, Amount(per), hh) for f, (per, hh) in levied.items()]
    sums: dict[str, tuple[str, Amount]] = {}
    for funder, v in receipts:
        sums[funder] = ("enterprise", Amount(sums.get(funder, ("", Amount(0)))[1].fen + v))
    whole = attribute(pledges, levies, sums, {})
    one_by_one = Attribution(pledges, levies, {})
    for funder, v in sorted(receipts, key=lambda r: r[0]):
        parts = one_by_one.receive(funder, "enterprise", Amount(v))
        assert sum(fen for _, fen in parts) == v
        assert len({id(line) for line, _ in parts}) == len(parts)
    assert [(ln.funders, ln.received.fen) for ln in one_by_one.lines] == [(ln.funders, ln.received.fen) for ln in whole]
