"""Coded lists for what children tell us after they return."""

from django.db import models


class Disclosure(models.TextChoices):
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation or county lines"
    ABUSE = "abuse", "Abuse or neglect"
    CRIME_VICTIM = "crime_victim", "Victim of a crime"
    CRIME_OFFENDER = "crime_offender", "Involved in committing a crime"
    OTHER = "other", "Something else"


class PushFactor(models.TextChoices):
    CONFLICT_HOME = "conflict_home", "Conflict at home or in placement"
    UNHAPPY_PLACEMENT = "unhappy_placement", "Unhappy with placement"
    ABUSE_NEGLECT = "abuse_neglect", "Abuse or neglect"
    BULLYING = "bullying", "Bullying"
    BOUNDARIES = "boundaries", "Rules or boundaries"
    BEREAVEMENT = "bereavement", "Bereavement or loss"
    SCHOOL = "school", "Problems at school"
    MENTAL_HEALTH = "mental_health", "Mental health or emotional wellbeing"
    OTHER = "other", "Other"


class PullFactor(models.TextChoices):
    FAMILY = "family", "To see family"
    FRIENDS = "friends", "To be with friends"
    PARTNER = "partner", "Boyfriend or girlfriend"
    OLDER_ASSOCIATES = "older_associates", "Older associates"
    SUBSTANCES = "substances", "Drugs or alcohol"
    HOME_AREA = "home_area", "Return to home area"
    EXCITEMENT = "excitement", "Fun or excitement"
    OTHER = "other", "Other"


class RiskFound(models.TextChoices):
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual exploitation"
    CRIMINAL_EXPLOITATION = "criminal_exploitation", "Criminal exploitation and county lines"
    TRAFFICKING = "trafficking", "Trafficking or modern slavery"
    GANGS = "gangs", "Gangs or serious youth violence"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse"
    MENTAL_HEALTH = "mental_health", "Mental health"
    SELF_HARM = "self_harm", "Self-harm"
    MISSING_WITH_OTHERS = "missing_with_others", "Going missing with others"
    RADICALISATION = "radicalisation", "Radicalisation"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse"
    OTHER = "other", "Other"


class OfferMethod(models.TextChoices):
    IN_PERSON = "in_person", "In person"
    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    LETTER = "letter", "Letter"


class InterviewOutcome(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    NOT_OFFERED = "not_offered", "Not offered"


class InterviewerKind(models.TextChoices):
    INDEPENDENT = "independent", "Independent of the child's care"
    TRUSTED = "trusted", "A trusted person the child chose"
