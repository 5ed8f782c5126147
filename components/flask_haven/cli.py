"""``flask haven ...`` commands, added to every app that uses :class:`Haven`."""

from __future__ import annotations

import click
from flask.cli import AppGroup

haven_cli = AppGroup("haven", help="flask-haven: build assets and export data.")


@haven_cli.command("build-assets")
def build_assets() -> None:
    """Rebuild the minified, content-hashed JS and CSS bundles."""
    from .assets import DIST_DIR, build

    for kind, name in build().items():
        click.echo(f"built {kind}: {DIST_DIR / name}")
