"""Design checks the sweep runs on pages it has loaded anyway (tests/e2e/test_sweep.py).

Measured, not eyeballed: the type scale, the 40 px radios and checkboxes and
their focus, tinted tags, the secondary button, text box widths, the error
notice's weights; and on every page at 320 px, that no table breaks an
ordinary word. Each check takes the loaded page and returns its problems.
They run after every other check (they focus and tick things).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page

Check = Callable[[Page], list[str]]

# Words of ordinary text in table cells that a line break has cut in two. A
# cookie's name may wrap between its parts ("haven_/consent"): each part stays whole.
BROKEN_WORDS = """() => {
  const broken = []
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.getClientRects().length) continue
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const name = node.parentElement.closest('code')
      const pieces = node.data.split(name ? /\\s+|(?<=[_.-])/ : /\\s+/)
      let at = 0
      for (const piece of pieces) {
        const start = node.data.indexOf(piece, at)
        at = start + piece.length
        if (!piece.trim()) continue
        const range = document.createRange()
        range.setStart(node, start)
        range.setEnd(node, start + piece.length)
        const lines = new Set([...range.getClientRects()].filter(r => r.width).map(r => Math.round(r.top)))
        if (lines.size > 1) broken.push(piece)
      }
    }
  }
  return broken
}"""


def style(page: Page, selector: str, prop: str, pseudo: str | None = None) -> str:
    """The computed value of ``prop`` on the first match of ``selector`` (or its pseudo-element)."""
    value: str = page.locator(selector).first.evaluate(
        "(el, [prop, pseudo]) => getComputedStyle(el, pseudo).getPropertyValue(prop)",
        [prop, pseudo],
    )
    return value


def token(page: Page, name: str) -> str:
    """A token's value as the browser resolves a colour: ``rgb(...)``."""
    value: str = page.evaluate(
        """name => { const probe = document.createElement('i')
                     probe.style.color = `var(${name})`
                     document.body.append(probe)
                     const colour = getComputedStyle(probe).color
                     probe.remove()
                     return colour }""",
        name,
    )
    return value


def expect_equal(what: str, actual: object, wanted: object) -> list[str]:
    return [] if actual == wanted else [f"{what} is {actual!r}, not {wanted!r}"]


def no_broken_words(page: Page) -> list[str]:
    """Run at 320 px (after the reflow check), on every page."""
    broken = page.evaluate(BROKEN_WORDS)
    return [f"table words broken across lines at 320 px: {broken}"] if broken else []


def type_scale(page: Page) -> list[str]:
    """19 px body text from 641 px, 16 px on phones; headings from the scale; all in rem."""
    page.set_viewport_size({"width": 1280, "height": 720})
    problems = expect_equal(
        "body text at 1280 px", style(page, "article h2 + p", "font-size"), "19px"
    )
    problems += expect_equal("h1 at 1280 px", style(page, "h1", "font-size"), "36px")
    page.set_viewport_size({"width": 320, "height": 640})
    problems += expect_equal(
        "body text at 320 px", style(page, "article h2 + p", "font-size"), "16px"
    )
    problems += expect_equal("h1 at 320 px", style(page, "h1", "font-size"), "27px")
    page.evaluate("() => document.documentElement.style.fontSize = '200%'")
    problems += expect_equal(
        "body text at 200%", style(page, "article h2 + p", "font-size"), "32px"
    )
    page.evaluate("() => document.documentElement.style.fontSize = ''")
    return problems


def _control(page: Page, role: str, name: str, label: str) -> list[str]:
    """A 40 px control in a 44 px target, with a 4 px ring and the yellow halo on focus."""
    control = page.get_by_role(role, name=name).first  # type: ignore[arg-type]
    problems = expect_equal(f"{name} {role} width", style(page, label, "width", "::before"), "40px")
    problems += expect_equal(
        f"{name} {role} height", style(page, label, "height", "::before"), "40px"
    )
    box = control.bounding_box()
    problems += expect_equal(
        f"{name} {role} target", box and (box["width"], box["height"]), (44, 44)
    )
    control.focus()
    problems += expect_equal(
        "focused ring", style(page, label, "border-top-width", "::before"), "4px"
    )
    if "rgb(255, 221, 0)" not in style(page, label, "box-shadow", "::before"):
        problems.append(f"no yellow focus halo round the focused {role}")
    if not control.is_checked():
        page.keyboard.press("Space")
    problems += expect_equal(
        f"{role} mark when checked", style(page, label, "opacity", "::after"), "1"
    )
    return problems


def radios(page: Page) -> list[str]:
    return _control(page, "radio", "Yes", ".haven-radios__label")


def checkboxes(page: Page) -> list[str]:
    return _control(
        page, "checkbox", "Appeals for witnesses", 'label[for="control-updates-appeals"]'
    )


