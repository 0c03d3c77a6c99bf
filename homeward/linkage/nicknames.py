"""Short forms of given names, and the full names they stand for.

``canonical("Tom")`` is ``{"thomas"}``: the search keys and the scoring compare the full
names, so a child recorded as Thomas is found by someone who knows him as Tom. A short
form may stand for more than one name (Alex: Alexander, Alexandra); a full name stands
for itself. The table is of names common among children in England; it is data, not
code, and may grow."""

from __future__ import annotations

from functools import cache

# full name -> its common short forms and spellings used as short forms
_FORMS: dict[str, tuple[str, ...]] = {
    "abigail": ("abbie", "abby", "abi", "gail"),
    "alexander": ("alex", "alec", "alexi", "sandy", "xander", "lex", "al"),
    "alexandra": ("alex", "alexa", "lexi", "lexie", "sandra", "sasha", "ali"),
    "alfred": ("alfie", "alf", "fred", "freddie"),
    "alice": ("ally", "allie"),
    "amelia": ("millie", "mia", "amy", "mel"),
    "andrew": ("andy", "drew"),
    "anthony": ("tony", "ant"),
    "archibald": ("archie", "arch"),
    "arthur": ("art", "artie"),
    "barnaby": ("barney",),
    "benjamin": ("ben", "benny", "benji", "benjy"),
    "bradley": ("brad",),
    "callum": ("cal",),
    "caroline": ("carrie", "caz", "carol"),
    "catherine": ("cath", "cathy", "kate", "katie", "kat", "cat", "kitty"),
    "charles": ("charlie", "chas", "chaz", "chuck"),
    "charlotte": ("charlie", "lottie", "lotte", "char"),
    "christopher": ("chris", "kit", "topher"),
    "christina": ("chris", "tina", "chrissie"),
    "daniel": ("dan", "danny"),
    "david": ("dave", "davey", "davie"),
    "deborah": ("debbie", "deb", "debs"),
    "dominic": ("dom",),
    "dorothy": ("dot", "dolly", "dottie"),
    "edward": ("ed", "eddie", "ted", "teddy", "ned"),
    "eleanor": ("ellie", "nell", "nellie", "elle", "nora"),
    "elizabeth": ("liz", "lizzie", "beth", "betty", "eliza", "libby", "lisa", "bess", "elsie"),
    "emily": ("em", "emmy", "millie"),
    "emma": ("em", "emmy"),
    "frances": ("fran", "frankie"),
    "francis": ("frank", "frankie"),
    "frederick": ("fred", "freddie", "freddy"),
    "gabriel": ("gabe",),
    "gabriella": ("gabby", "ella"),
    "george": ("georgie",),
    "gregory": ("greg",),
    "harold": ("harry", "hal"),
    "harriet": ("hattie", "harri"),
    "henry": ("harry", "hal", "hank"),
    "isabella": ("bella", "izzy", "issy", "isla", "belle"),
    "isabelle": ("bella", "izzy", "issy", "belle"),
    "jacob": ("jake", "jakey"),
    "james": ("jim", "jimmy", "jamie", "jay"),
    "jennifer": ("jen", "jenny", "jenna"),
    "jessica": ("jess", "jessie"),
    "john": ("jack", "johnny", "jon"),
    "jonathan": ("jon", "jonny", "johnny", "nathan"),
    "joseph": ("joe", "joey", "jo"),
    "josephine": ("jo", "josie"),
    "joshua": ("josh",),
    "katherine": ("kate", "katie", "kath", "kathy", "kat", "kay", "kitty"),
    "kathleen": ("kath", "kathy", "katie"),
    "kenneth": ("ken", "kenny"),
    "lawrence": ("larry", "laurie"),
    "leonard": ("leo", "len", "lenny"),
    "louis": ("lou", "louie"),
    "louise": ("lou", "lulu"),
    "madeleine": ("maddie", "maddy"),
    "margaret": ("maggie", "meg", "peggy", "marge", "margo"),
    "matilda": ("tilly", "tillie", "mattie"),
    "matthew": ("matt", "matty"),
    "michael": ("mike", "mick", "micky", "mikey", "mickey"),
    "mohammed": ("mo", "moe", "hamid"),
    "muhammad": ("mo", "moe"),
    "natalie": ("nat", "tally"),
    "nathaniel": ("nate", "nat", "nathan"),
    "nicholas": ("nick", "nicky", "nico"),
    "nicola": ("nicky", "nikki"),
    "oliver": ("ollie", "olly"),
    "olivia": ("liv", "livvy", "ollie", "livia"),
    "patrick": ("pat", "paddy"),
    "patricia": ("pat", "patty", "trish", "tricia"),
    "peter": ("pete",),
    "philip": ("phil", "pip"),
    "rebecca": ("becky", "becca", "bex"),
    "richard": ("rich", "richie", "rick", "ricky", "dick"),
    "robert": ("rob", "robbie", "bob", "bobby", "bert"),
    "ronald": ("ron", "ronnie"),
    "rosemary": ("rosie", "rose"),
    "samantha": ("sam", "sammy"),
    "samuel": ("sam", "sammy"),
    "sebastian": ("seb", "bastian"),
    "sophia": ("sophie", "soph"),
    "stephanie": ("steph", "stevie"),
    "stephen": ("steve", "stevie"),
    "steven": ("steve", "stevie"),
    "susan": ("sue", "susie", "suzy"),
    "theodore": ("theo", "ted", "teddy"),
    "thomas": ("tom", "tommy", "thom"),
    "timothy": ("tim", "timmy"),
    "victoria": ("vicky", "vicki", "tori", "tory"),
    "william": ("will", "bill", "billy", "willie", "liam"),
    "zachary": ("zach", "zack", "zak"),
}

_FULL: dict[str, set[str]] = {}
for _full, _shorts in _FORMS.items():
    for _short in _shorts:
        _FULL.setdefault(_short, set()).add(_full)


@cache
def canonical(name: str) -> frozenset[str]:
    """The full names ``name`` (lower case, letters only) may stand for: itself when it is
    a full name or not in the table, else the names it is a short form of."""
    return frozenset(_FULL.get(name) or {name})


def is_short_form(short: str, full: str) -> bool:
    """Whether one of the two names is a known short form of the other (or both of one name)."""
    if short == full:
        return False
    return bool(canonical(short) & canonical(full))
