"""Every word list of the attribution engine: cues, speech acts, speakers, media, settings.

One place for the words the rules look for, so that a newcomer (or the next engine) finds
the lexicon without reading the rules, and a word added here reaches every pass that
uses it. Longer than 400 lines because it is word lists, one word a line as ruff formats
them; there is no logic here. Lists private to one small pass (speaker-label rubrics,
pronoun sets, entity honorifics) stay with that pass.
"""

from __future__ import annotations

# --- Cue verbs and nouns, with the speech act each makes ---------------------------

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
            "allege",
            "rebuke",
            "complain",
        ],
        "accuse",
    ),
    "repeat": "assert",
    "dispute": "deny",
    "estimate": "assert",  # a figure published, not a private belief
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
            "agree",
            "disagree",
            "plan",
            "intend",
            "consider",
        ],
        "believe",
    ),
}
# Cues of a private attitude, not of words: a feeling, a perception or an intention
# (`she fears`, `he felt the ground shake`, `they want to leave`). Their statements are
# kind "belief" (``schema.STATEMENT_KINDS``). `predict`, `estimate`, `agree` and `expect`
# are left out: in news they are mostly said in public (a forecast, a vote).
BELIEF_LEMMAS = {
    "think", "believe", "feel", "hope", "fear", "want", "wish", "know", "doubt", "worry",
    "intend", "plan", "consider", "sense",
}  # fmt: skip
# Cues of an agentless report when passive (`it is understood that`, `is thought to`,
# `it was reported that`, `is said to`): kind "hedge", never given a speaker.
HEDGE_LEMMAS = {
    "understand", "think", "believe", "say", "report", "expect", "know", "rumour", "rumor",
    "fear", "estimate", "assume", "suppose", "allege", "claim", "suggest", "tell",
}  # fmt: skip

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

# Heads of noun phrases that name a medium, not a speaker: they become `via` links. (Which
# proper names are outlets is data: ``reading.outlets``, ``data/outlets.csv``.)
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

# --- Constructions around a cue: prepositions, objects, verbs that own a noun ---------

ATTITUDE_PREPS = {"about", "for", "of", "on", "over", "against", "with", "to", "toward"}
ATTITUDE_NOUNS = set(
    """question questions support plan plans idea condemnation criticism concern concerns
    doubt doubts opposition praise call calls demand demands proposal proposals warning
    warnings fear fears hope hopes adulation admiration disdain contempt skepticism
    scepticism frustration anger outrage alarm enthusiasm confidence optimism pessimism
    objection objections complaint complaints reservations suspicion suspicions interest
    commitment commitments view views opinion opinions vision claim claims""".split()
)
# `said X on Twitter`, `stressed X during a forum`: where and when, not what was said.
SETTING_PREPS = {
    "during",
    "at",
    "in",
    "on",
    "after",
    "before",
    "since",
    "until",
    "amid",
    "via",
    "through",
    "throughout",
    "while",
    "by",
    "from",
    "within",
    "inside",
}
# `X seems to be Y`, `X is expected to win`: the subject is part of what is attributed.
# `voted against X`, `called for X`, `railed against X`: prepositions that take the object of
# an attitude; place and time prepositions (`in`, `at`, `since`) never do.
VERB_PREPS = {
    "against",
    "for",
    "with",
    "of",
    "to",
    "toward",
    "towards",
    "over",
    "into",
    "like",
    "as",
    "behind",
    "from",
}
NOUN_PREPS = {
    "about",
    "on",
    "regarding",
    "that",
    "of",
    "to",
    "with",
    "for",
    "against",
    "over",
    "toward",
    "towards",
    "concerning",
}
# Verbs whose subject owns the statement noun they take: `advocates expressed concern that`,
# `He added a note of caution`, `the two countries signed an agreement to`. (Measured on
# PolNeAR dev: with any verb, `faced questions`, `raised questions`, `tracked support` make
# more wrong sources than right ones.)
HOLDER_VERBS = {"express", "voice", "add", "sign", "answer", "offer", "issue", "share", "lodge",
                "file", "reiterate", "repeat", "leave", "register", "renew"}  # fmt: skip
ASKING_LEMMAS = {"ask", "wonder", "inquire", "question", "query"}
RAISING_LEMMAS = {"seem", "appear", "expect", "likely", "poise", "set", "project", "predict"}

# Findings that say something by being published: `In a CBS News poll, Clinton led ...`.
# (Letters, ads, books and statements are more often the setting of someone's words: with
# them the rule lost more sources than it found on PolNeAR train.)
DOCUMENT_NOUNS = {"poll", "polls", "survey", "surveys", "study", "studies", "report", "analysis"}

# --- Words that tell how or where a statement was made, not what was said -----------

# Participles that tell how a statement was made (`citing earlier remarks`, `calling them
# "incorrect"`, `responding to a question`); `accusing X of Y`, `touting X` are statements.
TELLING_LEMMAS = {"cite", "quote", "reference", "refer", "respond", "answer", "address",
                  "mention", "call", "describe", "speak", "echo"}  # fmt: skip
# Constructions that attribute an attitude rather than words: `X opposes Y` (dobj),
# `X called for Y` (prep), `X refused to meet Y` (xcomp), `X spoke about Y`.
ATTITUDE_PATTERNS = {"dobj", "prep", "xcomp", "about"}
OCCASION_VERBS = {"address", "attend", "brief", "chair", "host", "hold", "visit", "open"}