def relative_luminance(rgb: str) -> float:
    channels = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def tinted_tag(phase: str) -> Check:
    """Sentence case, dark text on a pale tint of the phase's own hue."""

    def check(page: Page) -> list[str]:
        tag = ".haven-tag"
        problems = expect_equal("tag text-transform", style(page, tag, "text-transform"), "none")
        problems += expect_equal("tag text", page.locator(tag).inner_text(), phase.capitalize())
        text, background = style(page, tag, "color"), style(page, tag, "background-color")
        problems += expect_equal(
            "tag tint", background, token(page, f"--haven-tag-{phase}-background")
        )
        high, low = sorted((relative_luminance(text), relative_luminance(background)), reverse=True)
        if (high + 0.05) / (low + 0.05) < 4.5:
            problems.append(f"tag contrast below 4.5:1 ({text} on {background})")
        if relative_luminance(background) < 0.6:
            problems.append(f"tag background {background} is not a pale tint")
        return problems

    return check


def secondary_button(selector: str) -> Check:
    """The one secondary button: its colours, shadow and size."""

    def check(page: Page) -> list[str]:
        if selector == ".demo-copy__button":
            page.get_by_text("Code for the default example").click()
        return [
            *expect_equal(
                f"{selector} background",
                style(page, selector, "background-color"),
                token(page, "--haven-secondary-button"),
            ),
            *expect_equal(
                f"{selector} shadow",
                style(page, selector, "box-shadow"),
                f"{token(page, '--haven-secondary-button-shadow')} 0px 2px 0px 0px",
            ),
            *expect_equal(f"{selector} height", style(page, selector, "min-height"), "44px"),
        ]

    return check


def notice_weights(title: str, text: str) -> Check:
    """The error notice's title is bold and the message under it is not (alone, it is)."""

    def check(page: Page) -> list[str]:
        problems = expect_equal(
            "notice message weight", style(page, ".haven-error-notice__text", "font-weight"), text
        )
        if title:
            problems += expect_equal(
                "notice title weight",
                style(page, ".haven-error-notice__title", "font-weight"),
                title,
            )
        return problems

    return check


def text_box_fits_the_column(page: Page) -> list[str]:
    box = page.get_by_role("textbox", name="Your feedback").bounding_box()
    return (
        [] if box and box["width"] <= 640 else [f"the text box is {box and box['width']} px wide"]
    )


def input_widths(page: Page) -> list[str]:
    """The width classes size a box by the characters its answer needs."""
    widths = page.evaluate(
        """() => ['20', '10', '5'].map(n => {
             const input = document.getElementById('control-width-' + n)
             return Math.round(input.getBoundingClientRect().width / parseFloat(getComputedStyle(input).fontSize) * 100) / 100
           })"""
    )
    return expect_equal("input widths in em", widths, [20.5, 11.5, 5.5])


FRAMES = """() => [...document.querySelectorAll('[data-preview]')].map(preview => {
  const box = preview.querySelector('.demo-preview__box').getBoundingClientRect()
  const frame = preview.querySelector('iframe')
  const shown = frame.getBoundingClientRect()
  const doc = frame.contentDocument.documentElement
  return { frame: frame.title, column: preview.getBoundingClientRect().width, box: box.width,
           inside: shown.right <= box.right + 1 && shown.bottom <= box.bottom + 1,
           whole: preview.classList.contains('demo-preview--viewport') ||
                  Math.abs(Math.max(48, doc.getBoundingClientRect().height) - frame.offsetHeight) <= 1 }
})"""


def previews_fit(page: Page) -> list[str]:
    """No frame is wider than its column (a wide one is scaled down, never up),
    on a desktop and on a phone; an example's frame is as tall as what it shows."""
    problems = []
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        frames = page.evaluate(FRAMES)
        if not frames:
            problems.append("no previews")
        for frame in frames:
            if frame["box"] > frame["column"] + 0.5 or not frame["inside"]:
                problems.append(
                    f"at {width} px, {frame['frame']!r} does not fit its column: {frame}"
                )
            if not frame["whole"]:
                problems.append(f"at {width} px, {frame['frame']!r} is not as tall as its content")
    return problems


# Page -> the design checks run on it after the sweep's own.
DESIGN_CHECKS: dict[str, list[Check]] = {
    "/": [type_scale],
    "/feedback": [text_box_fits_the_column],
    "/components/cookie-settings/default/preview": [radios],
    "/components/tokens/": [checkboxes, input_widths],
    "/components/phase-banner/default/preview": [tinted_tag("beta")],
    "/components/phase-banner/alpha/preview": [tinted_tag("alpha")],
    "/components/error-notice/dismissible/preview": [
        secondary_button(".haven-error-notice__dismiss"),
        notice_weights("", "700"),
    ],
    "/components/error-notice/": [secondary_button(".demo-copy__button")],
    "/components/error-notice/with-title/preview": [notice_weights("700", "400")],
    "/components/full-page/": [previews_fit],
    "/components/themes/": [previews_fit],
    "/components/quick-exit/": [previews_fit],
}
