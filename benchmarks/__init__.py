"""flask-haven benchmarks: ``python -m benchmarks`` (or ``make benchmark``).

Not pass/fail tests: they measure, and write the numbers to docs/performance.md.
"""
