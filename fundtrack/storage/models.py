"""peewee models for every table of fundtrack/1; money is integer fen plus a 余 flag."""

from __future__ import annotations

import peewee

from fundtrack.storage.db import database


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


class RecordModel(BaseModel):
    """A record of the data format: voided instead of deleted, and tagged with the change that wrote it."""

    voided = peewee.BooleanField(default=False)
    batch = peewee.IntegerField(null=True)  # the audit-trail batch that added it (undo of an import uses it)


class SchemaVersion(BaseModel):
    version = peewee.IntegerField()
    applied_at = peewee.DateTimeField()


class Village(BaseModel):
    name = peewee.TextField(unique=True)
    township = peewee.TextField(null=True)
    county = peewee.TextField(null=True)
    ethnic_groups = peewee.TextField(null=True)  # JSON list of names
    households = peewee.IntegerField(null=True)
    people = peewee.IntegerField(null=True)


class Settlement(RecordModel):
    village = peewee.ForeignKeyField(Village, backref="settlements")
    name = peewee.TextField()
    households = peewee.IntegerField(null=True)
    people = peewee.IntegerField(null=True)
    note = peewee.TextField(null=True)

    class Meta:
        indexes = ((("village", "name"), True),)


class Household(RecordModel):
    """One household of a village's register (户籍花名册)."""

    village = peewee.ForeignKeyField(Village, backref="households")
    code = peewee.TextField()
    head = peewee.TextField(null=True)
    settlement = peewee.ForeignKeyField(Settlement, null=True)
    people = peewee.IntegerField(null=True)
    exempt = peewee.BooleanField(default=False)
    exempt_reason = peewee.TextField(null=True)
    note = peewee.TextField(null=True)

    class Meta:
        indexes = ((("village", "code"), True),)


class Funder(RecordModel):
    village = peewee.ForeignKeyField(Village, backref="funders")
    name = peewee.TextField()
    kind = peewee.TextField()
    # True when the funder exists only because an enterprise of that name does.
    implied = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("village", "name"), True),)


class Enterprise(RecordModel):
    village = peewee.ForeignKeyField(Village, backref="enterprises")
    funder = peewee.ForeignKeyField(Funder, unique=True)
    name = peewee.TextField()
    kind = peewee.TextField()
    hiring_quota = peewee.IntegerField()
    management_quota = peewee.IntegerField(default=0)
    quota_given = peewee.BooleanField(default=False)  # hiring_quota was in the file, not the default

    class Meta:
        indexes = ((("village", "name"), True),)


class Project(RecordModel):
    village = peewee.ForeignKeyField(Village, backref="projects")
    code = peewee.TextField()
    name = peewee.TextField()
    category = peewee.TextField()
    status = peewee.TextField()
    budget_fen = peewee.BigIntegerField(null=True)
    budget_at_least = peewee.BooleanField(default=False)
    parent = peewee.ForeignKeyField("self", null=True, backref="children")
    beneficiary_households = peewee.IntegerField(null=True)
    beneficiary_people = peewee.IntegerField(null=True)
    start = peewee.DateField(null=True)
    expected_end = peewee.DateField(null=True)
    note = peewee.TextField(null=True)

    class Meta:
        indexes = ((("village", "code"), True),)


class ProjectSettlement(BaseModel):
    project = peewee.ForeignKeyField(Project, backref="settlement_links")
    settlement = peewee.ForeignKeyField(Settlement)
    position = peewee.IntegerField()


class Milestone(RecordModel):
    project = peewee.ForeignKeyField(Project, backref="milestones", index=True)
    name = peewee.TextField()
    status = peewee.TextField()
    due = peewee.DateField(null=True)
    note = peewee.TextField(null=True)


class Pledge(RecordModel):
    project = peewee.ForeignKeyField(Project, backref="pledges")
    # A single funder's pledge names it here; a joint pledge leaves it empty and lists
    # its members in PledgeFunder.
    funder = peewee.ForeignKeyField(Funder, null=True)
    joint = peewee.BooleanField(default=False)
    amount_fen = peewee.BigIntegerField(null=True)  # NULL: in-kind given without a value
    at_least = peewee.BooleanField(default=False)
    form = peewee.TextField(default="cash")
    quantity = peewee.TextField(null=True)
    date = peewee.DateField(null=True)
    ref = peewee.TextField(null=True)
    note = peewee.TextField(null=True)

    class Meta:
        indexes = ((("project", "funder", "form"), False),)


