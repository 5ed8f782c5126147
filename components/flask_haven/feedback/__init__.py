"""The feedback service behind the phase banner: form, storage, sinks and export.

    from flask_haven.feedback import create_feedback_blueprint
    app.register_blueprint(create_feedback_blueprint())   # at /feedback

See ``docs/feedback.md``.
"""

from __future__ import annotations

from flask import Flask

from .export import neutralise_cell, parse_since, write_csv, write_json
from .ratelimit import MemoryRateLimitStore, RateLimitStore
from .settings import Option, Question, RateLimit, parse_rate_limit, validate_feedback_settings
from .store import Feedback, Sink, feedback_table, iter_feedback, run_sinks, save_feedback
from .validation import Submission, clean_return_to, has_bad_characters, validate_submission
from .views import create_feedback_blueprint, feedback_url, rate_limit_store

__all__ = [
    "Feedback",
    "MemoryRateLimitStore",
    "Option",
    "Question",
    "RateLimit",
    "RateLimitStore",
    "Sink",
    "Submission",
    "clean_return_to",
    "create_feedback_blueprint",
    "feedback_table",
    "feedback_url",
    "has_bad_characters",
    "init_feedback",
    "iter_feedback",
    "neutralise_cell",
    "parse_rate_limit",
    "parse_since",
    "rate_limit_store",
    "run_sinks",
    "save_feedback",
    "validate_feedback_settings",
    "validate_submission",
    "write_csv",
    "write_json",
]


def init_feedback(app: Flask) -> None:
    """Check the phase and feedback settings and give templates what the banner needs.

    Called by :meth:`flask_haven.Haven.init_app`; the routes are a separate
    Blueprint (:func:`create_feedback_blueprint`) so a site chooses where, or
    whether, to mount them.
    """
    validate_feedback_settings(app.config)
    app.jinja_env.globals["haven_feedback_url"] = feedback_url
    app.extensions.setdefault("haven_feedback", {})
