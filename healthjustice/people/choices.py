from django.db import models


class Sex(models.TextChoices):
    # NHS Data Dictionary PERSON STATED SEX / PHENOTYPIC SEX style codes
    MALE = "1", "Male"
    FEMALE = "2", "Female"
    INDETERMINATE = "9", "Indeterminate (unable to be classified as either male or female)"
    NOT_KNOWN = "X", "Not known"


class GenderIdentity(models.TextChoices):
    # NHS Data Dictionary GENDER IDENTITY CODE
    MALE = "1", "Male (including trans man)"
    FEMALE = "2", "Female (including trans woman)"
    NON_BINARY = "3", "Non-binary"
    OTHER = "4", "Other (not listed)"
    NOT_KNOWN = "X", "Not known (not asked)"
    NOT_STATED = "Z", "Not stated (asked but declined to provide a response)"


class NhsNumberMissingReason(models.TextChoices):
    NOT_YET_TRACED = "not_traced", "Not yet traced"
    DECLINED = "declined", "Person declined to give it"
    NOT_REGISTERED = "not_registered", "Not registered with the NHS"
    UNABLE = "unable", "Person unable to give it"
    OTHER = "other", "Other"


class Religion(models.TextChoices):
    NO_RELIGION = "none", "No religion"
    BUDDHIST = "buddhist", "Buddhist"
    CHRISTIAN = "christian", "Christian"
    HINDU = "hindu", "Hindu"
    JEWISH = "jewish", "Jewish"
    MUSLIM = "muslim", "Muslim"
    SIKH = "sikh", "Sikh"
    OTHER = "other", "Other religion or belief"
    DECLINED = "declined", "Declined to say"
    NOT_KNOWN = "not_known", "Not known"


class CommunicationNeed(models.TextChoices):
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    AUTISM = "autism", "Autism"
    ADHD = "adhd", "ADHD"
    SLCN = "slcn", "Speech, language and communication needs"
    HEARING = "hearing", "Deaf or hard of hearing"
    SIGHT = "sight", "Blind or partially sighted"
    LITERACY = "literacy", "Difficulty reading or writing"


class VeteranStatus(models.TextChoices):
    VETERAN = "veteran", "Veteran of the UK armed forces"
    SERVING = "serving", "Currently serving"
    NOT_VETERAN = "no", "Not a veteran"
    NOT_KNOWN = "not_known", "Not known"
    DECLINED = "declined", "Declined to say"


class AliasKind(models.TextChoices):
    ALIAS = "alias", "Alias (name given in custody or court)"
    PREVIOUS = "previous", "Previous name"
    KNOWN_AS = "known_as", "Also known as"


class RestrictionReason(models.TextChoices):
    STAFF_MEMBER = "staff", "Member of staff"
    STAFF_RELATIVE = "staff_relative", "Relative or friend of a member of staff"
    HIGH_PROFILE = "high_profile", "High-profile case"
    OTHER = "other", "Other"


# Equality monitoring (the protected characteristics a trust asks about), for anyone the
# service records who is not a patient: carers, people giving feedback, people involved in
# co-production. Every answer is optional and self-described.
class AgeGroup(models.TextChoices):
    UNDER_18 = "under_18", "Under 18"
    AGE_18_25 = "18_25", "18 to 25"
    AGE_26_40 = "26_40", "26 to 40"
    AGE_41_64 = "41_64", "41 to 64"
    AGE_65_PLUS = "65_plus", "65 or over"


class SexualOrientation(models.TextChoices):
    # NHS Data Dictionary SEXUAL ORIENTATION CODE (2015)
    HETEROSEXUAL = "1", "Heterosexual or straight"
    GAY_OR_LESBIAN = "2", "Gay or lesbian"
    BISEXUAL = "3", "Bisexual"
    OTHER = "4", "Other sexual orientation"
    NOT_SURE = "U", "Not sure"
    NOT_STATED = "Z", "Prefer not to say"


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_STATED = "prefer_not", "Prefer not to say"
