"""The cue lexicon: which words introduce a statement, and which speech act each makes.

The hand-written tables below give speech acts and the constructions every newsroom uses.
Whether a candidate is kept is decided by the learned model in ``features`` when it is
installed (``data/cue_model.json``); ``is_cue`` is the hand-written rule used without it.
"""

from __future__ import annotations

# Verb lemma -> speech act. A verb listed here is always a cue when it governs a clause.
VERB_ACTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "say",
            "tell",
            "add",
            "state",
            "stress",
            "note",
            "explain",
            "remark",
            "comment",
            "write",
            "tweet",
            "post",
            "declare",
            "insist",
            "maintain",
            "argue",
            "contend",
            "emphasize",
            "emphasise",
            "reiterate",
            "underline",
            "point",
            "observe",
            "mention",
            "recall",
            "describe",
            "suggest",
            "indicate",
            "assert",
            "claim",
            "allege",
            "testify",
            "answer",
            "reply",
            "respond",
            "continue",
            "conclude",
            "acknowledge",
            "admit",
            "concede",
            "recount",
            "quip",
            "joke",
            "announce",
            "speak",
            "talk",
        ],
        "assert",
    ),
    **dict.fromkeys(["deny", "dismiss", "refute", "rebut", "disavow", "contradict"], "deny"),
    **dict.fromkeys(["reject", "rule", "oppose", "refuse", "decline"], "reject"),
    **dict.fromkeys(["propose", "suggest", "offer", "recommend"], "propose"),
    **dict.fromkeys(
        ["promise", "pledge", "vow", "commit", "guarantee", "assure", "swear"], "promise"
    ),
    **dict.fromkeys(["warn", "caution"], "warn"),
    **dict.fromkeys(["threaten"], "threaten"),
    **dict.fromkeys(
        ["urge", "appeal", "call", "implore", "demand", "plead", "ask_for", "beg", "press"],
        "appeal",
    ),
    **dict.fromkeys(["thank"], "thank"),
    **dict.fromkeys(
        ["praise", "hail", "commend", "welcome", "applaud", "laud", "congratulate"], "praise"
    ),
    **dict.fromkeys(
        [
            "accuse",
            "blame",
            "charge",
            "criticize",
            "criticise",
            "condemn",
            "denounce",
            "slam",
            "attack",
        ],
        "accuse",
    ),
    **dict.fromkeys(["confirm", "verify"], "confirm"),
    **dict.fromkeys(["ask", "question", "wonder", "inquire", "enquire"], "ask"),
    **dict.fromkeys(["report", "quote", "cite", "publish"], "report"),
    **dict.fromkeys(
        [
            "think",
            "believe",
            "feel",
            "hope",
            "fear",
            "expect",
            "want",
            "wish",
            "know",
            "doubt",
            "worry",
            "predict",
            "estimate",
            "agree",
            "disagree",
            "plan",
            "intend",
            "consider",
        ],
        "believe",
    ),
}
# `suggest` reads as a proposal only with an object ("suggested talks"); as a clause cue it asserts.
VERB_ACTS["suggest"] = "assert"

# Nouns that name a statement: `Zelensky's statement about ...`, `claims that ...`.
NOUN_ACTS: dict[str, str] = {
    **dict.fromkeys(
        [
            "statement",
            "remark",
            "remarks",
            "comment",
            "comments",
            "assertion",
            "argument",
            "view",
            "belief",
            "opinion",
            "position",
            "message",
            "words",
            "declaration",
            "announcement",
            "testimony",
            "interview",
            "speech",
            "insistence",
            "explanation",
            "suggestion",
        ],
        "assert",
    ),
    **dict.fromkeys(
        ["claim", "claims", "allegation", "allegations", "report", "reports"], "report"
    ),
    **dict.fromkeys(["denial"], "deny"),
    **dict.fromkeys(["rejection", "refusal"], "reject"),
    **dict.fromkeys(["proposal", "plan", "offer", "initiative"], "propose"),
    **dict.fromkeys(["promise", "pledge", "vow", "commitment", "assurance"], "promise"),
    **dict.fromkeys(["warning", "threat", "ultimatum"], "warn"),
    **dict.fromkeys(["appeal", "call", "demand", "plea"], "appeal"),
    **dict.fromkeys(["thanks", "gratitude"], "thank"),
    **dict.fromkeys(["praise"], "praise"),
    **dict.fromkeys(["accusation", "criticism", "condemnation"], "accuse"),
    **dict.fromkeys(["confirmation"], "confirm"),
    **dict.fromkeys(["question", "request"], "ask"),
}

