"""The cue lexicon: every word that introduces a statement, belief or intention, with the class
of claim it makes, its type and the frames its content may take; the rules read it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from .types import ClaimType, CueClass

Part = Literal["verb", "noun", "adjective", "agent", "light"]

# One row per cue word (verbs and nouns by lemma, adjectives as written).
#   part       verb | noun | adjective ("is critical of") | agent ("an opponent of")
#              | light (a light verb whose object noun is the cue: "raised the possibility")
#   class      assert | deny | predict | speculate | other
#   type       statement | belief | intention (after PARC 3.0); "A|B" is A with a clause and B
#              with an infinitive: "hopes that" a belief, "hopes to" an intention; "refused to
#              commit troops" is an intention (an act refused), not something said
#   preps      prepositions that may introduce the content ("warned of", "criticism of"), or -
#   frames     for verbs: object (a noun phrase object can be the content: "cited his record"),
#              to (an infinitive complement is: "vowed to fight"), clause-only (needs a clause:
#              "knew the area" is no statement), say (a clause the parser hung on the verb as an
#              adverbial is its content), as ("dismissed it as …"), about ("warned about"),
#              stance (a one-word object is a stance: "endorsed Clinton"), aside (can stand in a
#              parenthetical cue clause: "X, the group said"), evidence (a thing can be its subject:
#              "the footage shows", "the polls suggest"); for nouns: to ("her plan to").
_TABLE = """
# word        part      class     type             preps              frames
say           verb      assert    statement        -                  clause-only say aside
add           verb      assert    statement        -                  clause-only say aside
insist        verb      assert    statement        on                 say aside
claim         verb      assert    statement        -                  to say aside
argue         verb      assert    statement        about,against,for  say aside
tell          verb      assert    statement        -                  to clause-only say aside
announce      verb      assert    statement        -                  object say aside
stress        verb      assert    statement        -                  object say aside
acknowledge   verb      assert    statement        -                  object say aside
note          verb      assert    statement        -                  clause-only say aside
state         verb      assert    statement        -                  clause-only say aside
declare       verb      assert    statement        -                  say aside
explain       verb      assert    statement        -                  clause-only say aside
confirm       verb      assert    statement        -                  object say aside evidence
reveal        verb      assert    statement        -                  object say aside evidence
admit         verb      assert    statement        -                  object say aside
concede       verb      assert    statement        -                  object say aside
contend       verb      assert    statement        -                  say aside
maintain      verb      assert    statement        -                  say aside
assert        verb      assert    statement        -                  say aside
emphasize     verb      assert    statement        -                  object say aside
emphasise     verb      assert    statement        -                  object
reiterate     verb      assert    statement        -                  object
recall        verb      assert    statement        -                  say aside
allege        verb      assert    statement        -                  object say aside
complain      verb      assert    statement        about,of           say about aside
testify       verb      assert    statement        about,on           say about aside
tweet         verb      assert    statement        about              say about aside
retweet       verb      assert    statement        -                  object
write         verb      assert    statement        about,of           clause-only say about aside
report        verb      assert    statement        on                 clause-only say aside
respond       verb      assert    statement        -                  clause-only say aside
reply         verb      assert    statement        -                  clause-only say aside
answer        verb      assert    statement        -                  clause-only
continue      verb      assert    statement        -                  clause-only aside
counter       verb      assert    statement        -                  -
observe       verb      assert    statement        -                  say aside
point         verb      assert    statement        to                 clause-only aside
charge        verb      assert    statement        -                  -
accuse        verb      assert    statement        of                 object
assess        verb      assert    statement        -                  as aside
conclude      verb      assert    statement        -                  say aside
find          verb      assert    statement        -                  clause-only evidence
show          verb      assert    statement        -                  clause-only evidence
learn         verb      assert    belief           about,of           clause-only
mention       verb      assert    statement        -                  object
describe      verb      assert    statement        -                  object as
call          verb      other     statement        for                object to as
cite          verb      assert    statement        -                  object as
indicate      verb      assert    statement        -                  say aside evidence
boast         verb      assert    statement        about,of           about
brag          verb      assert    statement        about              about
lament        verb      assert    statement        -                  -
quip          verb      assert    statement        -                  -
joke          verb      assert    statement        about              about
remark        verb      assert    statement        -                  say aside
comment       verb      assert    statement        about,on           -
agree         verb      assert    statement|intention on,with           to clause-only say
repeat        verb      assert    statement        -                  object
blame         verb      assert    statement        for                object stance
criticize     verb      assert    statement        for,over           object as stance
criticise     verb      assert    statement        -                  object stance
condemn       verb      assert    statement        -                  object as stance
praise        verb      assert    statement        for                object as stance
defend        verb      assert    statement        -                  object stance
signal        verb      assert    statement        -                  object clause-only evidence
affirm        verb      assert    statement        -                  -
underscore    verb      assert    statement        -                  object evidence
highlight     verb      assert    statement        -                  object evidence
recount       verb      assert    statement        -                  -
vow           verb      assert    statement        -                  object to
pledge        verb      assert    statement        -                  object to
promise       verb      assert    statement        -                  object to
threaten      verb      assert    statement        -                  object to
post          verb      assert    statement        -                  clause-only
know          verb      assert    belief           about,of           clause-only
understand    verb      assert    belief           -                  clause-only
feel          verb      assert    belief           -                  clause-only
document      verb      assert    statement        -                  object evidence
demonstrate   verb      assert    statement        -                  evidence
prove         verb      assert    statement        -                  evidence
assume        verb      speculate belief           -                  clause-only say
recognize     verb      assert    belief           -                  clause-only say
recognise     verb      assert    belief           -                  clause-only
realize       verb      assert    belief           -                  clause-only
realise       verb      assert    belief           -                  clause-only
remember      verb      assert    belief           -                  clause-only
notice        verb      assert    belief           -                  clause-only
imagine       verb      speculate belief           -                  clause-only
envision      verb      speculate belief           -                  clause-only
reckon        verb      speculate belief           -                  clause-only
posit         verb      speculate belief           -                  clause-only
opine         verb      assert    statement        -                  clause-only
muse          verb      speculate belief           -                  clause-only
ponder        verb      speculate belief           -                  clause-only
confess       verb      assert    statement        -                  clause-only
retort        verb      assert    statement        -                  clause-only
concur        verb      assert    statement        -                  clause-only
protest       verb      deny      statement        -                  clause-only
object        verb      deny      statement        -                  clause-only
grumble       verb      assert    statement        -                  clause-only
fume          verb      assert    statement        -                  clause-only
unveil        verb      other     statement        -                  object
outline       verb      other     statement        -                  object
detail        verb      assert    statement        -                  object
reference     verb      assert    statement        -                  object
invoke        verb      assert    statement        -                  object
downplay      verb      deny      statement        -                  object
embrace       verb      assert    statement        -                  object
champion      verb      assert    statement        -                  object stance
favor         verb      assert    statement        -                  object stance
favour        verb      assert    statement        -                  object
trumpet       verb      assert    statement        -                  object
laud          verb      assert    statement        -                  object stance
chastise      verb      assert    statement        -                  object stance
scold         verb      assert    statement        -                  object stance
lambaste      verb      assert    statement        -                  object stance
rebuke        verb      deny      statement        -                  object stance
decry         verb      deny      statement        -                  object
bemoan        verb      assert    statement        -                  object
deplore       verb      deny      statement        -                  object
ridicule      verb      assert    statement        -                  object stance
disparage     verb      assert    statement        -                  object stance
belittle      verb      assert    statement        -                  object stance
assail        verb      assert    statement        -                  object stance
bash          verb      assert    statement        -                  object stance
berate        verb      assert    statement        -                  object stance
exhort        verb      other     statement        -                  to
specify       verb      assert    statement        -                  object
deny          verb      deny      statement        -                  object
dismiss       verb      deny      statement        -                  object as
reject        verb      deny      statement        -                  object as
refute        verb      deny      statement        -                  object
dispute       verb      deny      statement        -                  object
rebuff        verb      deny      statement        -                  object
rebut         verb      deny      statement        -                  -
disagree      verb      deny      statement        about,on,with      -
decline       verb      deny      statement|intention -                 to
refuse        verb      deny      statement|intention -                 to
predict       verb      predict   statement        -                  object say aside
forecast      verb      predict   statement        -                  object
expect        verb      predict   belief           -                  object to say aside
warn          verb      predict   statement        about,against,of   to say about aside
anticipate    verb      predict   belief           -                  -
project       verb      predict   statement        -                  -
estimate      verb      predict   statement        -                  object say aside
suggest       verb      speculate statement        -                  object say aside evidence
speculate     verb      speculate statement        about,on           say aside
believe       verb      speculate belief           -                  clause-only say aside
think         verb      speculate belief           about,of           clause-only say aside
suspect       verb      speculate belief           -                  say aside
hint          verb      speculate statement        -                  -
imply         verb      speculate statement        -                  evidence
wonder        verb      speculate belief           -                  -
guess         verb      speculate belief           -                  -
fear          verb      speculate belief           for                object say aside
worry         verb      speculate belief           about,over         clause-only say about aside
hope          verb      speculate belief|intention for                to clause-only say aside
doubt         verb      speculate belief           -                  say
question      verb      speculate statement        about              object
caution       verb      predict   statement        about,against      about aside
urge          verb      other     statement        -                  object to
ask           verb      other     statement        about,for          to
demand        verb      other     statement        -                  object to
propose       verb      other     statement        -                  object to
recommend     verb      other     statement        -                  object to
want          verb      other     intention        -                  object to
plan          verb      other     intention        -                  to clause-only
seek          verb      other     intention        -                  object to
advise        verb      other     statement        -                  to
encourage     verb      other     statement        -                  to
implore       verb      other     statement        -                  to
remind        verb      other     statement        of                 -
plead         verb      other     statement        for                -
press         verb      other     statement        for                -
hear          verb      assert    belief           about,of           -
care          verb      other     belief           about              -
focus         verb      other     statement        on                 -
elaborate     verb      assert    statement        on                 -
reflect       verb      assert    statement        on                 evidence
expound       verb      assert    statement        on                 -
read          verb      assert    statement        -                  clause-only
chant         verb      assert    statement        -                  clause-only
sing          verb      assert    statement        -                  clause-only
shout         verb      assert    statement        -                  clause-only
yell          verb      assert    statement        -                  clause-only
scream        verb      assert    statement        -                  clause-only
exclaim       verb      assert    statement        -                  -
proclaim      verb      assert    statement        -                  object
whisper       verb      assert    statement        -                  -
mutter        verb      assert    statement        -                  -
quote         verb      assert    statement        -                  clause-only
attack        verb      assert    statement        -                  object as stance
blast         verb      assert    statement        -                  object as stance
slam          verb      assert    statement        -                  object as stance
rip           verb      assert    statement        -                  object
mock          verb      assert    statement        -                  object as stance
endorse       verb      assert    statement        -                  object stance
support       verb      assert    statement        -                  object stance evidence
back          verb      assert    statement        -                  object stance
oppose        verb      assert    statement        -                  object stance
echo          verb      assert    statement        -                  object
discuss       verb      other     statement        -                  object
disclose      verb      assert    statement        -                  object aside
publish       verb      assert    statement        -                  object
rule          verb      assert    statement        against,for,in,on  -
decide        verb      other     intention        -                  -
consider      verb      speculate belief           -                  object
speak         verb      assert    statement        about,against,of,on clause-only about
talk          verb      assert    statement        about,of           clause-only about
rail          verb      assert    statement        against            clause-only
weigh         verb      assert    statement        on                 clause-only
push          verb      other     statement        for                clause-only
lobby         verb      other     statement        against,for        clause-only
advocate      verb      other     statement        for                clause-only
campaign      verb      other     statement        against,for,on     clause-only
fight         verb      other     statement        against,for        clause-only
vote          verb      other     statement        against,for        clause-only
deride        verb      deny      statement        -                  object as stance
denounce      verb      deny      statement        -                  object as stance
see           verb      speculate belief           -                  as
view          verb      speculate belief           -                  object as
regard        verb      speculate belief           -                  object
admire        verb      assert    belief           -                  object stance
express       verb      assert    statement        about,over         object
voice         verb      assert    statement        -                  object
applaud       verb      assert    statement        -                  object stance
welcome       verb      assert    statement        -                  object
challenge     verb      deny      statement        -                  object
contradict    verb      deny      statement        -                  object
insult        verb      assert    statement        -                  object stance
label         verb      assert    statement        -                  object as
characterize  verb      assert    statement        -                  object as
portray       verb      assert    statement        -                  object as
brand         verb      assert    statement        -                  object as
liken         verb      assert    statement        -                  object
compare       verb      assert    statement        -                  object
hail          verb      assert    statement        -                  object as stance
tout          verb      assert    statement        -                  object as
commend       verb      assert    statement        -                  object stance
speculation   noun      speculate statement        -                  -
suggestion    noun      speculate statement        -                  -
belief        noun      speculate belief           -                  -
suspicion     noun      speculate belief           -                  -
fear          noun      speculate belief           about,of           -
hope          noun      speculate belief|intention -                  -
view          noun      speculate belief           of,on              -
possibility   noun      speculate statement        -                  -
theory        noun      speculate belief           -                  -
concern       noun      speculate belief           about,over         -
claim         noun      assert    statement        -                  -
statement     noun      assert    statement        -                  -
assertion     noun      assert    statement        -                  -
allegation    noun      assert    statement        -                  -
argument      noun      assert    statement        -                  -
insistence    noun      assert    statement        -                  -
announcement  noun      assert    statement        -                  -
accusation    noun      assert    statement        -                  -
charge        noun      assert    statement        -                  -
remark        noun      assert    statement        about,on           -
comment       noun      assert    statement        about,on           -
report        noun      assert    statement        -                  -
assessment    noun      assert    statement        -                  -
finding       noun      assert    statement        -                  -
admission     noun      assert    statement        -                  -
acknowledgment noun     assert    statement        -                  -
contention    noun      assert    statement        -                  -
testimony     noun      assert    statement        -                  -
denial        noun      deny      statement        -                  -
rejection     noun      deny      statement        -                  -
warning       noun      predict   statement        about,against,of   -
prediction    noun      predict   statement        -                  -
forecast      noun      predict   statement        -                  -
estimate      noun      predict   statement        -                  -
expectation   noun      predict   belief           -                  -
promise       noun      other     statement        -                  to
pledge        noun      other     statement        -                  to
demand        noun      other     statement        -                  to
call          noun      other     statement        -                  to
proposal      noun      other     statement        -                  to
question      noun      speculate statement        about,over         -
plan          noun      other     intention        -                  to
decision      noun      other     intention        -                  to
refusal       noun      deny      intention        -                  to
threat        noun      predict   statement        -                  to
vow           noun      other     statement        -                  to
intention     noun      other     intention        -                  to
commitment    noun      other     intention        -                  to
determination noun      other     intention        -                  to
desire        noun      other     intention        -                  to
willingness   noun      other     intention        -                  to
push          noun      other     intention        -                  to
case          noun      assert    statement        against,for        -
secret        noun      assert    statement        of                 -
doubt         noun      speculate belief           about,over         -
criticism     noun      assert    statement        of                 -
support       noun      assert    statement        for                -
opposition    noun      deny      statement        to                 -
praise        noun      assert    statement        for                -
illusion      noun      speculate belief           about              -
reservation   noun      speculate belief           about              -
position      noun      assert    statement        on                 -
stance        noun      assert    statement        on                 -
complaint     noun      assert    statement        about              -
objection     noun      deny      statement        to                 -
skepticism    noun      speculate belief           about,of           -
critical      adjective assert    statement        of                 -
opposed       adjective deny      statement        to                 -
supportive    adjective assert    statement        of                 -
skeptical     adjective speculate belief           about,of           -
sceptical     adjective speculate belief           about,of           -
confident     adjective predict   belief           about,in,of        -
sure          adjective assert    belief           about,of           -
certain       adjective assert    belief           about,of           -
convinced     adjective assert    belief           of                 -
worried       adjective speculate belief           about,by,over      -
concerned     adjective speculate belief           about,by,over      -
optimistic    adjective predict   belief           about              -
pessimistic   adjective predict   belief           about              -
hopeful       adjective predict   belief           about,of           -
adamant       adjective assert    statement        about              -
aware         adjective assert    belief           of                 -
wary          adjective speculate belief           about,of           -
fearful       adjective speculate belief           of                 -
afraid        adjective speculate belief           of                 -
angry         adjective assert    belief           about,at,over      -
upset         adjective assert    belief           about,by,over,with -
unhappy       adjective assert    belief           about,over,with    -
proud         adjective assert    belief           of                 -
enthusiastic  adjective assert    belief           about              -
dismissive    adjective deny      statement        of                 -
doubtful      adjective speculate belief           about,of           -
eager         adjective other     intention        -                  -
keen          adjective other     intention        -                  -
willing       adjective other     intention        -                  -
reluctant     adjective other     intention        -                  -
determined    adjective other     intention        -                  -
unwilling     adjective other     intention        -                  -
supporter     agent     assert    belief           of                 -
backer        agent     assert    belief           of                 -
proponent     agent     assert    belief           of                 -
advocate      agent     assert    belief           of                 -
champion      agent     assert    belief           of                 -
defender      agent     assert    belief           of                 -
fan           agent     assert    belief           of                 -
admirer       agent     assert    belief           of                 -
opponent      agent     deny      belief           of                 -
critic        agent     deny      belief           of                 -
foe           agent     deny      belief           of                 -
skeptic       agent     speculate belief           of                 -
air           light     other     statement        -                  -
express       light     other     statement        -                  -
float         light     other     statement        -                  -
fuel          light     other     statement        -                  -
give          light     other     statement        -                  -
have          light     other     statement        -                  -
issue         light     other     statement        -                  -
make          light     other     statement        -                  -
offer         light     other     statement        -                  -
put           light     other     statement        -                  -
raise         light     other     statement        -                  -
share         light     other     statement        -                  -
spark         light     other     statement        -                  -
stoke         light     other     statement        -                  -
voice         light     other     statement        -                  -
"""


@dataclass(frozen=True)
class Cue:
    """One row of the lexicon."""

    word: str
    part: Part
    cue_class: CueClass
    type: str
    preps: frozenset[str]
    frames: frozenset[str]

    def claim_type(self, infinitive: bool = False) -> ClaimType:
        """What this cue attributes: "hopes to" is an intention, "hopes that" a belief."""
        if "|" in self.type:
            with_clause, with_infinitive = self.type.split("|")
            return cast(ClaimType, with_infinitive if infinitive else with_clause)
        return cast(ClaimType, self.type)


def _parse(table: str) -> tuple[Cue, ...]:
    rows = []
    for line in table.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, part, cue_class, claim_type, preps, *frames = line.split()
        rows.append(
            Cue(
                word=word,
                part=cast(Part, part),
                cue_class=cast(CueClass, cue_class),
                type=claim_type,
                preps=frozenset() if preps == "-" else frozenset(preps.split(",")),
                frames=frozenset(f for f in frames if f != "-"),
            )
        )
    return tuple(rows)


LEXICON: tuple[Cue, ...] = _parse(_TABLE)


def cues_of(part: Part) -> dict[str, Cue]:
    """The lexicon's rows of one part of speech, by word, in table order."""
    return {cue.word: cue for cue in LEXICON if cue.part == part}


def words_with(part: Part, frame: str) -> frozenset[str]:
    """Words of one part of speech that allow a frame."""
    return frozenset(cue.word for cue in LEXICON if cue.part == part and frame in cue.frames)
