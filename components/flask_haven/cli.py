"""``flask haven ...`` commands, added to every app that uses :class:`Haven`."""

from __future__ import annotations

import io

import click
from flask import current_app
from flask.cli import AppGroup

haven_cli = AppGroup("haven", help="flask-haven: build assets, manage data, read exit counts.")
db_cli = AppGroup("db", help="The library's own tables (feedback, consent log) and their schema.")
haven_cli.add_command(db_cli)


@db_cli.command("upgrade")
def db_upgrade() -> None:
    """Bring flask-haven's tables to the newest schema (adopting older ones).

    Run it when deploying a new release, before starting the workers. Only
    the library's tables and its version table, haven_alembic_version, are
    touched; the site's own migrations are not.
    """
    from sqlalchemy.exc import SQLAlchemyError

    from . import migrations
    from .db import engine_of

    try:
        before, after = migrations.upgrade(engine_of(current_app), long_statements=True)
    except SQLAlchemyError as exc:
        raise click.ClickException(f"upgrade failed, nothing was changed: {exc}") from None
    if before.current:
        click.echo(f"{migrations.VERSION_TABLE}: {after.revision}, already the newest")
        return
    if before.revision is None and before.tables:
        tables = ", ".join(before.tables)
        click.echo(f"adopted {tables} (made before migrations), keeping every row")
    elif before.revision is None:
        click.echo(f"created {', '.join(after.tables)}")
    click.echo(
        f"{migrations.VERSION_TABLE}: {before.revision or 'none'} -> {after.revision} (newest)"
    )


@db_cli.command("current")
def db_current() -> None:
    """Say which schema revision the database has, and whether it is the newest."""
    from . import migrations
    from .db import engine_of

    with engine_of(current_app).connect() as connection:
        click.echo(migrations.status(connection).describe())


@haven_cli.command("build-assets")
def build_assets() -> None:
    """Rebuild the minified, content-hashed JS and CSS bundles."""
    from .assets import (
        DIST_DIR,
        BuildToolsMissing,
        build,
        build_tools_installed,
        in_source_checkout,
    )

    # One clear line and a non-zero exit, never a traceback.
    if build_tools_installed() and not in_source_checkout():
        raise click.ClickException(
            "build-assets rebuilds the bundles of a source checkout; an installed "
            "flask-haven already ships them built."
        )
    try:
        names = build()
    except BuildToolsMissing as exc:
        raise click.ClickException(str(exc)) from None
    for kind, name in names.items():
        click.echo(f"built {kind}: {DIST_DIR / name}")


@haven_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count the rows that would be deleted.")
def purge(dry_run: bool) -> None:
    """Delete feedback and consent-log rows older than their retention settings."""
    from .consent.log import consent_log
    from .db import get_engine
    from .feedback import feedback_table
    from .retention import purge_table
    from .state import current_state

    settings = current_state().settings
    engine = get_engine()
    for table, days in (
        (feedback_table, settings.feedback_retention_days),
        (consent_log, settings.consent_log_retention_days),
    ):
        if days is None:
            click.echo(f"{table.name}: kept (no retention set)")
            continue
        result = purge_table(engine, table, days, dry_run=dry_run)
        verb = "would delete" if dry_run else "deleted"
        click.echo(
            f"{table.name}: {verb} {result.rows} rows older than {days} days "
            f"(before {result.cutoff:%Y-%m-%d %H:%M} UTC)"
        )


@haven_cli.command("stats")
@click.option(
    "--days",
    type=click.IntRange(1, 3660),
    default=30,
    show_default=True,
    help="How many days to show, ending today (UTC).",
)
def stats(days: int) -> None:
    """Print the quick exit's daily counts (HAVEN_QUICK_EXIT_COUNTS), oldest first."""
    from .db import get_engine
    from .quick_exit import daily_counts
    from .state import current_state

    if not current_state().settings.quick_exit.counts:
        click.echo(
            "Exits are not counted on this site: set HAVEN_QUICK_EXIT_COUNTS = True to start.",
            err=True,
        )
    counts = list(daily_counts(get_engine(), days))
    click.echo("date (UTC)  exits")
    for count in counts:
        click.echo(f"{count.day:%Y-%m-%d}  {count.exits:>5}")
    click.echo(f"total       {sum(count.exits for count in counts):>5}")


