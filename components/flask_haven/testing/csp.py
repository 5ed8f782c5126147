"""Reading a Content-Security-Policy and judging whether it is strict.

Pure functions over header text, so the rules can be tested without a browser
and reused by the audit command.
"""

from __future__ import annotations

# Directives that decide whether injected code can run or inject styles.
# script-src/style-src fall back to default-src when absent.
_CODE_DIRECTIVES = (
    "default-src",
    "script-src",
    "script-src-elem",
    "script-src-attr",
    "style-src",
    "style-src-elem",
    "style-src-attr",
)
_UNSAFE = ("'unsafe-inline'", "'unsafe-eval'")
# Sources that let a script come from anywhere (or from text an attacker writes).
_ANY_HOST = ("*", "http:", "https:", "data:")


def parse_csp(header: str) -> dict[str, list[str]]:
    """``{directive: [sources]}`` for one or more policies (joined by ``,``).

    When several policies (or several headers) set the same directive, the
    first wins, as it does for a browser reading one policy; the strictness
    rules below look at each directive's first setting.
    """
    directives: dict[str, list[str]] = {}
    for policy in header.split(","):
        for part in policy.split(";"):
            tokens = part.split()
            if not tokens:
                continue
            name = tokens[0].lower()
            directives.setdefault(name, [t.lower() for t in tokens[1:]])
    return directives


def _allows_inline_despite_itself(sources: list[str]) -> bool:
    # With a nonce or a hash, CSP level 2+ browsers ignore 'unsafe-inline'; it
    # is there for old browsers only, so it does not weaken the policy.
    return any(s.startswith(("'nonce-", "'sha256-", "'sha384-", "'sha512-")) for s in sources)


def strict_csp_problems(header: str | None, *, where: str = "the page") -> list[str]:
    """What stops ``header`` being a strict policy; empty when it is strict.

    Strict means: a policy is sent; no ``'unsafe-inline'`` or ``'unsafe-eval'``
    for scripts or styles (``default-src`` included); scripts from named
    sources only; ``object-src`` (or ``default-src``), ``base-uri`` and
    ``frame-ancestors`` set.
    """
    if not header or not header.strip():
        return [
            f"no Content-Security-Policy header on {where}: the browser enforces nothing "
            "(a Content-Security-Policy-Report-Only header does not count)"
        ]
    directives = parse_csp(header)
    problems = []
    for name in _CODE_DIRECTIVES:
        sources = directives.get(name)
        if sources is None:
            continue
        for unsafe in _UNSAFE:
            if unsafe not in sources:
                continue
            if unsafe == "'unsafe-inline'" and _allows_inline_despite_itself(sources):
                continue
            problems.append(f"{name} allows {unsafe}: {name} {' '.join(sources)}")
    script = directives.get("script-src", directives.get("default-src"))
    if script is None:
        problems.append("neither script-src nor default-src is set: scripts may come from anywhere")
    else:
        wide = [s for s in script if s in _ANY_HOST]
        if wide and "'strict-dynamic'" not in script:
            problems.append(f"scripts may come from any host ({' '.join(wide)})")
    if "object-src" not in directives and "default-src" not in directives:
        problems.append("object-src is not set (nor default-src): plugins may load")
    for name, why in (
        ("base-uri", "an injected <base> can redirect relative script URLs"),
        ("frame-ancestors", "other sites may frame the page (clickjacking)"),
    ):
        if name not in directives:
            problems.append(f"{name} is not set: {why}")
    return problems
