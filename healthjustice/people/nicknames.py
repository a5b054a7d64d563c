"""Common English given-name forms: each group lists a formal name and the short or familiar
forms people use for it (Jon/John/Jonathan, Bill/William, Peggy/Margaret).

Kept small and deliberate: a group joins names that clerks, custody suites and courts write for
the same person. Names that belong to two groups (Chris: Christopher or Christine) are left out
of the narrower one, so a short form never makes two different formal names agree.
"""

NAME_GROUPS: tuple[tuple[str, ...], ...] = (
    ("john", "jon", "jonathan", "johnny", "jack"),
    ("william", "bill", "billy", "will", "willie", "liam"),
    ("margaret", "peggy", "maggie", "meg", "marge", "maisie"),
    ("robert", "bob", "bobby", "rob", "robbie", "bert"),
    ("richard", "dick", "rick", "ricky", "rich", "richie"),
    ("james", "jim", "jimmy", "jamie"),
    ("michael", "mike", "mick", "micky", "mikey"),
    ("christopher", "chris", "kit"),
    ("thomas", "tom", "tommy"),
    ("anthony", "tony", "ant"),
    ("daniel", "dan", "danny"),
    ("david", "dave", "davey"),
    ("edward", "ed", "eddie", "ted", "ned"),
    ("joseph", "joe", "joey"),
    ("matthew", "matt"),
    ("andrew", "andy", "drew"),
    ("stephen", "steven", "steve", "stevie"),
    ("samuel", "sam", "sammy"),
    ("benjamin", "ben", "benny"),
    ("alexander", "alex", "sandy"),
    ("nicholas", "nick", "nicky"),
    ("philip", "phil"),
    ("peter", "pete"),
    ("kenneth", "ken", "kenny"),
    ("gregory", "greg"),
    ("patrick", "pat", "paddy"),
    ("terence", "terry"),
    ("lawrence", "laurence", "larry"),
    ("elizabeth", "liz", "lizzie", "beth", "betty", "eliza", "libby"),
    ("catherine", "katherine", "kathryn", "kate", "katie", "cath", "kathy"),
    ("rebecca", "becky", "becca"),
    ("jennifer", "jenny", "jen"),
    ("susan", "sue", "suzie"),
    ("deborah", "debbie", "debra", "deb"),
    ("patricia", "patsy", "trish", "tricia"),
    ("victoria", "vicky", "vicki", "tori"),
    ("samantha", "sammie"),
    ("jacqueline", "jackie"),
    ("christine", "christina", "tina"),
    ("nicola", "nicki", "nikki"),
    ("joanne", "jo", "joanna"),
    ("alison", "ali", "allie"),
    ("amanda", "mandy"),
    ("charlotte", "charlie", "lottie"),
    ("abigail", "abby", "abi"),
    ("dorothy", "dot", "dolly"),
    ("mary", "molly", "polly"),
    ("sarah", "sally", "sara"),
    ("helen", "ellen", "nell"),
)


def _index() -> dict[str, str]:
    canonical: dict[str, str] = {}
    for group in NAME_GROUPS:
        for name in group:
            canonical.setdefault(name, group[0])
    return canonical


# Each known form to its group's formal name ("jon" -> "john", "peggy" -> "margaret").
CANONICAL_GIVEN_NAME: dict[str, str] = _index()
