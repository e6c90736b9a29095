"""What a careful reader attributes in the seed article (seeds/000_a88642a8d23d9c85.txt).

Each row: the speaker (matched against the canonical actor name by surname or containment), a
phrase the extracted content must contain (case-insensitive, whitespace folded), the kind, and a
word of the cue. A clause partly in quotation marks is listed by its dominant part; the test also
accepts "mixed" for it.
"""

from __future__ import annotations

from typing import NamedTuple


class Expected(NamedTuple):
    speaker: str
    key: str
    kind: str
    cue: str


LUKASHENKO = "Aleksandr G. Lukashenko"
PESKOV = "Dmitri S. Peskov"
ISW = "Institute for the Study of War"

STATEMENTS: tuple[Expected, ...] = (
    # The military-conference paragraph: he calls the Ukrainian speculation conspiracy theories.
    Expected(LUKASHENKO, "conspiracy theories", "indirect", "dismissed"),
    Expected(
        "Ukrainian officials", "combat readiness could be a precursor", "indirect", "speculation"
    ),
    Expected(LUKASHENKO, "were limited to his country", "indirect", "insisting"),
    Expected(LUKASHENKO, "pulled into the fighting", "indirect", "raised the possibility"),
    # His own words, then the Belarusian leader's description of the exercises.
    Expected(LUKASHENKO, "prepare for war", "direct", "said"),
    Expected(LUKASHENKO, "conducting exercises", "direct", "added"),
    Expected(LUKASHENKO, "situation and threats", "direct", "described"),
    # The Kremlin's spokesman on Belarus joining the war.
    Expected(PESKOV, "groundless fabrications", "direct", "dismissed"),
    # The institute (also "the group", "the institute", "It") on Russia's aims in Belarus.
    Expected(ISW, "fresh strike force", "indirect", "said"),
    Expected(ISW, "broader effort to divert", "indirect", "said"),
    Expected(ISW, "avoid making concessions", "direct", "said"),
    Expected(ISW, "S-400 air defense systems", "indirect", "said"),
    Expected(ISW, "likely be operated by Russian troops", "indirect", "said"),
    Expected(ISW, "stonewalled for years", "direct", "said"),
)

# Beliefs a country holds, not statements: an extractor need not find them, but if it does, the
# believer is Ukraine and no one else.
OPTIONAL: tuple[Expected, ...] = (
    Expected("Ukraine", "presage a new ground offensive", "belief", "suspicions"),
    Expected("Ukraine", "aim again at Kyiv", "belief", "fears"),
)

# Page furniture left at the end of the saved page: never article text, never a statement.
MUST_NOT: tuple[str, ...] = ("Back to top button",)
