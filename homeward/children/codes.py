"""DfE code lists (SSDA903 / CIN census) used for children and placements."""

from django.db import models


class Sex(models.TextChoices):
    MALE = "1", "Male"
    FEMALE = "2", "Female"


class Ethnicity(models.TextChoices):
    WBRI = "WBRI", "White British"
    WIRI = "WIRI", "White Irish"
    WIRT = "WIRT", "Traveller of Irish heritage"
    WOTH = "WOTH", "Any other White background"
    WROM = "WROM", "Gypsy/Roma"
    MWBC = "MWBC", "White and Black Caribbean"
    MWBA = "MWBA", "White and Black African"
    MWAS = "MWAS", "White and Asian"
    MOTH = "MOTH", "Any other mixed background"
    AIND = "AIND", "Indian"
    APKN = "APKN", "Pakistani"
    ABAN = "ABAN", "Bangladeshi"
    AOTH = "AOTH", "Any other Asian background"
    BCRB = "BCRB", "Caribbean"
    BAFR = "BAFR", "African"
    BOTH = "BOTH", "Any other Black background"
    CHNE = "CHNE", "Chinese"
    OOTH = "OOTH", "Any other ethnic group"
    REFU = "REFU", "Refused"
    NOBT = "NOBT", "Information not yet obtained"


class LegalStatusKind(models.TextChoices):
    LOOKED_AFTER = "looked_after", "Looked after"
    CHILD_IN_NEED = "child_in_need", "Child in need"
    CHILD_PROTECTION = "child_protection", "Child protection plan"
    NONE = "none", "None"


class PlacementType(models.TextChoices):
    """SSDA903 PLACE codes (2023-24 onwards)."""

    A3 = "A3", "Placed for adoption with consent, with current foster carer"
    A4 = "A4", "Placed for adoption with consent, not with current foster carer"
    A5 = "A5", "Placed for adoption with placement order, with current foster carer"
    A6 = "A6", "Placed for adoption with placement order, not with current foster carer"
    H5 = "H5", "Semi-independent living accommodation not subject to children's homes regulations"
    K1 = "K1", "Secure children's home"
    K2 = "K2", "Children's home"
    P1 = "P1", "Placed with own parent(s) or other person with parental responsibility"
    P2 = "P2", "Independent living, e.g. in a flat, lodgings, bedsit or B&B"
    P3 = "P3", "Residential employment"
    R1 = "R1", "Residential care home"
    R2 = "R2", "NHS/health trust or other establishment providing medical or nursing care"
    R3 = "R3", "Family centre or mother and baby unit"
    R5 = "R5", "Young offender institution or prison"
    S1 = "S1", "All residential schools, except where dual-registered as a school and home"
    T0 = "T0", "Temporary placement (all types)"
    T1 = "T1", "Temporary periods in hospital"
    T2 = "T2", "Temporary absences of the child on holiday"
    T3 = "T3", "Temporary accommodation whilst normal foster carer is on holiday"
    T4 = "T4", "Temporary accommodation of seven days or less"
    U1 = "U1", "Foster placement with relative or friend, long term fostering"
    U2 = "U2", "Foster placement with relative or friend, FFA/concurrent planning"
    U3 = "U3", "Foster placement with relative or friend, not long term or FFA"
    U4 = "U4", "Foster placement with other foster carer, long term fostering"
    U5 = "U5", "Foster placement with other foster carer, FFA/concurrent planning"
    U6 = "U6", "Foster placement with other foster carer, not long term or FFA"
    Z1 = "Z1", "Other placements"


def nhs_number_is_valid(value: str) -> bool:
    """NHS numbers are ten digits; the tenth is a modulus 11 check digit."""
    digits = value.replace(" ", "")
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits[:9]))
    check = 11 - (total % 11)
    if check == 11:
        check = 0
    if check == 10:
        return False
    return check == int(digits[9])


UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn_is_valid(value: str) -> bool:
    """DfE Unique Pupil Number: check letter, 3-digit LA, 4-digit school, 4 more digits
    (the last may be a letter for a temporary UPN). The check letter is modulus 23."""
    upn = value.strip().upper()
    if len(upn) != 13 or upn[0] not in UPN_LETTERS or not upn[1:12].isdigit():
        return False
    if not (upn[12].isdigit() or upn[12] in UPN_LETTERS):
        return False
    weights = range(2, 14)
    total = 0
    for weight, char in zip(weights, upn[1:], strict=True):
        total += weight * (int(char) if char.isdigit() else UPN_LETTERS.index(char) + 1)
    return UPN_LETTERS[total % 23] == upn[0]
