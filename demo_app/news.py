"""The demo force's news: a short list of stories, and the search the header offers.

Only the first story has a page of its own (``/``); the others are summaries,
as the newest items on a real force's news index often are until their pages
are written. Search matches every word asked for, in any order, in a story's
title, summary and topic, so it works with JavaScript off and needs no index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import abort, render_template, request, url_for


@dataclass(frozen=True)
class Story:
    """One news item: its title, date, topic and summary, and its page if it has one."""

    title: str
    date: str
    topic: str
    summary: str
    endpoint: str | None = None

    def words(self) -> set[str]:
        """The words a search can find this story by."""
        return set(_WORD.findall(f"{self.title} {self.summary} {self.topic}".lower()))


TOPICS = {"crime-figures": "Crime figures", "community": "Community", "appeals": "Appeals"}

STORIES = (
    Story(
        "Burglary falls by a fifth as more people report domestic abuse",
        "14 October 2026",
        "crime-figures",
        "Burglaries fell by a fifth in the year to September; reports of domestic abuse rose by a "
        "tenth.",
        "index",
    ),
    Story(
        "Open meetings on neighbourhood policing this winter",
        "9 October 2026",
        "community",
        "Neighbourhood teams will hold a meeting in every ward to hear what people want them to "
        "work on next.",
    ),
    Story(
        "Vehicle crime: how to keep your van and tools safe",
        "2 October 2026",
        "crime-figures",
        "Thefts from vans fell last year, but tools are still the most stolen item. Six things "
        "that help.",
    ),
    Story(
        "Have you seen this bicycle?",
        "25 September 2026",
        "appeals",
        "A red tandem bicycle was taken from outside the library on Mill Lane on 21 September.",
    ),
)

_WORD = re.compile(r"[a-z0-9]+")
# Longer than any search a person types; more is not read.
MAX_QUERY = 100


def news() -> str:
    """``/news/``: every story, or those matching ``?q=`` (search) or ``?topic=``."""
    query = request.args.get("q", "")[:MAX_QUERY].strip()
    topic = request.args.get("topic")
    if topic is not None and topic not in TOPICS:
        abort(404)
    wanted = set(_WORD.findall(query.lower()))
    stories = [
        story
        for story in STORIES
        if (topic is None or story.topic == topic) and wanted <= story.words()
    ]
    breadcrumbs = [("News", url_for("news"))] if topic or query else []
    return render_template(
        "news.html",
        stories=stories,
        query=query,
        topic=TOPICS.get(topic or ""),
        topics=TOPICS,
        breadcrumbs=breadcrumbs,
    )
