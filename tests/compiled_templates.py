"""One store of compiled Jinja templates for every Flask app the suite makes.

Each test that builds an app (``create_app`` with its own config, a bare
Flask app beside Flask-WTF, ...) gets a new Jinja environment, and each
environment compiled every template again: lexing, parsing and Python's
``compile``. Profiled with py-spy, that was the largest single cost of the
suite's Python side. Jinja's own answer is a bytecode cache; this one keeps
the compiled code in memory for the test process.

The code is reused only where compiling again would give the same code: same
template source and file, and the same settings that the compiler reads
(delimiters, whitespace handling, extensions, autoescape, finalize, its code
generator, and the filter and test names, which it checks). Rendering is untouched: every app
still renders with its own environment, globals and filters.
"""

from __future__ import annotations

from collections.abc import Hashable
from types import CodeType

from flask import Flask
from flask.templating import Environment as FlaskEnvironment
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket


def compiler_settings(environment: Environment) -> Hashable:
    """What the Jinja compiler reads from ``environment`` when it compiles."""
    autoescape = environment.autoescape
    return (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        environment.optimized,
        environment.is_async,
        environment.code_generator_class,
        "callable" if callable(autoescape) else bool(autoescape),
        environment.finalize is not None,
        tuple(sorted(environment.extensions)),
        frozenset(environment.filters),
        frozenset(environment.tests),
    )


class SharedCompiledTemplates(BytecodeCache):
    """Compiled template code kept in memory, shared by every environment."""

    def __init__(self) -> None:
        self._code: dict[Hashable, CodeType] = {}

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key = (compiler_settings(environment), name, filename, source)
        bucket = Bucket(environment, key, "")  # type: ignore[arg-type]  # any hashable key
        bucket.code = self._code.get(key)
        return bucket

    def set_bucket(self, bucket: Bucket) -> None:
        if bucket.code is not None:
            self._code[bucket.key] = bucket.code

    # The file-like interface of BytecodeCache is never used: buckets hold code objects.
    def load_bytecode(self, bucket: Bucket) -> None:  # pragma: no cover
        raise NotImplementedError

    def dump_bytecode(self, bucket: Bucket) -> None:  # pragma: no cover
        raise NotImplementedError


SHARED = SharedCompiledTemplates()
_create_jinja_environment = Flask.create_jinja_environment


def _with_shared_cache(app: Flask) -> FlaskEnvironment:
    environment = _create_jinja_environment(app)
    if environment.bytecode_cache is None:  # an app's own cache is left alone
        environment.bytecode_cache = SHARED
    return environment


def install() -> None:
    """Give every Flask app made in this process from now on the shared cache."""
    Flask.create_jinja_environment = _with_shared_cache  # type: ignore[method-assign]