# `expressed gratitude to X`: the object noun carries the act.
EXPRESS_VERBS = {"express", "voice", "extend", "convey", "offer", "reiterate"}
EXPRESS_NOUNS: dict[str, str] = {
    "gratitude": "thank",
    "thanks": "thank",
    "appreciation": "thank",
    "condolence": "thank",
    "condolences": "thank",
    "concern": "warn",
    "alarm": "warn",
    "regret": "assert",
    "hope": "believe",
    "confidence": "assert",
    "support": "praise",
    "solidarity": "praise",
    "disappointment": "accuse",
    "outrage": "accuse",
    "readiness": "propose",
    "willingness": "propose",
}

# What a denial denies: `dismissed claims that ...`.
DENIED_THINGS = {
    "claim",
    "claims",
    "report",
    "reports",
    "allegation",
    "allegations",
    "suggestion",
    "suggestions",
    "rumour",
    "rumours",
    "rumor",
    "rumors",
    "speculation",
    "accusation",
    "accusations",
    "assertion",
    "assertions",
    "story",
    "stories",
}

# Heads of noun phrases that name a medium, not a speaker: they become `via` links.
MEDIA_HEADS = {
    "media",
    "newspaper",
    "paper",
    "daily",
    "agency",
    "outlet",
    "channel",
    "broadcaster",
    "television",
    "tv",
    "radio",
    "website",
    "site",
    "tabloid",
    "wire",
    "network",
    "portal",
    "magazine",
    "press",
    "station",
    "service",
    "publication",
    "journal",
}
MEDIA_NAMES = {
    "tass",
    "ria",
    "ria novosti",
    "interfax",
    "reuters",
    "ap",
    "afp",
    "ians",
    "pti",
    "ani",
    "xinhua",
    "bloomberg",
    "cnn",
    "bbc",
    "kyodo",
    "yonhap",
    "ukrinform",
    "unian",
    "dpa",
    "efe",
    "anadolu",
    "al jazeera",
    "politico",
    "axios",
    "the new york times",
    "the washington post",
    "the guardian",
    "fox news",
    "nbc",
    "abc",
    "cbs",
    "msnbc",
    "the wall street journal",
    "the post",
    "the times",
    "kommersant",
    "izvestia",
    "rt",
}

# Audience objects that belong to the cue: `told reporters`, `told the BBC`.
AUDIENCE_HEADS = {
    "reporter",
    "reporters",
    "journalist",
    "journalists",
    "press",
    "media",
    "audience",
    "crowd",
    "supporters",
    "lawmakers",
    "parliament",
    "news",
    "agency",
}

# Common nouns that can be the source of an attitude or a statement: people, groups,
# institutions, media and documents that speak (`the poll found`, `the report says`).
SPEAKER_NOUNS = set(
    """official spokesman spokeswoman spokesperson source aide adviser advisor minister
    president leader government ministry agency newspaper paper media outlet report poll
    survey study analyst analysts expert critic supporter voter group party campaign
    committee council court judge police lawmaker senator democrat republican people
    american administration office department side member members staff team candidate
    nominee official governor mayor secretary ambassador envoy diplomat negotiator
    delegation mediator commander general military army company firm bank union
    organization organisation association coalition activist advocate protester resident
    citizen man woman person worker employee executive director chairman chief head
    president prosecutor lawyer attorney investigator researcher scientist economist
    strategist pollster observer insider statement letter document memo filing ruling
    editorial board column columnist commentator host anchor reporter journalist editor
    father mother wife husband son daughter friend family parent child student teacher
    doctor officer soldier veteran victim witness fan viewer reader user customer
    investor owner founder ceo manager operator spokesmen officials sources""".split()
)

# Acts that take a plain object as what is said: `rejected the plan`, `praised the deal`.
OBJECT_ACTS = {
    "deny",
    "reject",
    "propose",
    "promise",
    "thank",
    "praise",
    "accuse",
    "appeal",
    "warn",
    "threaten",
    "confirm",
}


def is_cue(lemma: str, pattern: str, obj: str | None = None) -> bool:
    """Decide whether a candidate built on ``lemma`` with ``pattern`` is an attribution.

    ``obj`` is the object noun of a ``dobj`` construction (`dismissed claims`).
    """
    lemma = lemma.lower()
    if pattern == "dobj" and obj is not None and obj.lower() in DENIED_THINGS:
        return VERB_ACTS.get(lemma) in ("deny", "reject", "assert")
    if pattern == "dobj":
        return VERB_ACTS.get(lemma) in OBJECT_ACTS
    if pattern in ("ccomp", "quote", "parenthetical", "colon", "quote_as", "according_to"):
        return lemma in VERB_ACTS or pattern in ("quote_as", "according_to")
    if pattern in ("noun_that", "noun_prep", "noun_quote"):
        return lemma in NOUN_ACTS
    return pattern == "express"
