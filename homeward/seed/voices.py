"""Invented words of children in return interviews, each written about one known theme,
so the theme grouping has something real to find (and the tests can measure it: ``said``
returns the theme it wrote about). Sentences are drawn from a theme's bank and mixed with
words that belong to no theme; no names, places or numbers."""

from __future__ import annotations

import random

# What a child said happened, by theme.
ACCOUNT_THEMES: dict[str, tuple[str, ...]] = {
    "arguments": (
        "Me and my carer had a massive argument about my phone so I walked out.",
        "Staff kept shouting at me about the rules and I got angry and left.",
        "There was a row at home about curfew and I slammed the door and went.",
        "My foster carer argued with me all evening and I could not stand it.",
        "Every night there is shouting at the house and I needed to get out.",
        "We had an argument about chores and I stormed off.",
    ),
    "older_friends": (
        "An older lad picks me up in his car and buys me food and vapes.",
        "Some older boys give me money and lifts and I stay at their flat.",
        "I was with older friends who give me cigarettes and let me sleep there.",
        "A man I met online sends me taxis and buys me stuff.",
        "The older ones let me hang out at their flat and give me weed.",
        "I get given a second phone by older boys and they text me to come.",
    ),
    "family": (
        "I miss my mum and I went to see her because nobody lets me.",
        "I wanted to see my little brother and my nan.",
        "I went back to my dad's house because I miss my family.",
        "I just want to live with my mum again, I miss her every day.",
        "Contact with my sister got cancelled again so I went to find her.",
        "I went to my mum's because it was her birthday and I was not allowed.",
    ),
    "school": (
        "Kids at school bully me and I could not face going in.",
        "I got excluded from school and there was nothing for me to do.",
        "The teachers are always on at me and I hate school.",
        "Some girls at school posted things about me and I ran off at lunch.",
        "I walked out of a lesson after a fight at school.",
        "I am behind at school and everyone laughs at me in class.",
    ),
    "low_mood": (
        "I felt really low and sad and just wanted to be on my own.",
        "My head was all over the place and I was crying and could not stop.",
        "I feel anxious all the time and I needed to get away from everything.",
        "I have been sad for weeks and nobody notices, so I left.",
        "I was feeling down and hurting myself and did not want anyone to see.",
        "Everything felt too much and I was scared and upset.",
    ),
}
# What a child said would help, by theme.
HELP_THEMES: dict[str, tuple[str, ...]] = {
    "someone_to_talk_to": (
        "Someone to talk to who actually listens to me.",
        "A worker I can talk to who is not staff.",
        "Having one person to talk to when I am upset.",
        "If someone listened and talked to me properly.",
    ),
    "family_time": (
        "More time with my mum and my brothers.",
        "Seeing my family more often, not just once a month.",
        "Being allowed to visit my nan at weekends.",
        "More contact with my family and my sister.",
    ),
    "things_to_do": (
        "Things to do in the evenings like football or the youth club.",
        "A club or activity at weekends so I am not bored.",
        "Going to the gym or boxing instead of being bored indoors.",
        "More activities and trips so there is something to do.",
    ),
    "phone_and_rules": (
        "Being allowed my phone at night and fairer rules.",
        "Less strict rules about my phone and curfew.",
        "Staff being fair about the rules and not taking my phone.",
        "A later curfew and keeping my phone.",
    ),
}
FILLERS = (
    "I don't know.",
    "I came back in the end.",
    "It was cold.",
    "I was hungry when I got back.",
    "That's all really.",
    "",
    "",
)


def _say(rng: random.Random, bank: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    theme = rng.choice(sorted(bank))
    sentences = rng.sample(bank[theme], 2 if rng.random() < 0.35 else 1)
    filler = rng.choice(FILLERS)
    words = " ".join([*sentences, filler]).strip()
    return words, theme


def account(rng: random.Random) -> tuple[str, str]:
    """(what the child said happened, its theme)."""
    return _say(rng, ACCOUNT_THEMES)


def would_help(rng: random.Random) -> tuple[str, str]:
    """(what the child said would help, its theme)."""
    return _say(rng, HELP_THEMES)