class PledgeFunder(BaseModel):
    pledge = peewee.ForeignKeyField(Pledge, backref="members", index=True)
    funder = peewee.ForeignKeyField(Funder)
    position = peewee.IntegerField()


class Levy(RecordModel):
    project = peewee.ForeignKeyField(Project, backref="levies")
    funder = peewee.ForeignKeyField(Funder)
    per_household_fen = peewee.BigIntegerField()
    at_least = peewee.BooleanField(default=False)
    households = peewee.IntegerField()


class Receipt(RecordModel):
    project = peewee.ForeignKeyField(Project, backref="receipts", index=False)
    funder = peewee.ForeignKeyField(Funder, index=False)
    amount_fen = peewee.BigIntegerField()
    at_least = peewee.BooleanField(default=False)
    date = peewee.DateField()
    voucher = peewee.TextField(null=True)
    household = peewee.TextField(null=True)
    note = peewee.TextField(null=True)

    class Meta:
        indexes = ((("project", "funder"), False), (("funder",), False))


class Expense(RecordModel):
    project = peewee.ForeignKeyField(Project, backref="expenses")
    amount_fen = peewee.BigIntegerField()
    at_least = peewee.BooleanField(default=False)
    date = peewee.DateField()
    item = peewee.TextField()
    voucher = peewee.TextField(null=True)
    note = peewee.TextField(null=True)


class Hire(RecordModel):
    enterprise = peewee.ForeignKeyField(Enterprise, backref="hires", index=False)
    person = peewee.TextField()
    role = peewee.TextField()
    start = peewee.DateField()
    end = peewee.DateField(null=True)
    settlement = peewee.ForeignKeyField(Settlement, null=True)
    id_number = peewee.TextField(null=True)
    note = peewee.TextField(null=True)

    class Meta:
        indexes = ((("enterprise", "role", "start"), False),)


class Headcount(RecordModel):
    enterprise = peewee.ForeignKeyField(Enterprise, backref="headcounts", index=False)
    date = peewee.DateField()
    local_workers = peewee.IntegerField()
    management = peewee.IntegerField(null=True)

    class Meta:
        indexes = ((("enterprise", "date"), False),)


class Change(BaseModel):
    """One entry of the audit trail, written in the same transaction as the change it records."""

    batch = peewee.IntegerField(index=True)  # one user action (an import, a correction) may touch several records
    at = peewee.DateTimeField()
    operator = peewee.TextField()
    action = peewee.TextField()  # import, add, edit, void, undo
    table = peewee.TextField(null=True)
    record = peewee.IntegerField(null=True)
    before = peewee.TextField(null=True)  # JSON
    after = peewee.TextField(null=True)  # JSON
    undone = peewee.BooleanField(default=False)
    # The village the change belongs to (on PostgreSQL its row-level policy reads it); NULL for none.
    village_id = peewee.IntegerField(null=True, index=True)
    reason = peewee.TextField(null=True)  # why a record was voided, as the person voiding it said


class ReceiptSerial(BaseModel):
    """A printed 收据's serial: given at its first print, in order per village, never reused or renumbered."""

    village = peewee.ForeignKeyField(Village, backref="receipt_serials")
    serial = peewee.IntegerField()
    receipt = peewee.ForeignKeyField(Receipt, unique=True)
    first_printed = peewee.DateTimeField()
    operator = peewee.TextField(default="")
    prints = peewee.IntegerField(default=1)  # how many times it was printed: more than one shows 补打

    class Meta:
        indexes = ((("village", "serial"), True),)


# In dependency order: create in this order, drop in reverse.
MODELS: tuple[type[BaseModel], ...] = (
    Village,
    Settlement,
    Household,
    Funder,
    Enterprise,
    Project,
    ProjectSettlement,
    Milestone,
    Pledge,
    PledgeFunder,
    Levy,
    Receipt,
    Expense,
    Hire,
    Headcount,
    ReceiptSerial,
)


# The data format's tables and the model that stores each.
TABLE_MODELS: dict[str, type[RecordModel]] = {
    "settlements": Settlement,
    "households": Household,
    "funders": Funder,
    "enterprises": Enterprise,
    "projects": Project,
    "milestones": Milestone,
    "pledges": Pledge,
    "levies": Levy,
    "receipts": Receipt,
    "expenses": Expense,
    "hires": Hire,
    "headcounts": Headcount,
}
