"""Name normalisation, slugs, quote spans and the gazetteer."""

from __future__ import annotations

import pytest

from app.extract import load_gazetteer, normalise_alias, slugify
from app.extract.quotes import find_quotes


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Vladimir V. Putin", "vladimir putin"),
        ("Mr. Lukashenko", "lukashenko"),
        ("Mr. Lukashenko’s", "lukashenko"),
        ("President Aleksandr G. Lukashenko", "aleksandr lukashenko"),
        ("Prime Minister Boris Johnson", "boris johnson"),
        ("Sen. Claire McCaskill", "claire mccaskill"),
        ("the Kremlin", "kremlin"),
        ("Dr.  José   Peña", "jose pena"),
        ("Gen. Valery Gerasimov", "valery gerasimov"),
        ("Ms. Harris's", "harris"),
    ],
)
def test_normalise_alias(name: str, normalised: str) -> None:
    assert normalise_alias(name) == normalised


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Aleksandr G. Lukashenko", "aleksandr-g-lukashenko"),
        ("Institute for the Study of War", "institute-for-the-study-of-war"),
        ("José Peña", "jose-pena"),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert slugify(name) == slug


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("He said “hello there,” and left.", ["“hello there,”"]),
        ('He said "hello there," and left.', ['"hello there,"']),
        ("It is Russia’s ‘special operation’ now.", ["‘special operation’"]),
        ("«Bonjour», dit-il.", ["«Bonjour»"]),
        ("''Hopefully,'' he said.", ["''Hopefully,''"]),
        (
            "“First paragraph.\n\n“Second paragraph,” she said.",
            ["“First paragraph.\n\n“Second paragraph,”"],
        ),
        ("Don’t split on apostrophes in Russia’s name.", []),
    ],
)
def test_find_quotes(text: str, quoted: list[str]) -> None:
    assert [text[q.start : q.end] for q in find_quotes(text)] == quoted


def test_gazetteer_entries_and_aliases() -> None:
    gazetteer = load_gazetteer()
    assert len(gazetteer) >= 40
    lukashenko = gazetteer.lookup("Mr. Lukashenko")
    assert lukashenko is not None and lukashenko.kind == "person"
    assert lukashenko.country == "Belarus"
    kyiv = gazetteer.lookup("Kyiv")
    assert kyiv is not None and kyiv.kind == "country"
    assert gazetteer.lookup("Dmitry Peskov") == gazetteer.lookup("Dmitri S. Peskov")
    assert gazetteer.lookup("Nobody In Particular") is None
