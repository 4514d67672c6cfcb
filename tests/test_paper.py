"""Paper: the 收据 (amounts in capitals, serial rules, marks) and the 公示, read back from the PDF with pdftotext."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from fundtrack.cli.main import main
from fundtrack.io.config import Config
from fundtrack.io.paper import rmb_daxie
from fundtrack.ledger.levies import HouseholdFact, LevyRoll, status_of
from fundtrack.ledger.money import Amount
from fundtrack.ledger.paper import figures, tally_of
from fundtrack.service.records import void_record
from fundtrack.storage import models as m
from fundtrack.storage.db import open_database
from tests.conftest import ROOT, load_doc

needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")

DOC = """
[[funders]]
name = "上级拨款"
kind = "upper_grant"

[[funders]]
name = "安居房住户"
kind = "villagers"

[[projects]]
code = "road"
name = "通组道路"
category = "road"
status = "building"
budget = "1万"

[[pledges]]
project = "road"
funder = "上级拨款"
amount = "9000元"

[[levies]]
project = "road"
funder = "安居房住户"
per_household = "500元"
households = 3

[[receipts]]
project = "road"
funder = "上级拨款"
amount = "5000元"
date = 2025-03-01
voucher = "V-1"

[[receipts]]
project = "road"
funder = "安居房住户"
amount = "500元"
date = 2025-03-05
household = "一组-01"

[[receipts]]
project = "road"
funder = "安居房住户"
amount = "200.50元"
date = 2025-04-02
household = "一组-02"
"""


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (500_000, "人民币（大写）伍仟元整"),
        (500_050, "人民币（大写）伍仟元伍角整"),
        (500_005, "人民币（大写）伍仟元零伍分"),
        (500_055, "人民币（大写）伍仟元伍角伍分"),
        (50, "人民币（大写）伍角整"),
        (5, "人民币（大写）伍分"),
        (1_000_500, "人民币（大写）壹万零伍元整"),
        (101_001, "人民币（大写）壹仟零壹拾元零壹分"),
        (600_000_000, "人民币（大写）陆佰万元整"),
    ],
)
def test_daxie_takes_zheng_after_yuan_or_jiao_only(fen: int, text: str) -> None:
    assert rmb_daxie(fen) == text


def test_figures_have_the_yuan_sign_and_separators() -> None:
    assert figures(500_000) == "￥5,000.00"
    assert figures(5) == "￥0.05"
    assert figures(600_000_000) == "￥6,000,000.00"


def _roll(paid: dict[str, int], register: list[HouseholdFact] | None, households: int = 4) -> LevyRoll:
    """A levy of 500 yuan a household, its roll from `register` (or from the households that paid)."""
    from fundtrack.ledger.levies import RollLine

    per = Amount(50_000)
    lines = []
    for hh in register or [HouseholdFact(code, None, None, False) for code in paid]:
        expected = Amount(0) if hh.exempt else per
        got = Amount(paid.get(hh.code, 0))
        owed = Amount(max(expected.fen - got.fen, 0))
        lines.append(
            RollLine(hh.code, hh.head, hh.settlement, expected, got, owed, status_of(expected, got, hh.exempt))
        )
    return LevyRoll("村", "p", "项目", "群众", per, households, tuple(lines), register is not None, Amount(0))


def test_households_paid_of_expected_without_a_register() -> None:
    tally = tally_of(_roll({"a": 50_000, "b": 50_000, "c": 10_000}, None))
    assert (tally.expected, tally.paid) == (4, 2)
    assert [(o.household, o.paid_fen, o.outstanding_fen) for o in tally.partial] == [("c", 10_000, 40_000)]
    assert tally.unpaid == 1 and tally.unpaid_named == []


def test_households_paid_of_expected_on_a_register_names_the_unpaid() -> None:
    register = [
        HouseholdFact("新云-001", "王文才", "新云", False),
        HouseholdFact("新云-002", "安玉兰", "新云", False),
        HouseholdFact("新云-003", "刘绍先", "新云", False),
        HouseholdFact("新云-004", "罗成林", "新云", True),  # 五保户
    ]
    tally = tally_of(_roll({"新云-001": 50_000, "新云-002": 20_000}, register, households=4))
    assert (tally.expected, tally.paid, tally.exempt, tally.unpaid) == (3, 1, 1, 1)
    assert [(o.household, o.head, o.outstanding_fen) for o in tally.partial] == [("新云-002", "安玉兰", 30_000)]
    assert [(o.household, o.head) for o in tally.unpaid_named] == [("新云-003", "刘绍先")]


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout


def serials() -> dict[str, int]:
    """Serials given so far, by the receipt's voucher or household."""
    S, R = m.ReceiptSerial, m.Receipt
    return {(v or h): s for v, h, s in S.select(R.voucher, R.household, S.serial).join(R).tuples()}


