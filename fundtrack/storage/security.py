"""A county's PostgreSQL database: roles, grants and row-level security, and its users (no-ops on SQLite).

Three group roles say what a login role may do: `fundtrack_committee` reads and writes the villages
listed for it in `village_access`, `fundtrack_auditor` reads those (or every village, listed as NULL),
`fundtrack_admin` owns the tables. PostgreSQL enforces it for every client (fundtrack, psql, ...):
every table that belongs to a village has a policy, declared once in GUARDED below.

The tables are owned by `fundtrack_admin` without FORCE ROW LEVEL SECURITY: an admin (and the
database's owner, who is made one) is the owner, so it sees and changes every village and can migrate
the schema; the policies also let an admin through, so this holds after a restore that changed owners.
A superuser is no fundtrack user: PostgreSQL lets it past every check anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from fundtrack.storage.db import StoreError, database, is_sqlite, redact

ROLES = ("committee", "auditor", "admin")
GROUP = {role: f"fundtrack_{role}" for role in ROLES}
ACCESS_TABLE = "village_access"
VILLAGES_FUNCTION = "fundtrack_villages"
SEES_ALL_FUNCTION = "fundtrack_sees_all"


@dataclass(frozen=True)
class Guarded:
    """A table that belongs to a village, and how one of its rows reaches its village: `column` holds the
    village's id itself (`via` None), or the id of a row of `via`, another guarded table whose own policy
    then decides (a receipt is seen exactly when its project is)."""

    table: str
    column: str
    via: str | None = None


# Every table of a village, in the order the policies are made. A new table is one line here
# (its village column, or the guarded table it hangs from); the next migration then covers it.
GUARDED: tuple[Guarded, ...] = (
    Guarded("village", "id"),
    Guarded("settlement", "village_id"),
    Guarded("funder", "village_id"),
    Guarded("enterprise", "village_id"),
    Guarded("project", "village_id"),
    Guarded("project_settlement", "project_id", "project"),
    Guarded("milestone", "project_id", "project"),
    Guarded("pledge", "project_id", "project"),
    Guarded("pledge_funder", "pledge_id", "pledge"),
    Guarded("levy", "project_id", "project"),
    Guarded("receipt", "project_id", "project"),
    Guarded("expense", "project_id", "project"),
    Guarded("hire", "enterprise_id", "enterprise"),
    Guarded("headcount", "enterprise_id", "enterprise"),
    Guarded("change", "village_id"),
    Guarded("receipt_serial", "village_id"),
    Guarded("household", "village_id"),
)

# Read by every role (the schema's version is checked on opening).
SHARED_READ = ("schema_version",)


def ident(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def _run(sql: str, params: tuple = ()) -> list[tuple]:
    cursor = database.execute_sql(sql, params)
    return list(cursor.fetchall()) if cursor.description else []


def _schema() -> str:
    return _run("SELECT current_schema()")[0][0]


def policy_condition(guard: Guarded) -> str:
    """The policy's test of a row.

    Measured on the county set (PostgreSQL 15): a role that sees every village (an auditor of all,
    an admin after a restore) passes on `(SELECT fundtrack_sees_all())`, one InitPlan a statement,
    so its reports cost what they cost without policies (the per-row test was 2.5 times the
    report's time otherwise). Through another table the test is an EXISTS, not `column IN (SELECT
    id FROM via)`: with the IN form PostgreSQL read every receipt of the county for one village's
    GROUP BY (a sequential scan, 557 ms against 32 ms); with EXISTS it keeps the index."""
    sees_all = f"(SELECT {SEES_ALL_FUNCTION}())"
    if guard.via is None:
        return f"{sees_all} OR {ident(guard.column)} = ANY ((SELECT {VILLAGES_FUNCTION}())::integer[])"
    row = f"{ident(guard.table)}.{ident(guard.column)}"
    return f"{sees_all} OR EXISTS (SELECT 1 FROM {ident(guard.via)} o WHERE o.id = {row})"


def _create_groups() -> None:
    for group in GROUP.values():
        # Roles belong to the whole server: another fundtrack database there may have made them.
        _run(
            "DO $$ BEGIN "
            f"IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{group}') THEN CREATE ROLE {ident(group)} NOLOGIN; "
            "END IF; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )


def _is_superuser() -> bool:
    return bool(_run("SELECT rolsuper FROM pg_roles WHERE rolname = session_user")[0][0])


def secure() -> None:
    """Set up (again) the roles, grants and policies of the open PostgreSQL database; idempotent.

    Run by the migrations (on every schema change, so that a table added later is covered) and by
    `fundtrack init`; needs the owner, a superuser or an admin."""
    if is_sqlite():
        return
    schema = _schema()
    _create_groups()
    admin, committee, auditor = GROUP["admin"], GROUP["committee"], GROUP["auditor"]
    if not _is_superuser():
        _run(f"GRANT {ident(admin)} TO session_user")  # the owner who sets the database up is an admin
    _run(
        f"CREATE TABLE IF NOT EXISTS {ident(ACCESS_TABLE)} ("
        "member TEXT NOT NULL, "
        "village_id INTEGER REFERENCES village (id) ON DELETE CASCADE)"
    )
    # What the login role may read: every village (an admin, an auditor listed without villages),
    # else the villages listed for it. Run with their owner's rights (they read village_access,
    # which nobody else may read); the policies ask each once per statement.
    definer = f"LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {ident(schema)}, pg_temp"
    _run(
        f"CREATE OR REPLACE FUNCTION {SEES_ALL_FUNCTION}() RETURNS boolean {definer} AS $$ "
        f"SELECT pg_has_role(session_user, '{admin}', 'MEMBER') "
        f"OR (pg_has_role(session_user, '{auditor}', 'MEMBER') AND EXISTS (SELECT 1 FROM {ident(ACCESS_TABLE)} a "
        "WHERE a.member = session_user AND a.village_id IS NULL)) $$"
    )
    # Made anew each time (its type may change; CASCADE drops the policies, which are made again below).
    _run(f"DROP FUNCTION IF EXISTS {VILLAGES_FUNCTION}() CASCADE")
    _run(
        f"CREATE FUNCTION {VILLAGES_FUNCTION}() RETURNS integer[] {definer} AS $$ "
        f"SELECT COALESCE(array_agg(a.village_id), '{{}}') FROM {ident(ACCESS_TABLE)} a "
        "WHERE a.member = session_user AND a.village_id IS NOT NULL $$"
    )
    for function in (SEES_ALL_FUNCTION, VILLAGES_FUNCTION):
        _run(f"REVOKE ALL ON FUNCTION {function}() FROM PUBLIC")
        _run(f"GRANT EXECUTE ON FUNCTION {function}() TO {ident(committee)}, {ident(auditor)}, {ident(admin)}")
    present = {r[0] for r in _run("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
    owned = [
        t for t in (*SHARED_READ, ACCESS_TABLE, *(g.table for g in GUARDED)) if t in present and not _owned_by(t, admin)
    ]
    for table in owned:
        _run(f"ALTER TABLE {ident(table)} OWNER TO {ident(admin)}")
    for function in (SEES_ALL_FUNCTION, VILLAGES_FUNCTION):
        if not _owned_by_function(function, admin):
            _run(f"ALTER FUNCTION {function}() OWNER TO {ident(admin)}")
    _run(f"REVOKE ALL ON {ident(ACCESS_TABLE)} FROM PUBLIC")
    for table in SHARED_READ:
        _run(f"GRANT SELECT ON {ident(table)} TO {ident(committee)}, {ident(auditor)}")
    for guard in GUARDED:
        if guard.table not in present:
            continue
        table = ident(guard.table)
        _run(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {ident(committee)}")
        _run(f"GRANT SELECT ON {table} TO {ident(auditor)}")
        _run(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        _run(f"DROP POLICY IF EXISTS fundtrack_village ON {table}")
        condition = policy_condition(guard)
        _run(f"CREATE POLICY fundtrack_village ON {table} USING ({condition}) WITH CHECK ({condition})")
    _run(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {ident(schema)} TO {ident(committee)}")


def _owned_by(table: str, role: str) -> bool:
    return bool(
        _run(
            "SELECT pg_get_userbyid(c.relowner) = %s FROM pg_class c "
            "WHERE c.oid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(%s))",
            (role, table),
        )[0][0]
    )


def _owned_by_function(function: str, role: str) -> bool:
    rows = _run(
        "SELECT pg_get_userbyid(p.proowner) = %s FROM pg_proc p WHERE p.proname = %s "
        "AND p.pronamespace = current_schema()::regnamespace",
        (role, function),
    )
    return bool(rows and rows[0][0])


def disable() -> None:
    """Take the policies away again (the benchmark's baseline); `secure()` puts them back."""
    for guard in GUARDED:
        _run(f"ALTER TABLE IF EXISTS {ident(guard.table)} DISABLE ROW LEVEL SECURITY")


# --- who is working -------------------------------------------------------------------------


def login_operator() -> str | None:
    """The login role (session_user) on PostgreSQL, which the audit trail names whatever the settings
    say; None on SQLite and for a superuser (a maintenance login that may be shared: the settings name
    who works)."""
    if is_sqlite():
        return None
    name, superuser = _run("SELECT session_user, rolsuper FROM pg_roles WHERE rolname = session_user")[0]
    return None if superuser else name


def role_of(name: str | None = None) -> str | None:
    """The fundtrack role (admin, auditor, committee, the strongest first) of a login role (default: this
    session's); None on SQLite, for a superuser and for a role with none (it may still own the database)."""
    if is_sqlite():
        return None
    rows = _run(
        "SELECT r.rolsuper, "
        + ", ".join(f"pg_has_role(r.oid, '{GROUP[role]}', 'MEMBER')" for role in ("admin", "auditor", "committee"))
        + " FROM pg_roles r WHERE r.rolname = COALESCE(%s, session_user) "
        "AND EXISTS (SELECT FROM pg_roles WHERE rolname = 'fundtrack_admin')",
        (name,),
    )
    if not rows or rows[0][0]:
        return None
    for role, member in zip(("admin", "auditor", "committee"), rows[0][1:], strict=True):
        if member:
            return role
    return None


# --- users (on an admin's connection) ---------------------------------------------------------


@dataclass(frozen=True)
class User:
    name: str
    role: str
    villages: tuple[str, ...] | None  # None: every village


def _where() -> str:
    return redact(str(database.database))


def _village_ids(names: list[str]) -> list[int]:
    ids = []
    for name in names:
        rows = _run("SELECT id FROM village WHERE name = %s", (name,))
        if not rows:
            raise StoreError(_where(), "admin_no_village", village=name)
        ids.append(rows[0][0])
    return ids


def _check_sqlite() -> None:
    """Users exist on PostgreSQL only, and only an admin (or the owner, a superuser) manages them."""
    if is_sqlite():
        raise StoreError(_where(), "admin_sqlite")
    if role_of() in ("committee", "auditor"):
        raise StoreError(_where(), "admin_only")


def _check_name(name: str) -> None:
    if not name or len(name.encode()) > 63 or any(ord(c) < 32 for c in name) or name.startswith("pg_"):
        raise StoreError(_where(), "admin_bad_name", name=name)
    if name in GROUP.values():
        raise StoreError(_where(), "admin_bad_name", name=name)


def _role_exists(name: str) -> bool:
    return bool(_run("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)))


def add_user(name: str, role: str, villages: list[str], password: str | None) -> None:
    """Create the login role `name` (or take it as it is), give it `role` for `villages` (empty: every
    village, for an auditor), and set its password when one is given."""
    _check_sqlite()
    _check_name(name)
    if role == "committee" and not villages:
        raise StoreError(_where(), "admin_committee_villages")
    if role == "admin" and villages:
        raise StoreError(_where(), "admin_no_villages_for_admin")
    import psycopg.sql as pgsql

    with database.atomic():
        ids = _village_ids(villages)
        if _is_superuser_role(name):
            raise StoreError(_where(), "admin_bad_name", name=name)
        if not _role_exists(name):
            _run(f"CREATE ROLE {ident(name)} LOGIN")
        was_admin = role_of(name) == "admin"
        if role == "admin":
            _run(f"ALTER ROLE {ident(name)} CREATEROLE")
        elif was_admin:
            _run(f"ALTER ROLE {ident(name)} NOCREATEROLE")
        if password is not None:
            literal = pgsql.Literal(password).as_string(database.connection())
            _run(f"ALTER ROLE {ident(name)} PASSWORD {literal}")
        _revoke_groups(name)
        option = " WITH ADMIN OPTION" if role == "admin" else ""
        _run(f"GRANT {ident(GROUP[role])} TO {ident(name)}{option}")
        _set_access(name, ids, role)


def _is_superuser_role(name: str) -> bool:
    rows = _run("SELECT rolsuper FROM pg_roles WHERE rolname = %s", (name,))
    return bool(rows and rows[0][0])


def _revoke_groups(name: str) -> None:
    for group in GROUP.values():
        if _run(
            "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = %s AND u.rolname = %s",
            (group, name),
        ):
            _run(f"REVOKE {ident(group)} FROM {ident(name)}")


def _set_access(name: str, ids: list[int], role: str) -> None:
    _run(f"DELETE FROM {ident(ACCESS_TABLE)} WHERE member = %s", (name,))
    if role == "admin":
        return
    for village_id in ids or [None]:
        _run(f"INSERT INTO {ident(ACCESS_TABLE)} (member, village_id) VALUES (%s, %s)", (name, village_id))


def set_villages(name: str, villages: list[str]) -> None:
    """Change the villages of a committee member or an auditor (none given: every village, for an auditor)."""
    _check_sqlite()
    with database.atomic():
        role = role_of(name)
        if role is None or not _role_exists(name):
            raise StoreError(_where(), "admin_no_user", name=name)
        if role == "admin":
            raise StoreError(_where(), "admin_no_villages_for_admin")
        if role == "committee" and not villages:
            raise StoreError(_where(), "admin_committee_villages")
        _set_access(name, _village_ids(villages), role)


def remove_user(name: str) -> None:
    """Take every fundtrack right away from a login role; the role stays (the audit trail names it)."""
    _check_sqlite()
    with database.atomic():
        if role_of(name) is None:
            raise StoreError(_where(), "admin_no_user", name=name)
        if role_of(name) == "admin":
            _run(f"ALTER ROLE {ident(name)} NOCREATEROLE")
        _revoke_groups(name)
        _run(f"DELETE FROM {ident(ACCESS_TABLE)} WHERE member = %s", (name,))


def users() -> list[User]:
    """Every login role with a fundtrack role, and its villages in this database."""
    _check_sqlite()
    names = _run(
        "SELECT DISTINCT u.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = ANY(%s) AND u.rolcanlogin ORDER BY u.rolname",
        (list(GROUP.values()),),
    )
    out = []
    for (name,) in names:
        role = role_of(name)
        if role is None:
            continue
        villages: tuple[str, ...] | None = None
        if role != "admin":
            rows = _run(
                f"SELECT v.name FROM {ident(ACCESS_TABLE)} a LEFT JOIN village v ON v.id = a.village_id "
                "WHERE a.member = %s ORDER BY v.name NULLS FIRST",
                (name,),
            )
            listed = [r[0] for r in rows]
            villages = None if role == "auditor" and None in listed else tuple(v for v in listed if v is not None)
        out.append(User(name, role, villages))
    return out
