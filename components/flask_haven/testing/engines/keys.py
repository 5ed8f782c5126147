"""Key names as the WebDriver protocol spells them (its private-use code points)."""

from __future__ import annotations

WEBDRIVER_KEYS = {
    "Escape": "\ue00c",
    "Enter": "\ue007",
    "Tab": "\ue004",
    "Shift": "\ue008",
    "Backspace": "\ue003",
    "Space": " ",
    "ArrowUp": "\ue013",
    "ArrowDown": "\ue015",
}


def webdriver_key(key: str) -> str:
    """The WebDriver code for a key name such as ``"Escape"``, or a single character."""
    if key in WEBDRIVER_KEYS:
        return WEBDRIVER_KEYS[key]
    if len(key) == 1:
        return key
    raise ValueError(f"unknown key {key!r}; use one of {sorted(WEBDRIVER_KEYS)} or a character")