@needs_pdftotext
def test_serials_first_print_reprint_and_void(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, DOC)
    out = tmp_path / "r.pdf"
    assert main(["--db", backend, "print", "receipts", "--funder", "安居房住户", "-o", str(out)]) == 0
    assert serials() == {"一组-01": 1, "一组-02": 2}  # in date order
    first = pdf_text(out)
    assert "No.000001" in first and "No.000002" in first
    assert "人民币（大写）伍佰元整" in first and "￥200.50" in first and "人民币（大写）贰佰元伍角整" in first
    assert "一组-01" in first and "安居房住户自筹款（每户500.00元）" in first
    assert "补打" not in first and "作废" not in first

    assert main(["--db", backend, "print", "receipts", "-o", str(out)]) == 0  # all three: one new, two again
    assert serials() == {"一组-01": 1, "一组-02": 2, "V-1": 3}
    page = {n: pdf_text(out, n) for n in (1, 2, 3)}
    assert "No.000003" in page[1] and "补打" not in page[1]  # V-1 is the oldest, printed first now
    assert "上级拨款承诺资金到位" in page[1] and "人民币（大写）伍仟元整" in page[1]
    assert "No.000001" in page[2] and "补打" in page[2]
    assert "No.000002" in page[3] and "补打" in page[3]

    receipt = m.Receipt.get(m.Receipt.household == "一组-02")
    assert void_record("receipts", receipt.id) == []
    assert main(["--db", backend, "print", "receipts", "--household", "一组-02", "-o", str(out)]) == 0
    text = pdf_text(out)
    assert "No.000002" in text and "作废" in text and "补打" in text
    assert serials() == {"一组-01": 1, "一组-02": 2, "V-1": 3}  # the voided receipt's serial stays
    assert m.ReceiptSerial.get(m.ReceiptSerial.receipt == receipt.id).prints == 3


def test_no_receipt_matching_prints_nothing(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, DOC)
    out = tmp_path / "r.pdf"
    assert main(["--db", backend, "print", "receipts", "--from", "2030-01-01", "-o", str(out)]) == 2
    assert not out.exists()
    assert m.ReceiptSerial.select().count() == 0
    assert main(["--db", backend, "print", "receipts", "--from", "yesterday", "-o", str(out)]) == 2


def test_a_sheet_not_written_gives_no_serial(backend: str, config: Config, tmp_path: Path) -> None:
    from fundtrack.service.paper import ReceiptChoice, print_receipts

    load_doc(tmp_path, config, DOC)

    def fail(_: bytes, __: list[int]) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        print_receipts(ReceiptChoice(), "张三", fail)
    assert m.ReceiptSerial.select().count() == 0


PRINTER = textwrap.dedent(
    """
    import os, sys
    os.environ["FUNDTRACK_NO_USER_CONFIG"] = "1"
    from fundtrack.service.paper import ReceiptChoice, print_receipts
    from fundtrack.storage.db import open_database
    target, ids = sys.argv[1], [int(i) for i in sys.argv[2].split(",")]
    open_database(target)
    for i in ids:
        assert print_receipts(ReceiptChoice(receipt_id=i), "printer", lambda pdf, serials: None) == 1
    """
)


