"""``flask haven ...`` commands, added to every app that uses :class:`Haven`."""

from __future__ import annotations

import io

import click
from flask.cli import AppGroup

haven_cli = AppGroup("haven", help="flask-haven: build assets and export data.")


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

    try:
        start = parse_since(since) if since else None
    except ValueError as exc:
        raise click.BadParameter(
            f"{since!r} is not a date like 2026-11-24 or 2026-11-24T09:30", param_hint="--since"
        ) from exc
    out = io.StringIO()
    writer = write_json if output_format == "json" else write_csv
    writer(iter_feedback(get_engine(), start), out)
    click.echo(out.getvalue(), nl=False)
