"""The demo's invented words: streets, landmarks, clothing and what people wrote down."""

from __future__ import annotations

import random

from homeward.episodes.models import MissingFrom, RiskGrade

STREETS = (
    "Mill Lane", "Orchard Rise", "Chapel Street", "Granary Walk", "Tanners Row", "Ropewalk",
    "Station Approach", "Kiln Close", "Ferry Road", "Willow Crescent", "Bellfield Road",
    "Cooper's Yard", "Abbot's Way", "Canal Side", "Victoria Terrace", "Linnet Close",
)  # fmt: skip
LANDMARKS = (
    "the bus station", "the railway station", "the retail park", "the skate park",
    "the shopping centre", "the canal towpath", "the leisure centre", "the recreation ground",
    "the market square", "the takeaway on the high street", "the underpass by the ring road",
)  # fmt: skip
COLOURS = ("black", "grey", "navy", "white", "red", "green", "khaki", "burgundy")
TOPS = ("hooded top", "puffer jacket", "tracksuit top", "school blazer", "denim jacket")
BOTTOMS = ("joggers", "jeans", "school trousers", "leggings", "cargo shorts")
SHOES = ("white trainers", "black trainers", "sliders", "school shoes", "boots")

CIRCUMSTANCES = {
    MissingFrom.PLACEMENT: (
        "Left the home after an argument with staff about phone use.",
        "Did not return from an agreed visit to a friend in {town}.",
        "Said they were going to the shop after tea and did not come back.",
        "Seen getting into a car outside the placement; driver not known to carers.",
        "Climbed out of a bedroom window after staff checks at night.",
        "Did not come back by the agreed time after contact with family.",
        "Upset after a phone call; walked out and switched the phone off.",
    ),
    MissingFrom.HOME: (
        "Argument at home about curfew; left the house.",
        "Did not come home from school.",
        "Went out to see friends and did not return by the agreed time.",
        "Left after being told off; phone switched off.",
        "Told parent they were staying at a friend's; the friend's family say not.",
    ),
    MissingFrom.SCHOOL: (
        "Left school at lunchtime without permission.",
        "Dropped at the school gate but did not register.",
        "Walked out of a lesson after an incident with another pupil.",
    ),
    MissingFrom.OTHER: (
        "Did not return from a family outing in {town}.",
        "Separated from carers in {town} town centre.",
        "Left a youth club session early and did not go home.",
    ),
}
SIGHTINGS = (
    "Seen by a member of the public near {landmark} in {town}.",
    "A friend says they were at {landmark} earlier.",
    "Posted on social media from {town} town centre.",
    "CCTV shows them boarding a bus towards {town}.",
    "Staff at {landmark} think they saw them with two older teenagers.",
)
CALLS = (
    "Called the child's phone: no answer.",
    "The child answered, said they were safe but would not say where they were.",
    "Called the mother: not seen them today.",
    "Called a known friend's family: not there.",
    "Voicemail left asking the child to get in touch.",
)
ACTIONS = (
    "Officer attended the placement and searched the bedroom.",
    "Checked known address on {street}, {town}: not there.",
    "Description circulated to patrols in {town}.",
    "Allocated social worker told.",
    "Phone location check requested.",
    "Missing profile shared with the force control room.",
    "Patrol checked {landmark} in {town}: not seen.",
)
INITIAL_RATIONALE = {
    RiskGrade.VERY_LOW: (
        "Whereabouts thought to be known; no risk factors identified.",
        "Late back by an hour; in contact by text.",
    ),
    RiskGrade.LOW: (
        "Has gone missing before and returned the same evening; no known risks.",
        "First episode in several months; no known risks.",
        "Older child, has phone and money; no concerns raised by carers.",
    ),
    RiskGrade.MEDIUM: (
        "Phone switched off; previous episodes involved associating with older peers.",
        "Upset when they left; history of self-harm.",
        "Not answering calls; missing overnight before.",
    ),
    RiskGrade.HIGH: (
        "Known to associate with adults suspected of exploitation.",
        "Young age and no phone; left in distress.",
        "Needs daily medication and has none with them.",
    ),
}
UP_RATIONALE = (
    "No contact for over 24 hours and phone still switched off.",
    "Information that the child has been seen with an adult known to police.",
    "Has not taken prescribed medication since leaving.",
    "Seen getting into a car with unknown adults.",
)
DOWN_RATIONALE = (
    "The child has been in contact by phone and says they are safe.",
    "Seen by staff at a friend's address; known and safe.",
    "A friend's parent confirms the child is with them.",
)
SOURCES = (
    "Children's home staff", "Social worker", "Parent", "Friend's parent",
    "Police intelligence", "CCTV review", "Foster carer",
)  # fmt: skip
FOUND = (
    "a friend's address, {n} {street}, {town}",
    "{town} town centre",
    "{landmark}, {town}",
    "a relative's home in {town}",
)
HARM = (
    "Smelt of cannabis.",
    "Had cash and a second phone that could not be explained.",
    "Minor cut to the hand; first aid given.",
    "Tired and hungry; said they had not slept.",
    "Said an older male bought them food and drink.",
)


CHECK_ACCOUNTS = (
    "Said they were with friends the whole time and nothing happened.",
    "Did not want to talk; said they were fine and tired.",
    "Said they went to see their mum and did not tell anyone because they would be stopped.",
    "Said an older boy they know gave them a lift and they stayed at his flat.",
    "Said they were upset after an argument and walked around until they were cold.",
    "Chose not to speak to officers.",
)
CHECK_NOT_DONE = (
    "The child refused to speak to officers.",
    "Returned late at night and was asleep; carers declined a visit until the morning.",
    "The child moved placement before the check could be arranged.",
)
CHECK_LOCATIONS = ("At the placement", "At home", "At the police station", "At school")
INTERVIEW_NOT_OFFERED = (
    "The child moved to a new placement out of area the same day.",
    "The child was admitted to hospital.",
    "The return was not passed on in time; missed in error.",
)
INTERVIEW_DECLINED = (
    "Did not want to talk about it again.",
    "Said they had already told the police everything.",
    "",
)
INTERVIEW_ACCOUNTS = (
    "I just needed to get away from everyone for a bit. I went to the park and then my "
    "mate's house.",
    "I wanted to see my mum. Nobody listens when I ask to see her more.",
    "There's an older lad who gives us lifts. He's alright. I don't want to say his name.",
    "Staff kept going on at me about my phone so I left. I came back when I was hungry.",
    "I was at a party. I didn't mean to stay that long.",
    "I don't like it there. The other kids wind me up and staff don't do anything.",
)
WHAT_WOULD_HELP = (
    "More time with my mum.",
    "Being allowed my phone at night.",
    "Someone to talk to who isn't staff.",
    "Moving closer to my friends.",
    "",
)
INTERVIEW_ACTIONS = (
    "Contact arrangements to be reviewed at the next looked-after review.",
    "Referral to the exploitation panel.",
    "Shared with the allocated social worker and the missing coordinator.",
    "Safety plan agreed with the child and carers.",
    "Referral to the school counsellor.",
)
INTERVIEW_PLACES = (
    "At the placement",
    "At school",
    "At the provider's office",
    "On a walk in the park",
    "At a cafe in town",
)
# Places an episode of the generator's ends: fewer words, the same invented town.
PLACES = ("the bus station", "the retail park", "a friend's address", "the town centre")


def clothing(rng: random.Random) -> str:
    return (
        f"{rng.choice(COLOURS).capitalize()} {rng.choice(TOPS)}, "
        f"{rng.choice(COLOURS)} {rng.choice(BOTTOMS)}, {rng.choice(SHOES)}"
    )