@pytest.mark.parametrize("printers", [2, 4])
def test_printers_at_once_never_share_a_serial(backend: str, config: Config, tmp_path: Path, printers: int) -> None:
    rows = "".join(
        f'\n[[receipts]]\nproject = "road"\nfunder = "安居房住户"\namount = "1元"\ndate = 2025-05-01\nhousehold = "h{i}"\n'
        for i in range(printers * 15)
    )
    load_doc(tmp_path, config, DOC + rows)
    ids = [r.id for r in m.Receipt.select(m.Receipt.id).order_by(m.Receipt.id)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", PRINTER, backend, ",".join(map(str, ids[w::printers]))],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(printers)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-2000:]
    open_database(backend)
    given = [s for (s,) in m.ReceiptSerial.select(m.ReceiptSerial.serial).tuples()]
    assert sorted(given) == list(range(1, len(ids) + 1))


@needs_pdftotext
def test_notice_shows_sources_levy_and_seal(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, DOC)
    out = tmp_path / "n.pdf"
    assert main(["--db", backend, "print", "notice", "--as-of", "2025-06-30", "--with-unpaid", "-o", str(out)]) == 0
    text = "".join(pdf_text(out).split())  # lines wrap where the page ends them
    for piece in (
        "测试村项目资金公示",
        "总投资：10,000.00元",
        "9,000.00元",
        "90.00%",
        "已到位：5,700.50元",
        "应交3户，已交清1户，部分交纳1户，未交1户",
        "一组-02",
        "299.50元",
        "测试村村民委员会（盖章）",
        "2025年6月30日",
    ):
        assert piece in text, piece
    size = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    assert "595.276 x 841.89" in size  # A4
    assert main(["--db", backend, "print", "notice", "--as-of", "2025-03-02", "--a3", "-o", str(out)]) == 0
    text = "".join(pdf_text(out).split())
    assert "已到位：5,000.00元" in text and "已交清0户" in text and "一组-02" not in text
    assert "841.89 x 1190.55" in subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout


GOLDEN = ROOT / "tests" / "golden"


@needs_pdftotext
@pytest.mark.parametrize(
    ("name", "argv"),
    [
        ("notice.txt", ["print", "notice", "--as-of", "2025-06-30", "--with-unpaid"]),
        ("receipts.txt", ["print", "receipts", "--project", "housing-1", "--to", "2024-04-02"]),
    ],
)
def test_paper_text_matches_golden(backend: str, tmp_path: Path, name: str, argv: list[str]) -> None:
    """What a reader copies out of the PDF (pdftotext), the same on both backends."""
    import os

    from tests.conftest import SAMPLE

    assert main(["--db", backend, "import", *map(str, SAMPLE)]) == 0
    out = tmp_path / "out.pdf"
    settings = tmp_path / "operator.toml"
    settings.write_text('operator = "张会计"\n', encoding="utf-8")  # the same 经办人 whoever runs the tests
    assert main(["--db", backend, "--config", str(settings), *argv, "-o", str(out)]) == 0
    text = pdf_text(out)
    golden = GOLDEN / name
    if os.environ.get("FUNDTRACK_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@needs_pdftotext
def test_undoing_the_import_of_a_printed_village_keeps_its_serials(
    backend: str, config: Config, tmp_path: Path
) -> None:
    """The undo of the import that created a village whose receipts were printed deleted the serials with
    the village, and a re-import gave No.000001 again to another receipt: a serial on paper is never
    given again. The undo voids the records and the village stays with its receipt book."""
    from fundtrack.service.records import undo_last

    load_doc(tmp_path, config, DOC)
    assert main(["--db", backend, "print", "receipts", "-o", str(tmp_path / "r.pdf")]) == 0
    serials = sorted(s for (s,) in m.ReceiptSerial.select(m.ReceiptSerial.serial).tuples())
    assert undo_last(config.import_options) is not None
    assert m.Village.select().count() == 1
    assert sorted(s for (s,) in m.ReceiptSerial.select(m.ReceiptSerial.serial).tuples()) == serials
    assert m.Receipt.select().where(m.Receipt.voided == False).count() == 0  # noqa: E712
    again = tmp_path / "again.pdf"
    assert main(["--db", backend, "print", "receipts", "-o", str(again)]) == 0
    assert "作废" in pdf_text(again)


def test_each_village_numbers_its_own_receipts(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, DOC)
    other = 'format = "fundtrack/1"\n[village]\nname = "邻村"\n' + DOC
    load_doc(tmp_path, config, other, header=False)
    for village in ("测试村", "邻村"):
        out = tmp_path / f"{village}.pdf"
        assert main(["--db", backend, "--village", village, "print", "receipts", "-o", str(out)]) == 0
    S, V = m.ReceiptSerial, m.Village
    by_village: dict[str, list[int]] = {}
    for name, serial in S.select(V.name, S.serial).join(V).order_by(S.serial).tuples():
        by_village.setdefault(name, []).append(serial)
    assert by_village == {"测试村": [1, 2, 3], "邻村": [1, 2, 3]}


def test_full_width_household_finds_its_receipts(backend: str, config: Config, tmp_path: Path) -> None:
    from fundtrack.service.paper import ReceiptChoice, print_receipts

    load_doc(tmp_path, config, DOC)
    printed: list[list[int]] = []
    count = print_receipts(ReceiptChoice(household="一组－０２"), "张三", lambda _, serial: printed.append(serial))
    assert count == 1 and printed == [[1]]
    assert print_receipts(ReceiptChoice(household="一组-0"), "张三", lambda *_: None) == 0  # no partial match


def test_output_into_a_missing_folder_is_refused_not_made(backend: str, config: Config, tmp_path: Path) -> None:
    load_doc(tmp_path, config, DOC)
    missing = tmp_path / "no" / "such"
    assert main(["--db", backend, "print", "notice", "-o", str(missing / "x.pdf")]) == 2
    assert main(["--db", backend, "report", "breakdown", "-o", str(missing / "x.csv")]) == 2
    assert not (tmp_path / "no").exists()
    assert m.ReceiptSerial.select().count() == 0


@needs_pdftotext
def test_notice_numbers_its_pages_says_none_and_sums_shares_over_100(tmp_path: Path) -> None:
    import datetime as dt
    from decimal import Decimal

    from fundtrack.io.paper import Notice, NoticeProject, Source, notice_pdf

    def project(name: str, sources: list[Source], pledged: int) -> NoticeProject:
        return NoticeProject(name, name, Amount(100_000_00), sources, Amount(0), Amount(0), pledged=Amount(pledged))

    over = [Source("上级拨款", Amount(80_000_00), Decimal("0.8")), Source("企业", Amount(40_000_00), Decimal("0.4"))]
    many = [project(f"工程{i}", over if i == 0 else [], 120_000_00 if i == 0 else 0) for i in range(12)]
    out = tmp_path / "n.pdf"
    out.write_bytes(notice_pdf(Notice("某村", dt.date(2025, 6, 30), many)))
    text = pdf_text(out)
    assert "合计" in text and "120.00%" in text and "各方承诺合计超过总投资20,000.00元" in text
    assert text.count("资金来源：暂无") == 11
    total = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True).stdout
    pages = int(next(line.split()[-1] for line in total.splitlines() if line.startswith("Pages:")))
    assert pages >= 2
    assert all(f"第{n}页共{pages}页" in pdf_text(out, n).replace(" ", "") for n in range(1, pages + 1))


@needs_pdftotext
def test_a_long_or_marked_up_name_prints_escaped_and_cut_never_exit_3(sqlite_db: str, tmp_path: Path) -> None:
    """A funder named with 10,000 characters made the notice fail with reportlab's LayoutError (exit 3);
    a name holding `<b>` or `&` is text, not markup."""
    long = "长" * 3000
    doc = tmp_path / "long.toml"
    doc.write_text(
        f'format = "fundtrack/1"\n[village]\nname = "长名村"\n'
        f'[[funders]]\nname = "{long}"\nkind = "other"\n[[funders]]\nname = "A&B<b>公司"\nkind = "other"\n'
        '[[projects]]\ncode = "p"\nname = "项目<i>x</i>"\ncategory = "road"\nstatus = "building"\nbudget = "10万"\n'
        f'[[pledges]]\nproject = "p"\nfunder = "{long}"\namount = "5万"\n'
        '[[pledges]]\nproject = "p"\nfunder = "A&B<b>公司"\namount = "1万"\n'
        f'[[receipts]]\nproject = "p"\nfunder = "{long}"\namount = "1万"\ndate = 2024-01-01\n',
        encoding="utf-8",
    )
    assert main(["--db", sqlite_db, "import", str(doc)]) == 0
    notice, receipts = tmp_path / "n.pdf", tmp_path / "r.pdf"
    assert main(["--db", sqlite_db, "print", "notice", "-o", str(notice)]) == 0
    assert main(["--db", sqlite_db, "print", "receipts", "-o", str(receipts)]) == 0
    text = pdf_text(notice)
    assert "A&B<b>公司" in text and "项目<i>x</i>" in text
    assert "长" * 100 not in pdf_text(receipts).replace("\n", "")
