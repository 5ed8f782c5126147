"""The QA example project under docs/examples/ runs green, exactly as its README says."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from ..project_runs import QUIET_PLUGINS

EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "examples" / "qa-project"


def test_example_project_passes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", *QUIET_PLUGINS, "-c", "pytest.ini"],
        cwd=EXAMPLE,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout, result.stdout
