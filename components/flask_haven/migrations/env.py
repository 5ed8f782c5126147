"""Alembic's entry point for the library's revisions (run by flask_haven.migrations).

The caller passes an open connection inside its own transaction, holding the
migration lock; Alembic runs inside it and leaves the commit to the caller.
"""

from alembic import context

from flask_haven.db import metadata
from flask_haven.migrations import VERSION_TABLE, only_haven_tables

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=metadata,
    version_table=VERSION_TABLE,
    include_name=only_haven_tables,
    # SQLite changes a column by copying the table; revisions use batch_alter_table.
    render_as_batch=True,
)
with context.begin_transaction():
    context.run_migrations()
