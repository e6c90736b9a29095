"""Name normalisation, slugs, quote spans and the gazetteer."""

from __future__ import annotations

import pytest

from app.extract import load_gazetteer, normalise_alias, slugify
from app.extract.names import fold_name
from app.extract.quotes import find_quotes
from app.extract.speakers import ActorIndex


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


def _index_with(*names: str) -> ActorIndex:
    index = ActorIndex(load_gazetteer())
    for position, name in enumerate(names):
        index.register_name(name, "PERSON", position * 100, position * 100 + len(name))
    return index


def test_a_lone_surname_tagged_as_a_place_is_the_person() -> None:
    index = _index_with("Alicia Machado")
    assert index.resolve_name("Machado", "GPE") == index.resolve_name("Alicia Machado")
    assert index.resolve_name("Machado", "GPE") is not None


def test_a_surname_two_people_share_stays_unresolved() -> None:
    index = _index_with("John Harper", "Jane Harper")
    assert index.resolve_name("Harper", "GPE") is None


def test_a_full_name_with_a_word_before_it_is_the_same_person() -> None:
    index = _index_with("Universe Alicia Machado", "Hillary Clinton")
    assert index.resolve_name("Alicia Machado") == index.resolve_name("Universe Alicia Machado")
    assert index.resolve_name("Crooked Hillary Clinton") == index.resolve_name("Hillary Clinton")
    assert index.resolve_name("Maria Machado") is None


def test_an_acronym_and_the_full_name_are_one_organisation() -> None:
    index = ActorIndex(load_gazetteer())
    full = index.register_name("International Monetary Fund", "ORG", 0, 27)
    assert index.register_name("IMF", "ORG", 100, 103) == full
    later = ActorIndex(load_gazetteer())
    short = later.register_name("I.R.S.", "ORG", 0, 6)
    assert later.register_name("Internal Revenue Service", "ORG", 50, 74) == short
    assert short is not None and later.actors[short].name == "Internal Revenue Service"


def test_a_full_name_does_not_take_another_full_names_initials() -> None:
    index = ActorIndex(load_gazetteer())
    fund = index.register_name("International Monetary Fund", "ORG", 0, 27)
    force = index.register_name("International Mission Force", "ORG", 50, 77)
    assert fund != force
    assert index.register_name("IMF", "ORG", 100, 103) not in (fund, force)  # ambiguous


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Oleksiy Reznikov", "Oleksii Reznikov"),
        ("Aleksandr Lukashenko", "Alexander Lukashenko"),
        ("Alyaksandr Lukashenka", "Aleksandr Lukashenko"),
        ("Shoigu", "Shoygu"),
        ("Mykhailo Podolyak", "Myhailo Podolyak"),
        ("Yevgeny Prigozhin", "Evgeny Prigozhin"),
        ("the Russian MoD", "Russian Ministry of Defense"),
    ],
)
def test_spelling_variants_fold_alike(one: str, other: str) -> None:
    assert fold_name(one) == fold_name(other)


def test_a_title_before_an_institution_stays() -> None:
    assert normalise_alias("the General Staff") == "general staff"
