"""The feedback service behind the phase banner: form, storage, sinks and export.

    from flask_haven.feedback import create_feedback_blueprint
    app.register_blueprint(create_feedback_blueprint())   # at /feedback

See ``docs/feedback.md``.
"""

from __future__ import annotations

from .export import neutralise_cell, parse_since, write_csv, write_json
from .ratelimit import MemoryRateLimitStore, RateLimitStore
from .settings import Option, Question, RateLimit, parse_questions, parse_rate_limit
from .store import Feedback, Sink, feedback_table, iter_feedback, run_sinks, save_feedback
from .validation import Submission, has_bad_characters, validate_submission
from .views import create_feedback_blueprint, feedback_url

__all__ = [
    "Feedback",
    "MemoryRateLimitStore",
    "Option",
    "Question",
    "RateLimit",
    "RateLimitStore",
    "Sink",
    "Submission",
    "create_feedback_blueprint",
    "feedback_table",
    "feedback_url",
    "has_bad_characters",
    "iter_feedback",
    "neutralise_cell",
    "parse_questions",
    "parse_rate_limit",
    "parse_since",
    "run_sinks",
    "save_feedback",
    "validate_submission",
    "write_csv",
    "write_json",
]
