"""Canonical actors across articles: alias matching, surname caution, concurrent writers."""

import threading

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.actors.service import is_proper_name, load_gazetteer_actors, resolve_actors
from app.db import make_sessionmaker
from app.extract import ActorRef, Gazetteer, GazetteerEntry
from app.models.actors import Actor


def ref(name: str, kind: str = "person", *aliases: str) -> ActorRef:
    return ActorRef(
        key=name.lower(), name=name, kind=kind, aliases=aliases,  # type: ignore[arg-type]
        role=None, country=None, gazetteer_name=None,
    )  # fmt: skip


def test_proper_names_are_aliases_descriptions_are_not() -> None:
    assert is_proper_name("Institute for the Study of War")
    assert is_proper_name("Mr. Lukashenko")
    assert not is_proper_name("the group")
    assert not is_proper_name("the Belarusian leader")


def test_same_person_across_articles_and_fuller_name_wins(session: Session) -> None:
    first = resolve_actors(session, [ref("Putin")])["putin"]
    second = resolve_actors(session, [ref("Vladimir V. Putin", "person", "Mr. Putin")])
    assert second["vladimir v. putin"].id == first.id
    assert first.name == "Vladimir V. Putin"
    third = resolve_actors(session, [ref("Vladimir Putin")])
    assert third["vladimir putin"].id == first.id


def test_two_people_sharing_a_surname_stay_apart(session: Session) -> None:
    hillary = resolve_actors(session, [ref("Hillary Clinton")])["hillary clinton"]
    bill = resolve_actors(session, [ref("Bill Clinton")])["bill clinton"]
    assert hillary.id != bill.id
    # "Clinton" alone is now ambiguous: it is not silently given to either.
    alone = resolve_actors(session, [ref("Clinton")])["clinton"]
    assert alone.id not in (hillary.id, bill.id)


def test_concurrent_writers_create_one_actor(engine: Engine, committed_db: str) -> None:
    factory = make_sessionmaker(engine)
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with factory.begin() as session:
                barrier.wait()
                resolve_actors(session, [ref("Anatoly Example-Newname")])
        except BaseException as error:  # collected for the assertion below
            errors.append(error)

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with factory() as session:
        count = session.scalar(select(func.count()).where(Actor.name == "Anatoly Example-Newname"))
    assert count == 1


def test_a_curated_actor_keeps_its_name(session: Session) -> None:
    entry = GazetteerEntry("Zembla", ("Republic of Zembla",), "country", None, None)
    load_gazetteer_actors(session, Gazetteer([entry]))
    # A heading "Eastern Zembla", taken for a person, once renamed the country after itself.
    found = resolve_actors(session, [ref("Eastern Zembla")])["eastern zembla"]
    country = session.scalar(select(Actor).where(Actor.slug == "zembla"))
    assert country is not None and country.name == "Zembla"
    assert found.id != country.id


def test_an_editors_actor_keeps_its_name(session: Session) -> None:
    first = resolve_actors(session, [ref("Putin")])["putin"]
    first.name_fixed = True
    resolve_actors(session, [ref("Vladimir V. Putin")])
    assert first.name == "Putin"


def test_a_curated_name_in_lower_case_is_found_by_that_name(session: Session) -> None:
    gazetteer = Gazetteer(
        [GazetteerEntry("Northland armed forces", ("Northland army",), "government", None, None)]
    )
    load_gazetteer_actors(session, gazetteer)
    curated = ActorRef(
        key="northland armed forces", name="Northland armed forces", kind="government",
        aliases=("The Northland armed forces",), role=None, country=None,
        gazetteer_name="Northland armed forces",
    )  # fmt: skip
    first = resolve_actors(session, [curated])[curated.key]
    second = resolve_actors(session, [curated])[curated.key]
    stored = session.scalars(select(Actor).where(Actor.name == "Northland armed forces")).all()
    assert first.id == second.id and len(stored) == 1


def test_spellings_of_one_name_and_unnamed_sources_meet_across_articles(session: Session) -> None:
    first = resolve_actors(session, [ref("Oleksiy Reznikov")])["oleksiy reznikov"]
    second = resolve_actors(session, [ref("Oleksii Reznikov")])["oleksii reznikov"]
    assert first.id == second.id
    blogger = resolve_actors(session, [ref("Russian milblogger", "group")])["russian milblogger"]
    again = resolve_actors(session, [ref("Russian milblogger", "group")])["russian milblogger"]
    assert blogger.id == again.id
    # Different people stay apart.
    other = resolve_actors(session, [ref("Oleksandr Reznikov")])["oleksandr reznikov"]
    assert other.id != first.id


def test_short_names_that_fold_alike_stay_apart(session: Session) -> None:
    kaine = resolve_actors(session, [ref("Tim Kaine")])["tim kaine"]
    kane = resolve_actors(session, [ref("Tom Kane")])["tom kane"]
    assert kaine.id != kane.id
