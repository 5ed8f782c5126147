"""flask-haven: accessible, server-rendered safety chrome for Flask sites.

Quick exit, cookie consent, a phase banner with a feedback service, and error
notices, each a server-rendered component that works without JavaScript.

    from flask import Flask
    from flask_haven import Haven

    app = Flask(__name__)
    Haven(app)
"""

from .config import HavenConfigError
from .extension import Haven

__all__ = ["Haven", "HavenConfigError", "__version__"]
__version__ = "0.1.0"
