"""Answer lists for equality monitoring (Equality Act 2010 protected characteristics).

Categories follow the Census 2021 questions where there is one, so figures can be set beside
the area's Census population. Every question allows "Prefer not to say"; an unanswered
question is stored as blank and reported as "Not recorded". Age is not asked: it comes from
the date of birth.
"""

from __future__ import annotations

from django.db import models

PREFER_NOT_TO_SAY = "prefer_not_to_say"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class MaritalStatus(models.TextChoices):
    NEVER = "never_married", "Never married and never registered a civil partnership"
    MARRIED = "married", "Married"
    CIVIL_PARTNERSHIP = "civil_partnership", "In a registered civil partnership"
    SEPARATED = "separated", "Separated, but still legally married or in a civil partnership"
    DIVORCED = "divorced", "Divorced or civil partnership dissolved"
    WIDOWED = "widowed", "Widowed or surviving civil partner"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class EthnicGroup(models.TextChoices):
    ASIAN = "asian", "Asian, Asian British or Asian Welsh"
    BLACK = "black", "Black, Black British, Black Welsh, Caribbean or African"
    MIXED = "mixed", "Mixed or Multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class Religion(models.TextChoices):
    NONE = "none", "No religion"
    CHRISTIAN = "christian", "Christian"
    BUDDHIST = "buddhist", "Buddhist"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Any other religion"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


class SexualOrientation(models.TextChoices):
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Another sexual orientation"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY, "Prefer not to say"


# (field name, question, choices) in the order the form asks them.
QUESTIONS: list[tuple[str, str, type[models.TextChoices]]] = [
    ("sex", "What is your sex?", Sex),
    (
        "gender_same_as_birth",
        "Is the gender you identify with the same as your sex registered at birth?",
        YesNo,
    ),
    ("disability", "Do you consider yourself to have a disability or long-term condition?", YesNo),
    (
        "marital_status",
        "What is your legal marital or registered civil partnership status?",
        MaritalStatus,
    ),
    (
        "pregnancy_maternity",
        "Are you pregnant or have you given birth in the last 26 weeks?",
        YesNo,
    ),
    ("ethnic_group", "What is your ethnic group?", EthnicGroup),
    ("religion", "What is your religion?", Religion),
    (
        "sexual_orientation",
        "Which of the following best describes your sexual orientation?",
        SexualOrientation,
    ),
]
