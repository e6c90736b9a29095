"""Which version of the same-claim rule made the stored groups, and whether it is this one.

The claim keys, polarity, signatures, names and band hashes stored with each group are those
of the rule that made it (app.groups.normalise); a new statement is compared with them by
this release's rule. Bump RULE_VERSION when a change makes stored keys or bands differ; a
database grouped by an earlier rule then says so (`groups stats`, `serve`) until `groups
rebuild` has regrouped it.
"""

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from app.models.groups import ClaimGroup, GroupingRule

# 1: the first release of claim groups. 2: outcomes, dates apart from numbers, locating
# places, longer versions; bands no longer scoped by the numbers. 3: more outcome words,
# attempts and negations outside the claim's own clause, declared short forms of names (the
# stored polarity, failed reading and names change, and with the polarity the bands). 4: places
# joined by a hyphen, borders and distance lists locating, trying to create conditions (names,
# signature, polarity and failed reading change, and with the polarity the bands).
RULE_VERSION = 4


def stored_rule(session: Session) -> int | None:
    """The rule that made the stored groups (None: not recorded)."""
    return session.scalar(select(GroupingRule.version).where(GroupingRule.id == 1))


def note_regrouped(session: Session) -> None:
    """Every group is now this rule's (after a whole regroup)."""
    statement = insert(GroupingRule).values(id=1, version=RULE_VERSION)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[GroupingRule.id],
            set_={"version": RULE_VERSION, "set_at": statement.excluded.set_at},
        )
    )


def note_grouped(session: Session) -> None:
    """Groups were made by this rule (at ingest): recorded when no rule is, that is when these
    are a database's first groups; a database already holding an earlier rule's keeps that
    record until it is regrouped."""
    session.execute(
        insert(GroupingRule).values(id=1, version=RULE_VERSION).on_conflict_do_nothing()
    )


def rebuild_advice(session: Session) -> str | None:
    """What to tell someone whose groups an earlier rule (or an unrecorded one) made; None
    when no group is stored or this rule made them."""
    stored = stored_rule(session)
    if stored == RULE_VERSION or not session.scalar(select(exists().select_from(ClaimGroup))):
        return None
    made_by = f"rule {stored}" if stored is not None else "an unrecorded rule"
    return (
        f"claim groups were made by {made_by} of the same-claim test; this release groups by "
        f"rule {RULE_VERSION}: run `claimtracker groups rebuild` to regroup them"
    )