@haven_cli.command("export-feedback")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="CSV (spreadsheet-safe) or JSON.",
)
@click.option(
    "--since",
    metavar="DATE",
    default=None,
    help="Only feedback from this UTC date or ISO 8601 date-time on (YYYY-MM-DD).",
)
def export_feedback(output_format: str, since: str | None) -> None:
    """Print the stored feedback, oldest first."""
    from .db import get_engine
    from .feedback import iter_feedback, parse_since, write_csv, write_json
    from .feedback.store import answer_names

    try:
        start = parse_since(since) if since else None
    except ValueError as exc:
        raise click.BadParameter(
            f"{since!r} is not a date like 2026-11-24 or 2026-11-24T09:30", param_hint="--since"
        ) from exc
    # Straight to stdout, row by row: an export of a million rows stays small.
    out = _Echo()
    engine = get_engine()
    if output_format == "json":
        write_json(iter_feedback(engine, start), out)
    else:
        write_csv(iter_feedback(engine, start), out, answer_names(engine, start))
    out.flush()


@haven_cli.command("export-consent")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="CSV (spreadsheet-safe) or JSON.",
)
@click.option(
    "--since",
    metavar="DATE",
    default=None,
    help="Only records from this UTC date or ISO 8601 date-time on (YYYY-MM-DD).",
)
@click.option(
    "--texts",
    is_flag=True,
    help="Export the texts people were shown (one per notice digest) instead of the records.",
)
def export_consent(output_format: str, since: str | None, texts: bool) -> None:
    """Print the consent log, oldest first: reference, time, policy revision, the
    digest of the text shown, language, form used, withdrawal and each choice."""
    from .consent.export import write_json, write_notices_csv, write_records_csv
    from .consent.log import iter_notices, iter_records
    from .db import get_engine
    from .feedback import parse_since
    from .state import current_state

    try:
        start = parse_since(since) if since else None
    except ValueError as exc:
        raise click.BadParameter(
            f"{since!r} is not a date like 2026-11-24 or 2026-11-24T09:30", param_hint="--since"
        ) from exc
    out = _Echo()
    engine = get_engine()
    if texts:
        notices = iter_notices(engine)
        write_json(notices, out) if output_format == "json" else write_notices_csv(notices, out)
    elif output_format == "json":
        write_json(iter_records(engine, start), out)
    else:
        policy = current_state().settings.consent.policy
        categories = policy.optional_names if policy else ()
        write_records_csv(iter_records(engine, start), out, categories)
    out.flush()


# Unknown options are taken as the reference: older ids, URL-safe, may begin with "-".
@haven_cli.command("withdraw-consent", context_settings={"ignore_unknown_options": True})
@click.argument("reference")
def withdraw_consent(reference: str) -> None:
    """Withdraw the logged choice REFERENCE (a person quoted it): from then on,
    their browser counts as having refused every optional category."""
    from .consent.log import withdraw

    if not withdraw(reference.strip()):
        raise click.ClickException(f"no consent record with the reference {reference!r}")
    click.echo(f"withdrawn: {reference.strip()}")


class _Echo(io.StringIO):
    """A text stream that passes what it collects to ``click.echo`` in chunks."""

    CHUNK = 64 * 1024

    def write(self, text: str) -> int:
        written = super().write(text)
        if self.tell() >= self.CHUNK:
            self.flush()
        return written

    def flush(self) -> None:
        value = self.getvalue()
        if value:
            click.echo(value, nl=False)
            self.seek(0)
            self.truncate()
