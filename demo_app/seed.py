"""The seed texts: the words of the page this library was designed from.

The typographic apostrophes and quotes (’ “ ”) are the seed page's own,
kept as they were: the demo must show them word for word.
"""

# ruff: noqa: RUF001, RUF002

from __future__ import annotations

from typing import Any

# The demo is the page this library was designed from: a police force's news
# story. Its chrome says, word for word, what that page said (the "seed texts"
# in ../shared CONTRACT.md), set here as a site would set its own words. Words
# in [square brackets] are the link in the sentence (see docs/configuration.md).
# The Welsh is ours, awaiting a native speaker's review like the catalogue.
SEED_TEXTS: dict[str, Any] = {
    "HAVEN_QUICK_EXIT_HINT": {
        "en": "Quickly exit this site by pressing the Escape key",
        "cy": "Gadewch y wefan hon yn gyflym drwy bwyso'r fysell Escape",
    },
    "HAVEN_QUICK_EXIT_TEXT": {"en": "Leave this site", "cy": "Gadael y wefan hon"},
    "HAVEN_COOKIE_BANNER_TEXT": (
        {
            "en": "We use some essential cookies to make our website work. We’d like to set "
            "additional cookies so we can remember your preferences and understand how you use "
            "our site.",
            "cy": "Rydym yn defnyddio rhai cwcis hanfodol i wneud i'n gwefan weithio. Hoffem osod "
            "cwcis ychwanegol er mwyn i ni allu cofio eich dewisiadau a deall sut rydych chi'n "
            "defnyddio ein gwefan.",
        },
        {
            "en": "You can manage your preferences and cookie settings at any time by clicking "
            "on “Customise Cookies” below. For more information on how we use cookies, please "
            "see our [Cookies notice].",
            "cy": "Gallwch reoli eich dewisiadau a'ch gosodiadau cwcis ar unrhyw adeg drwy glicio "
            "ar “Addasu cwcis” isod. I gael rhagor o wybodaeth am sut rydym yn defnyddio cwcis, "
            "darllenwch ein [hysbysiad Cwcis].",
        },
    ),
    "HAVEN_COOKIE_BANNER_SAVED_TEXT": {
        "en": "Your cookie preferences have been saved. You can update your cookie settings at "
        "any time on the [cookies page].",
        "cy": "Mae eich dewisiadau cwcis wedi'u cadw. Gallwch ddiweddaru eich gosodiadau cwcis "
        "ar unrhyw adeg ar y [dudalen cwcis].",
    },
    "HAVEN_ERROR_TEXT": {
        "en": "Sorry, there was a technical problem. Please try again.",
        "cy": "Mae'n ddrwg gennym, roedd problem dechnegol. Rhowch gynnig arall arni.",
    },
    "HAVEN_PHASE_BANNER_TEXT": {
        "en": "This site is a beta, which means it's a work in progress and we'll be adding more "
        "to it over the next few weeks. Your feedback helps us make things better, so please "
        "[let us know what you think].",
        "cy": "Gwefan beta yw hon, sy'n golygu ein bod yn dal i'w datblygu a byddwn yn ychwanegu "
        "mwy ati dros yr wythnosau nesaf. Mae eich adborth yn ein helpu i wella pethau, felly "
        "[rhowch wybod i ni beth yw eich barn].",
    },
}

__all__ = ["SEED_TEXTS"]
