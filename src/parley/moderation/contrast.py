"""Hand-written contrast set for fine-tuning the moderation model (training only).

Public abuse data teaches a model that identity words, swear words and violent words mean abuse.
This module writes short comment-section texts that pull those cues apart: insults without swear
words next to friendly swearing, slurs next to homonyms, reclaimed words and counter-speech, hate
next to its negation, threats next to benign second-person remarks and war history.

Regenerate the data file (deterministic, byte-identical every run) from the repository root with

    PYTHONPATH=src python3 -m parley.moderation.contrast
    # or, equivalently: python3 src/parley/moderation/contrast.py

which writes `data/contrast-train.jsonl` next to this module and prints counts per kind and label.
Each line is one JSON object: text, kind and the six 0/1 labels in `LABELS`.

Templates name slots in braces: `{group}` is element 0 of a filler, `{group.2}` element 2 when
the filler is a tuple (the fields of each tuple list are described where it is defined). A slot
used twice in one template gets the same filler both times. Nothing here reads or writes files
at import time; only `main()` writes.
"""

from __future__ import annotations

import json
import random
import re
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 20240917
OUTPUT = Path(__file__).with_name("data") / "contrast-train.jsonl"
LABELS = ("toxicity", "severe_toxicity", "identity_attack", "insult", "threat", "profanity")
OBFUSCATED_SHARE = 0.10  # of all positive (toxic) examples
MIN_WORDS, MAX_WORDS = 3, 40

Filler = str | tuple[str, ...]


# --- small helpers for building filler tuples ---------------------------------------------------


def _article(phrase: str) -> str:
    """`a` or `an` before a phrase (good enough for the words used here)."""
    word = phrase.lower()
    consonant_sound = word.startswith(("uni", "use", "uy", "ukr", "one", "eu"))
    vowel = word[0] in "aeiou" or word.startswith(("hon", "hour"))
    return ("an " if vowel and not consonant_sound else "a ") + phrase


def _plural(word: str) -> str:
    if word.endswith("man") and not word.endswith("human"):
        return word[:-3] + "men"
    if word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith("z"):
        return word + "zes"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


def _noun(word: str, plural: str | None = None) -> tuple[str, str, str]:
    """(bare, with article, plural): `idiot` -> (idiot, an idiot, idiots)."""
    return (word, _article(word), plural or _plural(word))


def _group(plural: str, one: str, adj: str, pred: str | None = None) -> tuple[str, ...]:
    """(plural, one with article, bare singular, attributive adjective, predicative after `being`).

    `_group("immigrants", "an immigrant", "immigrant", "an immigrant")` gives
    "immigrants", "an immigrant", "immigrant", "immigrant" (my immigrant friends), "an immigrant"
    (being an immigrant).
    """
    bare = one.split(" ", 1)[1]
    return (plural, one, bare, adj, pred or adj)


def _labels(
    toxicity: int = 0,
    severe: int = 0,
    identity: int = 0,
    insult: int = 0,
    threat: int = 0,
    profanity: int = 0,
) -> tuple[int, ...]:
    return (toxicity, severe, identity, insult, threat, profanity)


# --- shared fillers -----------------------------------------------------------------------------

# Protected groups: (plural, one, bare singular, adjective, predicative).
GROUPS: list[Filler] = [
    _group("Muslims", "a Muslim", "Muslim"),
    _group("Jews", "a Jew", "Jewish"),
    _group("Jewish people", "a Jewish person", "Jewish"),
    _group("Black people", "a Black person", "Black"),
    _group("Black women", "a Black woman", "Black", "a Black woman"),
    _group("gay men", "a gay man", "gay"),
    _group("gay people", "a gay person", "gay"),
    _group("lesbians", "a lesbian", "lesbian"),
    _group("bisexual people", "a bisexual person", "bisexual"),
    _group("trans people", "a trans person", "trans"),
    _group("trans women", "a trans woman", "trans", "a trans woman"),
    _group("trans men", "a trans man", "trans", "a trans man"),
    _group("nonbinary people", "a nonbinary person", "nonbinary"),
    _group("immigrants", "an immigrant", "immigrant", "an immigrant"),
    _group("refugees", "a refugee", "refugee", "a refugee"),
    _group("asylum seekers", "an asylum seeker", "asylum-seeking", "an asylum seeker"),
    _group("Mexicans", "a Mexican", "Mexican"),
    _group("Latinos", "a Latino", "Latino"),
    _group("Chinese people", "a Chinese person", "Chinese"),
    _group("the Chinese", "a Chinese person", "Chinese"),
    _group("Japanese people", "a Japanese person", "Japanese"),
    _group("the Japanese", "a Japanese person", "Japanese"),
    _group("Koreans", "a Korean", "Korean"),
    _group("Vietnamese people", "a Vietnamese person", "Vietnamese"),
    _group("Filipinos", "a Filipino", "Filipino"),
    _group("Asians", "an Asian person", "Asian"),
    _group("Arabs", "an Arab", "Arab"),
    _group("Roma", "a Romani person", "Romani"),
    _group("Gypsy Travellers", "a Traveller", "Traveller"),
    _group("women", "a woman", "female", "a woman"),
    _group("disabled people", "a disabled person", "disabled"),
    _group("autistic people", "an autistic person", "autistic"),
    _group("deaf people", "a deaf person", "deaf"),
    _group("blind people", "a blind person", "blind"),
    _group("wheelchair users", "a wheelchair user", "wheelchair-using", "a wheelchair user"),
    _group("Hindus", "a Hindu", "Hindu"),
    _group("Sikhs", "a Sikh", "Sikh"),
    _group("Christians", "a Christian", "Christian"),
    _group("Catholics", "a Catholic", "Catholic"),
    _group("Buddhists", "a Buddhist", "Buddhist"),
    _group("atheists", "an atheist", "atheist", "an atheist"),
    _group("Mormons", "a Mormon", "Mormon"),
    _group("Africans", "an African", "African"),
    _group("Nigerians", "a Nigerian", "Nigerian"),
    _group("Somalis", "a Somali", "Somali"),
    _group("Haitians", "a Haitian", "Haitian"),
    _group("Indians", "an Indian", "Indian"),
    _group("Pakistanis", "a Pakistani", "Pakistani"),
    _group("Palestinians", "a Palestinian", "Palestinian"),
    _group("Syrians", "a Syrian", "Syrian"),
    _group("Kurds", "a Kurd", "Kurdish"),
    _group("Uyghurs", "a Uyghur", "Uyghur"),
    _group("Poles", "a Pole", "Polish"),
    _group("Irish people", "an Irish person", "Irish"),
    _group("Native Americans", "a Native American", "Native American"),
    _group("old people", "an old person", "elderly", "old"),
    _group("pensioners", "a pensioner", "elderly", "a pensioner"),
]

# In-group speakers using reclaimed words: (singular, with article, plural).
RECLAIMED_SELF: list[Filler] = [
    _noun("queer"),
    _noun("queer man"),
    _noun("queer woman"),
    _noun("queer kid", "queer kids"),
    _noun("old queer"),
    _noun("dyke"),
    _noun("old dyke"),
    _noun("butch dyke"),
    _noun("trans dyke"),
    _noun("crip"),
    _noun("homo"),
    _noun("old homo"),
    _noun("old queen"),
    _noun("fag", "fags"),
    _noun("old fag", "old fags"),
    _noun("fairy", "fairies"),
    _noun("lesbo", "lesbos"),
]

# Slurs used as attacks: (bare, with article, plural).
SLURS: list[Filler] = [
    _noun("jap"),
    _noun("nip"),
    _noun("chink"),
    _noun("chinaman", "chinamen"),
    _noun("slope"),
    _noun("slant-eye"),
    _noun("gook"),
    _noun("zipperhead"),
    _noun("towelhead"),
    _noun("raghead"),
    _noun("camel jockey", "camel jockeys"),
    _noun("sand monkey", "sand monkeys"),
    _noun("muzzie", "muzzies"),
    _noun("wetback"),
    _noun("beaner"),
    _noun("spic"),
    _noun("greaser"),
    _noun("nigger"),
    _noun("coon"),
    _noun("spook"),
    _noun("jigaboo"),
    _noun("porch monkey", "porch monkeys"),
    _noun("sambo"),
    _noun("jungle bunny"),
    _noun("darkie"),
    _noun("kike"),
    _noun("yid"),
    _noun("hebe"),
    _noun("heeb"),
    _noun("gyppo"),
    _noun("pikey"),
    _noun("faggot"),
    _noun("fag"),
    _noun("poof"),
    _noun("poofter"),
    _noun("homo"),
    _noun("batty boy"),
    _noun("fudgepacker"),
    _noun("dyke"),
    _noun("lesbo"),
    _noun("carpet muncher"),
    _noun("tranny"),
    _noun("shemale"),
    _noun("he-she"),
    _noun("troon"),
    _noun("retard"),
    _noun("tard"),
    _noun("spaz"),
    _noun("spastic"),
    _noun("mong"),
    _noun("window licker"),
    _noun("paki"),
    _noun("curry muncher"),
    _noun("dothead"),
    _noun("coolie"),
    _noun("mick"),
    _noun("wop"),
    _noun("dago"),
    _noun("polack"),
    _noun("redskin"),
    _noun("injun"),
]

# (group the slur targets, slur singular, slur plural) for counter-speech that names the slur.
SLUR_PAIRS: list[Filler] = [
    ("Japanese people", "jap", "japs"),
    ("Japanese people", "nip", "nips"),
    ("Chinese people", "chink", "chinks"),
    ("Chinese people", "chinaman", "chinamen"),
    ("Korean people", "gook", "gooks"),
    ("Vietnamese people", "gook", "gooks"),
    ("Mexicans", "wetback", "wetbacks"),
    ("Mexicans", "beaner", "beaners"),
    ("Latinos", "spic", "spics"),
    ("Arabs", "towelhead", "towelheads"),
    ("Sikhs", "raghead", "ragheads"),
    ("Muslims", "muzzie", "muzzies"),
    ("Jewish people", "kike", "kikes"),
    ("Jewish people", "yid", "yids"),
    ("Black people", "coon", "coons"),
    ("Black people", "jigaboo", "jigaboos"),
    ("Roma", "gyppo", "gyppos"),
    ("Irish Travellers", "pikey", "pikeys"),
    ("gay men", "faggot", "faggots"),
    ("gay men", "poof", "poofs"),
    ("lesbians", "carpet muncher", "carpet munchers"),
    ("trans women", "tranny", "trannies"),
    ("trans people", "troon", "troons"),
    ("disabled people", "retard", "retards"),
    ("disabled people", "spaz", "spazzes"),
    ("people with Down syndrome", "mong", "mongs"),
    ("Pakistanis", "paki", "pakis"),
    ("Italians", "wop", "wops"),
    ("Native Americans", "redskin", "redskins"),
    ("Poles", "polack", "polacks"),
]

# Non-protected groups: (plural, bare singular).
NP_GROUPS: list[Filler] = [
    ("politicians", "politician"),
    ("lawyers", "lawyer"),
    ("film critics", "film critic"),
    ("critics", "critic"),
    ("Arsenal fans", "Arsenal fan"),
    ("Chelsea fans", "Chelsea fan"),
    ("Yankees fans", "Yankees fan"),
    ("Lakers fans", "Lakers fan"),
    ("Leeds fans", "Leeds fan"),
    ("Marvel fans", "Marvel fan"),
    ("Star Wars fans", "Star Wars fan"),
    ("landlords", "landlord"),
    ("bankers", "banker"),
    ("estate agents", "estate agent"),
    ("journalists", "journalist"),
    ("tabloid journalists", "tabloid journalist"),
    ("influencers", "influencer"),
    ("crypto bros", "crypto bro"),
    ("tech bros", "tech bro"),
    ("car salesmen", "car salesman"),
    ("cyclists", "cyclist"),
    ("referees", "referee"),
    ("YouTubers", "YouTuber"),
    ("Redditors", "Redditor"),
    ("moderators on this site", "moderator"),
    ("city councillors", "councillor"),
    ("senators", "senator"),
    ("MPs", "MP"),
    ("HOA board members", "HOA board member"),
    ("film students", "film student"),
    ("podcasters", "podcaster"),
    ("telemarketers", "telemarketer"),
    ("TikTokers", "TikToker"),
    ("hedge fund managers", "hedge fund manager"),
    ("management consultants", "consultant"),
    ("cable news pundits", "pundit"),
    ("art critics", "art critic"),
    ("the people who run this site", "site admin"),
    ("film bloggers", "film blogger"),
    ("reality TV producers", "producer"),
]

INSULT_NOUNS: list[Filler] = [
    _noun(word)
    for word in (
        "idiot",
        "moron",
        "clown",
        "buffoon",
        "imbecile",
        "halfwit",
        "fool",
        "loser",
        "hack",
        "simpleton",
        "dimwit",
        "nitwit",
        "cretin",
        "dunce",
        "troll",
        "creep",
        "lowlife",
        "coward",
        "muppet",
        "plonker",
        "numpty",
        "bonehead",
        "blockhead",
        "airhead",
        "dolt",
        "oaf",
        "crank",
        "fraud",
        "charlatan",
        "grifter",
        "sellout",
        "bootlicker",
        "shill",
        "degenerate",
        "sleazebag",
        "weasel",
        "pillock",
        "nincompoop",
        "donkey",
        "ignoramus",
    )
] + [_noun("waste of space", "wastes of space"), _noun("waste of oxygen", "wastes of oxygen")]

INSULT_ADJS: list[Filler] = [
    (word, _article(word))
    for word in (
        "ignorant",
        "clueless",
        "pathetic",
        "brainless",
        "spineless",
        "gutless",
        "dense",
        "thick",
        "moronic",
        "idiotic",
        "stupid",
        "dumb",
        "useless",
        "worthless",
        "delusional",
        "deranged",
        "smug",
        "pitiful",
        "small-minded",
        "hopeless",
        "vile",
        "repulsive",
        "contemptible",
        "brain-dead",
        "half-witted",
        "dim-witted",
        "witless",
        "gormless",
        "insufferable",
        "obnoxious",
        "pompous",
        "spiteful",
        "pea-brained",
        "feeble-minded",
        "sad",
    )
]

AUTHORS = [
    "the reviewer",
    "whoever wrote this",
    "the author",
    "the critic",
    "this writer",
    "the person who wrote this review",
    "the guy above",
    "the commenter above",
    "OP",
    "the journalist who wrote this",
    "this blogger",
    "the editor",
    "the poster above",
    "this so-called critic",
]

ROLES = [
    "critic",
    "reviewer",
    "historian",
    "journalist",
    "writer",
    "film critic",
    "moderator",
    "human being",
    "commentator",
    "teacher",
    "filmmaker",
    "columnist",
]

FILMS = [
    "the film",
    "this film",
    "the documentary",
    "this documentary",
    "Nanking",
    "the Nanking documentary",
    "this doc",
    "the movie",
    "City of Life and Death",
    "John Rabe",
    "The Flowers of War",
    "Schindler's List",
    "Come and See",
    "Shoah",
    "Grave of the Fireflies",
    "The Act of Killing",
    "Hotel Rwanda",
    "Oppenheimer",
    "the director's cut",
    "the new series",
    "this episode",
    "Paddington 2",
    "Casablanca",
    "the remake",
]

DOCS = [
    "the documentary",
    "this documentary",
    "Nanking",
    "the Nanking documentary",
    "this doc",
    "Shoah",
    "The Act of Killing",
    "the new series",
    "the oral history film",
]

GOOD_ADJS = [
    "brilliant",
    "incredible",
    "amazing",
    "gorgeous",
    "devastating",
    "powerful",
    "beautiful",
    "haunting",
    "stunning",
    "moving",
    "superb",
    "spectacular",
    "unforgettable",
    "phenomenal",
    "gripping",
    "heartbreaking",
    "excellent",
    "good",
    "great",
    "special",
]

CRAFTS = [
    "score",
    "cinematography",
    "editing",
    "sound design",
    "archive footage",
    "narration",
    "final shot",
    "opening scene",
    "lead performance",
    "colour grading",
    "soundtrack",
    "production design",
]

TOPICS = [
    "the archive footage",
    "the Safety Zone",
    "the death toll",
    "the soundtrack",
    "the Tokyo tribunal",
    "the narration",
    "the interviews",
    "the pacing",
    "the missionaries' diaries",
    "the final scene",
    "the casting",
    "the historical context",
    "the newsreels",
    "Minnie Vautrin",
    "John Rabe's role",
    "the editing",
    "the subtitles",
    "the survivors' testimony",
    "the colour grading",
    "the Yangtze scenes",
]

BOOKS = [
    "Iris Chang's book",
    "John Rabe's diaries",
    "Minnie Vautrin's diary",
    "the companion book",
    "the director's memoir",
    "the oral history collection",
    "the museum catalogue",
    "the graphic novel adaptation",
    "the original novel",
    "the survivor memoir it's based on",
]

DAYS = ["Friday", "Saturday night", "the 12th", "Sunday afternoon", "Thursday", "Tuesday"]

RELATIVES = ["grandfather", "grandmother", "great-uncle", "great-aunt", "father", "mother"]

SURVIVED = [
    "survived the war",
    "lived through the occupation",
    "fled Nanjing in 1937",
    "was a prisoner of war",
    "lost everything in the bombing",
    "never talked about the camps",
    "came here as a refugee",
]

BAD_CLAIMS = [
    "inferior",
    "animals",
    "criminals",
    "vermin",
    "less intelligent",
    "a disease",
    "dangerous",
    "lazy",
    "violent by nature",
    "parasites",
    "subhuman",
    "a threat to children",
    "dirty",
    "mentally ill",
    "greedy",
    "terrorists",
    "a burden",
]

BAD_NOUNS = [
    "animals",
    "vermin",
    "parasites",
    "a plague",
    "criminals",
    "statistics",
    "a problem to be solved",
    "an invasion",
]

GOOD_TRAITS = [
    "smart",
    "honest",
    "capable",
    "kind",
    "hardworking",
    "trustworthy",
    "talented",
    "loyal",
    "human",
]

DEHUMANISING_WORDS = [
    "vermin",
    "insects",
    "pigs",
    "animals",
    "subhuman",
    "rats",
    "cockroaches",
    "dogs",
    "lice",
    "a disease",
]

SWARM_WORDS = [
    "a swarm",
    "a plague",
    "an invasion",
    "a flood",
    "an infestation",
    "a horde",
    "vermin",
    "cockroaches",
    "animals",
    "parasites",
]

HATE_ACTS = [
    "shouted racial slurs at a tram conductor",
    "spat at a Muslim woman on the train",
    "painted swastikas on the synagogue",
    "yelled homophobic abuse at two men holding hands",
    "sent antisemitic letters to a councillor",
    "called a Chinese student a virus",
    "attacked a Sikh taxi driver",
    "posted racist abuse at a footballer",
    "tore a woman's hijab off in the street",
    "harassed a trans teenager at the bus stop",
    "mocked a disabled man on camera",
    "vandalised a Jewish cemetery",
    "sprayed anti-Roma graffiti on a school",
]

OFFENDERS = ["man", "woman", "teenager", "fan", "passenger", "customer", "councillor", "driver"]

CONSEQUENCES = [
    "arrested",
    "charged",
    "convicted",
    "fined",
    "banned from the stadium for life",
    "given community service",
    "jailed for six months",
    "sacked",
]

# --- positive (toxic) kinds: templates ----------------------------------------------------------

INSULT_DIRECT = [
    "You are {insult_noun.1}.",
    "You're {insult_noun.1}, plain and simple.",
    "You're truly {insult_adj}.",
    "Honestly you are the most {insult_adj} person on this site.",
    "{author} is {insult_noun.1}.",
    "{author} is {insult_adj} and it shows in every line.",
    "What {insult_noun.1} you are.",
    "Only {insult_noun.1} would write a review this bad.",
    "Shut up, you {insult_noun}.",
    "Go away, {insult_noun}, nobody wants you here.",
    "Nobody asked you, {insult_noun}.",
    "Did your mum write this for you, {insult_noun}?",
    "Imagine being this {insult_adj} in public.",
    "Every comment you post proves you're {insult_adj}.",
    "You are a pathetic excuse for a {role}.",
    "Whoever gave you a column is as {insult_adj} as you are.",
    "You clearly have no idea what you're talking about, you {insult_noun}.",
    "Get a clue, {insult_noun}.",
    "{author} is the dumbest person I've read all year.",
    "Your parents must be so ashamed of you.",
    "You're too {insult_adj} to understand a documentary.",
    "Are you always this {insult_adj} or is today special?",
    "I've met houseplants smarter than you.",
    "Arguing with you is like arguing with a brick wall, {insult_noun}.",
    "Typical {insult_adj} {role}, no wonder nobody reads you.",
    "Your review reads like it was written by {insult_noun.1}.",
    "Crawl back under your rock, {insult_noun}.",
    "You people are {insult_noun.2}, every one of you.",
    "Everyone replying to me here is {insult_adj}.",
    "Nobody cares what {insult_noun.2} like you think.",
    "Do the world a favour and stop writing, {insult_noun}.",
    "{author} is a disgrace to the profession.",
    "The person who wrote this is {insult_adj} beyond belief.",
    "You're {insult_adj.1} fraud and everyone here knows it.",
    "{author} is {insult_adj.1} little person with a keyboard.",
    "You have the brain of a goldfish and the manners of a pig.",
    "Stop embarrassing yourself, {insult_noun}.",
    "How does {insult_noun.1} like you get paid to write?",
    "Reading your comments makes me feel sorry for your teachers.",
    "You're a joke of a {role} and a worse person.",
    "Congratulations, you're the most {insult_adj} {role} alive.",
    "Not even your mother reads your reviews, {insult_noun}.",
    "Listen, {insult_noun}: nobody here takes you seriously.",
    "{author} proves that any {insult_noun} can get published.",
    "You've got the critical skills of a potato.",
    "You really are {insult_adj.1} human being.",
    "Back to school with you, {insult_noun}.",
    "What kind of {insult_noun} gets every single fact wrong?",
    "Your opinions are as {insult_adj} as your face.",
    "Honestly, {author} is an embarrassment to everyone who knows them.",
]

DEROGATION_EXPLICIT = [
    "I hate {group}.",
    "I hate {group}, always have.",
    "{group} are disgusting.",
    "{group} are the worst people on earth.",
    "{group} are scum.",
    "I can't stand {group}, they ruin everything.",
    "{group} are filthy liars.",
    "{group} make me sick.",
    "Every {group.2} I've ever met was a thief.",
    "{group} are vile and always will be.",
    "{group} are a disgrace to this country.",
    "Nothing good has ever come from {group}.",
    "{group} are evil, every single one of them.",
    "{group} are ruining this country.",
    "Typical {group.2}, lying about everything.",
    "Don't trust {group}, they're all crooks.",
    "{group} are the most annoying people alive.",
    "{group} are ugly inside and out.",
    "Of course the reviewer is {group.1}, that explains the rubbish opinions.",
    "Get {group} out of our country.",
    "I'm sick of seeing {group} everywhere I look.",
    "It's disgusting that {group} are allowed on television.",
    "{group} are stupid, lazy and useless.",
    "No decent person wants {group} as neighbours.",
    "{group} are a bunch of degenerates.",
    "I'd rather die than sit next to {group.1} in the cinema.",
    "This film was clearly made by {group} to guilt the rest of us.",
    "{group} are the reason this country is falling apart.",
    "{group} are liars and cheats by nature.",
    "Nobody likes {group}, they should take the hint.",
    "Nanking is a hoax invented by lying Chinese propagandists.",
    "The Chinese always inflate their death tolls to milk sympathy.",
    "The Japanese are a cruel race and this film proves it.",
    "Jews are behind every war and every crash.",
]

STEREOTYPE_IMPLICIT = [
    "{group} can never be as smart as the rest of us.",
    "{group} just aren't capable of running anything important.",
    "{group} should stick to the jobs they're good at, like cleaning.",
    "Never trust {group.1} with money.",
    "{group} only care about their own kind.",
    "I'd never let my daughter marry {group.1}.",
    "{group} all look the same to me.",
    "Put {group.1} in charge and watch the place fall apart.",
    "{group} are only here for the free housing.",
    "{group} should be seen and not heard.",
    "I wouldn't hire {group.1}, they never last.",
    "Everyone knows {group} can't drive.",
    "{group} always bring their drama with them.",
    "Just once I'd like to meet {group.1} who pays their own way.",
    "{group} should stay in their own neighbourhoods.",
    "{group} are better suited to manual work.",
    "{group} are more emotional than rational, it's just biology.",
    "Give {group} an inch and they'll take a mile.",
    "{group} have their own agenda and it isn't ours.",
    "{group} don't really value education.",
    "When {group} move in, property prices drop. Just saying.",
    "You can always tell when {group.1} has been in the room.",
    "{group} are naturally followers, not leaders.",
    "It's a fact that {group} are less intelligent on average.",
    "Hiring {group.1} is always a gamble.",
    "{group} are born to serve, not to lead.",
    "Funny how {group} always end up on benefits.",
    "Keep an eye on your wallet when {group} are around.",
    "{group} will never really fit in here.",
    "The lead actor is {group.4}? That explains the weak performance.",
    "Women are too emotional to be trusted with power.",
    "A woman directed this? That explains the weepy pacing.",
    "Women belong at home raising kids, not making war films.",
    "Funny how the banks are always run by the same people, if you know what I mean.",
    "Black people just aren't suited to academic work.",
    "Chinese people will eat anything that moves.",
    "The Japanese have cruelty in their blood.",
    "Mexicans are only good for picking fruit.",
    "Gay men can't be trusted around children.",
    "Trans women are just men in dresses.",
    "Disabled people are a burden on everyone else.",
    "Immigrants come here to live off the taxpayer.",
    "Lock your car, the Roma are in town.",
    "Arabs only understand force.",
    "Asians are good at maths but have no personality.",
    "Muslims can't be loyal to this country.",
    "Old people have had their turn; they should stop voting.",
    "Lesbians just haven't met the right man yet.",
    "Bisexual people are just greedy and can't commit.",
    "Autistic people can't feel empathy, so why would they understand this film?",
    "Refugees are mostly young men looking for an easy life.",
    "Indians all end up in call centres.",
    "Africans can't govern themselves.",
    "Irish people are all drunks.",
    "Catholics will cover for anything their priests do.",
]

DEHUMANISATION = [
    "{group} are animals.",
    "{group} are vermin and should be treated like it.",
    "{group} are rats, breeding in every corner of the city.",
    "{group} are a disease spreading through our towns.",
    "{group} are parasites living off the rest of us.",
    "{group} are subhuman.",
    "{group} are cockroaches.",
    "Put {group} back in the zoo where they came from.",
    "{group} are a virus.",
    "{group} are a cancer on this country.",
    "{group} are less than human.",
    "{group} are like locusts, they strip everything bare.",
    "{group} are a plague.",
    "{group} breed like rabbits.",
    "{group} are savages.",
    "{group} are apes pretending to be people.",
    "{group} are filth, nothing more.",
    "{group} are an infestation.",
    "{group} are not people, they're livestock.",
    "{group} are a swarm of insects.",
    "{group} are leeches.",
    "{group} are a tumour that needs cutting out.",
    "{group} crawl out of the sewers every night.",
    "{group} are barely more than beasts.",
    "{group} are a blight on this planet.",
    "{group} are germs.",
    "The world would be cleaner without {group}.",
    "{group} should be kept in cages like the animals they are.",
    "{group} are mongrels.",
    "{group} are lice on the body of the nation.",
    "Calling {group} human is an insult to humans.",
    "{group} are pests and need to be controlled.",
    "{group} multiply like bacteria.",
    "{group} are the rats of the human race.",
]

HATEFUL_QUESTIONS = [
    "Why are {group} so violent?",
    "Why are {group} always so greedy?",
    "Why do {group} smell so bad?",
    "Why can't {group} ever just behave?",
    "Why are {group} so stupid?",
    "Why do {group} ruin every place they move to?",
    "Why do {group} lie about everything?",
    "Why does every {group.2} act like a criminal?",
    "Has anyone ever met {group.1} who wasn't a thief?",
    "What is it about {group} that makes them so lazy?",
    "Why are {group} allowed to breed?",
    "Is there a single {group.2} who isn't a liar?",
    "How are {group} even allowed near children?",
    "Why do we let {group} into this country at all?",
    "Why are {group} such a drain on everyone?",
    "Why do {group} have to be so dirty?",
    "Can someone explain why {group} are incapable of telling the truth?",
    "Why do {group} always play the victim?",
    "Who thought letting {group} vote was a good idea?",
    "Why are {group} so ugly?",
    "Why do {group} think they deserve respect?",
    "Why are {group} so bad at everything?",
    "Seriously, why are {group} like this?",
    "Why do {group} always make everything about themselves?",
]

NEGATED_POSITIVE = [
    "{group} are not worth anything.",
    "{group} don't deserve rights.",
    "{group} are not real people.",
    "{group} will never be equal to us.",
    "{group} have never contributed anything of value.",
    "{group} don't deserve to live here.",
    "{group} are not welcome here and never will be.",
    "There is nothing good about {group}.",
    "{group} are not capable of love.",
    "{group} can't be trusted with anything.",
    "{group} don't belong in this country.",
    "{group} aren't smart enough to have opinions.",
    "{group} have no place in a civilised society.",
    "No {group.2} has ever been worth listening to.",
    "{group} aren't worth the air they breathe.",
    "{group} shouldn't be allowed to vote.",
    "{group} should not have the same rights as the rest of us.",
    "{group} don't deserve to be treated like humans.",
    "{group} will never be real citizens.",
    "{group} are no better than criminals.",
    "{group} don't deserve a seat at the table.",
    "I will never accept {group} as my equals.",
    "{group} shouldn't be allowed to adopt.",
    "{group} don't deserve to be in films.",
    "{group} should not be allowed to teach our kids.",
    "Not one {group.2} has ever done anything useful.",
]

SLUR_ATTACK = [
    "Shut up, you {slur}.",
    "Go back to where you came from, {slur}.",
    "Of course the director is {slur.1}.",
    "No {slur.2} allowed in this cinema.",
    "Get out of our town, {slur.2}.",
    "Typical {slur}, whining about history again.",
    "Nobody wants to hear from {slur.2} like you.",
    "The reviewer is obviously {slur.1}.",
    "Filthy {slur.2}, the lot of them.",
    "This film was made by {slur.2} for {slur.2}.",
    "Another {slur} crying about the past.",
    "I can smell {slur.1} from here.",
    "Look at this {slur} trying to lecture us.",
    "You stupid {slur}.",
    "Wow, the {slur.2} are out in force in this thread.",
    "Who let the {slur} in here?",
    "Bunch of {slur.2} running the media.",
    "{slur.2} like you ruin every comment section.",
    "Hey {slur}, nobody asked.",
    "Move along, {slur}, this is our street.",
    "Sit down, {slur}, the adults are talking.",
    "Only {slur.1} would give this film five stars.",
    "My new neighbour is {slur.1}, there goes the area.",
    "Can't go anywhere now without tripping over {slur.2}.",
    "Keep your mouth shut, {slur}.",
    "Nobody asked for your opinion, {slur}.",
    "This thread is crawling with {slur.2}.",
    "Ugly little {slur}.",
]

THREAT_DIRECT = [
    "I'm going to find you and make you bleed.",
    "I'll kill you if I ever see you.",
    "I'm going to break both your legs.",
    "I'll smash your face in the next time you post.",
    "I'm going to put you in the hospital.",
    "Say that to my face and I'll stab you.",
    "I will burn your house down with you inside it.",
    "I'll beat you until you can't walk.",
    "Next time I see you I'm going to snap your neck.",
    "I'll shoot you myself.",
    "I'm going to hunt you down and hurt you badly.",
    "I swear I will {kill_verb} you {when}.",
    "Someone tell {author} I'm going to {kill_verb} them.",
    "I'm going to {kill_verb} whoever wrote this.",
    "Keep it up and I'll {kill_verb} you.",
    "I'll {kill_verb} you and everyone you love.",
    "You're dead. I'm going to {kill_verb} you {when}.",
    "I know your face now and I will {kill_verb} you.",
    "Post that again and I'll {kill_verb} you myself.",
    "If I ever meet {author} I'll {kill_verb} them.",
    "My fist is going to meet your face very soon.",
    "I'll make sure you never write again. I'll {kill_verb} you.",
    "One more word and I will {kill_verb} you.",
    "I am going to {kill_verb} you {when}, and I mean it.",
    "You'll be in a body bag {when}.",
    "I'm bringing a knife to the next screening, and it's for you.",
    "I will cut your throat if you ever come near me.",
]

THREAT_NORMATIVE_PERSON = [
    "{target} should be shot.",
    "{target} deserves to be hanged.",
    "{target} should be lined up against a wall.",
    "Someone should put a bullet in {target}.",
    "{target} ought to be beaten in the street.",
    "Hang {target} from the nearest lamppost.",
    "I'd pay to watch {target} get executed.",
    "{target} should be dragged out and shot.",
    "{target} should have their throat cut.",
    "{target} should be thrown off a bridge.",
    "{target} should be stoned to death.",
    "{target} deserves a bullet.",
    "{target} should be tortured for this.",
    "Somebody needs to take out {target}, permanently.",
    "{target} should be set on fire.",
    "{target} needs a rope, not a platform.",
    "I hope somebody beats {target} to death.",
    "{target} should be strung up.",
]

THREAT_NORMATIVE_GROUP = [
    "{group} should be shot.",
    "{group} should be gassed.",
    "{group} should be hanged, all of them.",
    "Put {group} in camps.",
    "Round up {group} and get rid of them.",
    "{group} should be wiped out.",
    "{group} need to be exterminated.",
    "The only good {group.2} is a dead one.",
    "{group} should be lined up and shot.",
    "Drown {group} in the sea before they land.",
    "{group} deserve a bullet each.",
    "Deport {group} or bury them, I don't care which.",
    "Bring back the ovens for {group}.",
    "{group} should be hunted like animals.",
    "It's time to start hanging {group}.",
    "{group} should be burned out of their homes.",
    "Every {group.2} should be shot on sight.",
    "Every mosque in the country should be burned down.",
    "Someone should torch the synagogue on our high street.",
    "Somebody should finish the job the army started in Nanking.",
    "They should do to the Chinese now what was done in 1937.",
]

THREAT_VEILED = [
    "I know where you {where_verb}.",
    "Shame if something were to happen to your {belonging}.",
    "Carry on talking and see what happens next.",
    "Keep posting and find out what happens to people like you.",
    "I've got your address now. Sleep well.",
    "Found your home address in two minutes. See you soon.",
    "Nice {building}. Be a shame if it caught fire.",
    "Somebody ought to track down your address and make sure you stop writing for good.",
    "People like you tend to have accidents.",
    "Watch your back when you leave the office tonight.",
    "I hope someone pays you a visit soon.",
    "Your {child} go to {school}, don't they?",
    "I'm posting your address in the group chat. Let's see how brave you are then.",
    "Everyone, here's where this reviewer lives: {address}.",
    "I know what car you drive.",
    "You won't be so brave when we turn up at your door.",
    "Enjoy your walk home tonight. I'll be watching.",
    "Remember, we know where your kids go to school.",
    "One more review like this and you'll regret it.",
    "You should start looking over your shoulder.",
    "Sleep with one eye open.",
    "Delete this or we'll make you delete it.",
    "We'll be waiting outside the cinema for you.",
    "You've got a lovely family. Be a pity if they got hurt.",
    "Your employer will be hearing from us, and so will your neighbours.",
    "Found your workplace from your profile. See you Monday.",
    "Don't be surprised if someone is waiting for you after work.",
    "Things happen to people who write reviews like this.",
    "It'd be a real pity if your {building} had a visitor tonight.",
    "Hope you like surprises, because we're coming to your street.",
    "Your days of writing are numbered.",
    "Remember this comment when something happens to you.",
    "We have your photo, your address and your phone number. Think carefully.",
    "I've been watching you walk your dog every morning.",
    "Say that again and we'll see who's laughing when I find you.",
    "Funny how easy it is to find where people like you live.",
    "Pretty sure I saw you at {address} yesterday. Nice curtains.",
    "Tell your {belonging} I said hello. I know where they are.",
    "A message for {author}: people have disappeared for less.",
    "We know who you are, and we know where to find you.",
    "You'd better hope we never meet in person.",
    "I'd stay away from windows if I were you.",
    "To {author}: I know where you {where_verb}.",
    "Just so you know, I know where you {where_verb}.",
    "Lovely {building} you've got at {address}.",
    "See you at {address} tonight.",
    "It would be awful if your {child} didn't come home from {school} one day.",
    "Your {child} walk home past the park, don't they? Anything could happen.",
    "Say goodbye to your {building} while you still have it.",
    "We've got people near your {building} right now.",
    "I'd think twice before leaving your {building} {when_soon}.",
    "You and your {belonging} should be careful {when_soon}.",
    "Keep {writing_act} and you'll find out what we do to people like you.",
    "Keep {writing_act} and watch what happens to your {building}.",
    "Nice {building} at {address}. Would hate for anything to happen to it.",
    "Keep {writing_act}. We're keeping a list.",
]

PROFANITY_STRONG = [
    "Fuck you, {fuck_tail}.",
    "Go fuck yourself, {strong_noun}.",
    "Shut the fuck up, you {strong_noun}.",
    "You're a fucking {strong_noun}.",
    "{author} is a fucking {strong_noun}.",
    "Fuck off back under your bridge, you {strong_noun}.",
    "Nobody gives a fuck what you think, {strong_noun}.",
    "What a {strong_noun}, honestly.",
    "You {strong_noun}, did you even watch it?",
    "Listen here, you {strong_noun}.",
    "You're such a {strong_noun} it's unreal.",
    "Fuck {author} and fuck this review.",
    "Get fucked, {strong_noun}.",
    "{author} can go fuck themselves.",
    "I don't give a shit about your opinion, you {strong_noun}.",
    "You piece of shit, {fuck_tail}.",
    "Eat a bag of dicks, {strong_noun}.",
    "You're a worthless piece of shit.",
    "Fuck you and your shitty little blog.",
    "Suck my dick, you {strong_noun}.",
    "You absolute {strong_noun}.",
    "You stupid fucking {strong_noun}.",
    "Fuck off and die, you {strong_noun}.",
    "Who the fuck asked you, {strong_noun}?",
]

PROFANITY_MILD = [
    "You're {mild_noun.1}.",
    "What {mild_noun.1}.",
    "Stop being {mild_noun.1}.",
    "{author} is {mild_noun.1}.",
    "Shut up, you {mild_noun}.",
    "You {mild_noun}, did you even read the article?",
    "Go away, you damn {insult_noun}.",
    "You're a bloody {insult_noun}.",
    "Piss off, {mild_noun}.",
    "Your review is crap and so are you.",
    "You're a crappy writer and a worse person.",
    "Bloody hell, you're thick.",
    "Take your crap opinions and shove them.",
    "Hey {mild_noun}, learn to read.",
    "Nobody likes you, {mild_noun}.",
    "{author} is a damn {insult_noun}.",
    "Typical {mild_noun} critic.",
    "Don't be such {mild_noun.1}.",
    "You're a pompous {mild_noun} and everyone knows it.",
    "Piss off back to your blog, you {insult_noun}.",
    "What a damn {insult_noun} you are.",
    "Sod off, {mild_noun}.",
]

ABUSE_NONPROTECTED = [
    "{np_group} are all {insult_noun.2}.",
    "{np_group} are the dumbest people alive.",
    "I've never met a {np_group.1} who wasn't a total {insult_noun}.",
    "{np_group} are spineless cowards.",
    "{np_group} are parasites on society.",
    "Typical {np_group.1}, too {insult_adj} to think for themselves.",
    "{np_group} are a bunch of brainless sheep.",
    "Never trust {np_group}, they're all liars.",
    "{np_group} have the collective IQ of a doorknob.",
    "{np_group} are a waste of oxygen.",
    "{np_group} are pathetic losers with no lives.",
    "Only {np_group} could be this {insult_adj}.",
    "{np_group} are the scum of the earth.",
    "{np_group}: {insult_adj}, greedy and useless.",
    "Why are {np_group} always such {insult_noun.2}?",
    "I can't stand {np_group}, they're vile.",
    "{np_group} are the lowest form of life.",
    "{np_group} are clowns, every last one of them.",
    "{np_group} are too {insult_adj} to tie their own shoes.",
    "The {np_group} in this thread are all morons.",
    "Every {np_group.1} I've ever dealt with was a lying weasel.",
    "{np_group} are {insult_adj} leeches.",
    "Anyone who listens to {np_group} is {insult_noun.1}.",
    "{np_group} are the most {insult_adj} people on the planet.",
    "{np_group} should be ashamed to show their faces.",
]

# --- positive kinds: fillers only they use ------------------------------------------------------

KILL_VERBS = [
    "kill",
    "stab",
    "shoot",
    "strangle",
    "beat",
    "murder",
    "hurt",
    "drown",
    "hang",
    "kneecap",
    "choke",
    "gut",
    "slaughter",
    "batter",
]

WHEN = [
    "if you post again",
    "the next time you show your face",
    "one of these days",
    "before the year is out",
    "when I find you",
    "tonight",
    "after the screening",
    "when you least expect it",
]

TARGETS = [
    "the director",
    "this reviewer",
    "whoever wrote this",
    "the mayor",
    "the senator",
    "that judge",
    "the prime minister",
    "the minister",
    "the people who made this film",
    "every politician in that party",
    "my landlord",
    "the referee",
    "the critic",
    "the guy who runs this site",
    "the editor",
    "the governor",
    "the CEO",
    "the head of the council",
]

WHERE_VERBS = [
    "do your shopping",
    "live",
    "park your car",
    "take your kids to school",
    "drink on Fridays",
    "go jogging",
    "get your coffee",
    "sleep",
]

BELONGINGS = ["kids", "children", "family", "daughters", "sons", "parents", "grandchildren"]

WHEN_SOON = ["this weekend", "after dark", "tonight", "for a while", "on the way home"]

WRITING_ACTS = ["writing", "reviewing", "talking", "posting", "commenting", "mouthing off"]

BUILDINGS = ["house", "car", "shop", "flat", "office", "garden"]

CHILDREN = ["kids", "children", "daughters", "sons", "grandchildren"]

SCHOOLS = ["St Mary's", "Northfield Primary", "the school on Hill Road", "Oakwood Academy"]

ADDRESSES = [
    "14 Elm Street",
    "the blue house on Carter Road",
    "flat 3, 22 Mill Lane",
    "the corner of Park Avenue and 5th",
    "7 Willow Close",
    "the yellow door on Station Road",
]

FUCK_TAILS = [
    "reviewer",
    "and your review",
    "and your whole family",
    "and the horse you rode in on",
    "seriously",
    "mate",
    "you hack",
    "you clown",
    "OP",
    "and your opinions",
]

STRONG_NOUNS = [
    "cunt",
    "motherfucker",
    "fuckwit",
    "fuckface",
    "fucker",
    "shitstain",
    "cocksucker",
    "sack of shit",
    "shithead",
    "dumb fuck",
    "twat",
    "cumstain",
]

MILD_NOUNS: list[Filler] = [
    _noun(word)
    for word in (
        "asshole",
        "arsehole",
        "dickhead",
        "prick",
        "wanker",
        "bastard",
        "jackass",
        "douchebag",
        "dipshit",
        "dumbass",
        "bitch",
        "bellend",
        "tosser",
        "knobhead",
        "pissant",
        "smartass",
    )
]

# --- negative (benign) kinds: templates ---------------------------------------------------------

RECLAIMED = [
    "As {inself.1}, I thought {film} handled the survivors with real care.",
    "Speaking as {inself.1}, this review gets it exactly right.",
    "We {inself.2} have waited years for a film like this.",
    "{film} made this {inself} cry in the back row.",
    "Proud {inself} here, and I loved every minute of {film}.",
    "As {inself.1} with a {relative} who {survived}, I found {film} very hard to watch.",
    "Us {inself.2} need more stories like this on screen.",
    "Fellow {inself.2}, go and see {film} this weekend.",
    "I'm {inself.1} and I run a film club; we're screening {film} next month.",
    "Any other {inself.2} at the Friday screening? Let's grab a drink after.",
    "Being {inself.1} in a small town, the cinema was my whole world.",
    "This {inself} approves of the soundtrack.",
    "As {inself.1} and a history teacher, I'll be showing clips of {film} to my class.",
    "Most of us {inself.2} in the audience were in tears by the end.",
    "I'm {inself.1}, I'm sixty, and I've never seen anything like {film}.",
    "This {inself} is buying the Blu-ray.",
    "Our little group of {inself.2} picked {book} after seeing {film}.",
    "Being {inself.1} taught me to notice who gets left out of history.",
    "Even {inself.2} like me who avoid war films should watch {film}.",
    "Calling myself {inself.1} took years; watching {film} with my partner felt like a gift.",
    "As {inself.1} who teaches history, I think the reviewer is spot on about {topic}.",
    "Just {inself.1} with opinions about {topic}: it's wonderful.",
    "Dyke March this year was huge, see you all there next summer.",
    "Dykes on Bikes led the parade again and the crowd loved it.",
    "We're here, we're queer, and we want the director's cut.",
    "My wife and I are both proud dykes and we loved the screening.",
    "Crip time is real: took me three sittings to finish this doc, worth it.",
    "Us crips need cinemas with working lifts, but the film was worth the stairs.",
    "Old queer here: the eighties section of the film brought it all back.",
    "As an old homo who lived through the AIDS years, this review moved me.",
    "I call myself a fag with love, and the gay bar scene in this film was spot on.",
    "Us queers have always been part of history; this doc finally shows it.",
    "The queer film night at our local cinema sold out again.",
    "Proud crip, proud film nerd.",
    "Big dyke energy in this review and I'm here for it.",
    "Queer as in fabulous, thanks for asking.",
    "My queer book club is reading Iris Chang next.",
]

HOMONYMS = [
    "I grew up in {town}, so this local screening meant a lot to me.",
    "The {town} film society is showing {film} next Friday.",
    "Anyone from {town} going to the screening on {day}?",
    "Traffic through {town} was terrible on the way to the cinema.",
    "My aunt still lives in {town} and she loved the review.",
    "We stopped for lunch in {town} on the way to the festival.",
    "The library in {town} has the DVD if anyone wants it.",
    "Just moved to {town}, is there a decent cinema nearby?",
    "Nipped out for a fag during the intermission and missed the twist.",
    "The old miners in the documentary all have a fag in hand.",
    "Fag ends everywhere outside the cinema again, someone needs a bin.",
    "Faggots and mash with onion gravy before the film, proper northern tea.",
    "Heretics were burned on faggots of wood in Tudor England.",
    "A bundle of faggots was stacked by the hearth in the opening scene.",
    "Grandad used to buy faggots and peas from the butcher every Friday.",
    "Spotted dick with custard is the best pudding on the menu.",
    "The school dinner flashback with spotted dick made me laugh.",
    "Scunthorpe United drew again on Saturday.",
    "Our bitch whelped six puppies last night, all healthy.",
    "The breeder says the bitch is due in March.",
    "Best in show went to a lovely spaniel bitch from Cumbria.",
    "Dick Van Dyke was a delight in Mary Poppins despite the accent.",
    "Moby-Dick is still the great American novel for me.",
    "Philip K. Dick wrote the story Blade Runner is based on.",
    "Dick Francis novels make great airport reading.",
    "The Dick Whittington pantomime at the theatre was great fun.",
    "The word niggardly means stingy and has nothing to do with race.",
    "The festival screened a documentary from Niger about the drought.",
    "The audience gave a little snigger at the awkward interview.",
    "Went to Lagos, Nigeria, for the film festival last year.",
    "The cocktail bar next to the cinema does a great espresso martini.",
    "The pilot's view from the cockpit was stunning on the big screen.",
    "A peacock wandered onto the set and stole the scene.",
    "The cockerel crowing at dawn opens the film.",
    "The weathercock on the church spire is in every shot.",
    "Cockney rhyming slang makes the dialogue hard to follow.",
    "The assassin in the third act was underwritten.",
    "Assassin's Creed was a terrible film adaptation.",
    "The bass on the soundtrack was far too loud.",
    "A cup of Assam tea and a long documentary, perfect Sunday.",
    "Shiite and Sunni scholars both appear in the second episode.",
    "My Shih Tzu slept through the whole film.",
    "Spic and Span was the cleaning product in every fifties advert.",
    "Kike Hernandez hit a home run in the ninth.",
    "Enrique, known to everyone as Kike, is the cinematographer.",
    "Found a chink in the armour of the prosecution's case, as the film puts it.",
    "A chink of light under the door is the film's closing image.",
    "The chink of glasses in the ballroom scene was perfectly mixed.",
    "There's a nip in the air, perfect weather for the outdoor cinema.",
    "I'll nip to the shop for snacks before the film starts.",
    "The director should nip that subplot in the bud.",
    "A raccoon got into the outdoor screening and ate the popcorn.",
    "Our Maine Coon sits on the sofa for every film night.",
    "The butterfly emerging from its cocoon is a lovely metaphor.",
    "The media tycoon in the film is obviously based on a real one.",
    "The loud bang spooked the horses in the street scene.",
    "Spooks was a great spy drama, better than this film.",
    "Homo sapiens is the only surviving human species.",
    "The fossils of Homo erectus get a cameo in the museum scene.",
    "The cast is very homogeneous; everyone looks alike.",
    "The Gay Divorcee is a delightful Fred Astaire film.",
    "They danced with gay abandon in the final scene.",
    "I had a queer feeling something terrible was about to happen.",
    "The Dutch built the dyke to hold back the sea.",
    "We walked the Offa's Dyke path last summer.",
    "Devil's Dyke near Brighton has lovely views.",
    "The flame retardant on the cinema curtains smells awful.",
    "The drug retards tumour growth in mice, the study found.",
    "Crippling debt forced the studio to sell the rights.",
    "The strike crippled the railways for a week.",
    "The ski slope scene was filmed in Austria.",
    "Yiddish theatre gets a lovely mention in the second half.",
    "Hebe bushes do well in seaside gardens.",
    "Cream crackers and cheese is my film snack.",
    "The Nutcracker ballet is on at the cinema this Christmas.",
    "Christmas crackers with terrible jokes, classic.",
    "The honky-tonk piano in the saloon scene is great.",
    "Roasted redskin potatoes with rosemary, easy dinner.",
    "Coon cheese was renamed Cheer a few years ago.",
    "The pussy willow by the river is in flower.",
    "The pussycat in the window steals every scene.",
    "Pussy Riot members spoke at the festival panel.",
    "We had cock-a-leekie soup at the Scottish pub.",
    "Remember to turn the stopcock off before you leave.",
    "Bruce Cockburn played the festival closing night.",
    "Hitchcock would have loved the staircase scene.",
    "The scene with the blue tit on the windowsill is lovely.",
    "A great tit nested in our letterbox this spring.",
    "Tit for tat diplomacy drives the second act.",
    "Lake Titicaca looked stunning in the travel doc.",
    "Bangkok's night markets feature in the opening montage.",
    "The bastard sword in the museum scene is historically accurate.",
    "William the Bastard became William the Conqueror in 1066.",
    "Fields of oilseed rape glow yellow in the opening shot.",
    "The seventies flat had a shag carpet and wood panelling.",
    "The shag is a seabird related to the cormorant.",
    "The door knob came off in my hand at the cinema toilets.",
    "The ass in the nativity play stole the show.",
    "Arsenal scored twice in the last ten minutes.",
    "Arsenic poisoning is a plot point in the murder mystery.",
    "Prick your finger on the spindle and sleep for a hundred years.",
    "A woodpecker drums throughout the forest scene.",
    "Butterscotch popcorn is the best popcorn.",
    "Shiitake mushrooms feature in the cooking scene.",
    "Cumulative box office passed a hundred million.",
    "Cumin and coriander, the smell of my grandmother's kitchen.",
    "She graduated summa cum laude before becoming a director.",
    "The sextant scene on the ship is beautifully shot.",
    "The analysis of the newsreels is excellent.",
    "My therapist recommended this documentary.",
    "Hellboy is a better film than people remember.",
    "Hell's Kitchen is where the director grew up.",
    "The heist is executed flawlessly.",
    "The film bombed at the box office but deserves a second look.",
    "They shot the whole film on 16mm.",
    "Wonderful photo shoot for the poster.",
    "The lead actor absolutely killed it in the final scene.",
    "This comedian kills every night at the Edinburgh fringe.",
    "Hang the poster in the hall, it's gorgeous.",
    "A murder of crows circles the church in the final shot.",
    "The killer app for film fans is the festival schedule.",
    "Leeds slaughtered them five nil on Saturday.",
    "I'll take a stab at explaining the ending.",
    "It was a smash hit in Japan.",
    "The film was a gas from start to finish.",
    "Gas prices are going up again.",
    "The Lakers destroyed the Celtics last night.",
    "Our holiday cottage is just outside {town}.",
    "{town} had a flood last winter, hope everyone there is okay.",
    "The cinema in {town} is showing {film} next month.",
    "Had {dish} at the pub before the film.",
    "The café by the cinema does great {dish}.",
    "Nobody makes {dish} like my gran.",
    "Film night menu: {dish} and a long documentary.",
    "Our {breed} bitch had {litter} puppies last week.",
    "The {breed} bitch at the rescue centre needs a home.",
]

COUNTER_SPEECH = [
    "Calling {pair} '{pair.2}' is a slur, full stop.",
    "Referring to {pair} as '{pair.2}' is hateful and has no place here.",
    "The word '{pair.1}' is a slur against {pair}; please stop using it.",
    "Whoever wrote '{pair.2}' in the thread above: that's a slur, and it's been reported.",
    "My grandfather was called '{pair.1}' at work for years and it wore him down.",
    "Reporting every comment in here that uses '{pair.2}'. Not on this site.",
    "Seeing '{pair.2}' in a thread about {film} is depressing.",
    "Old newspapers casually called {pair} '{pair.2}'; reading them now is chilling.",
    "If you think '{pair.1}' is just a word, you haven't heard it shouted at a child.",
    "Using '{pair.1}' as a joke isn't edgy, it's bigotry.",
    "Mods, someone above called {pair} '{pair.2}'. Please remove it.",
    "'{pair.1}' is a slur. Don't use it, not even ironically.",
    "I heard someone mutter '{pair.1}' at the screening and asked them to leave.",
    "The film shows soldiers calling civilians '{dehum_word}' before the killing started.",
    "Propaganda that calls people '{dehum_word}' always comes before violence.",
    "Stop saying {group} are {bad_claim}. It's false and it's cruel.",
    "Saying {group} are {bad_claim} is bigotry, however politely you phrase it.",
    "The comment claiming {group} are {bad_claim} should be removed.",
    "Just reported a comment saying {group} are {bad_claim}. Do better, people.",
    "Claims that {group} are {bad_claim} are recycled propaganda from a century ago.",
    "The {offender} who {hate_act} was {consequence}.",
    "Good news: the {offender} who {hate_act} has been {consequence}.",
    "Glad to read that the {offender} who {hate_act} was {consequence}.",
    "The headline calling {group} '{swarm_word}' was rightly condemned.",
    "Describing {group} as '{swarm_word}' is dehumanising, and journalists should know better.",
    "Holocaust denial and Nanking denial are the same kind of lie.",
    "Anyone saying the Nanking massacre was invented is repeating denialist propaganda.",
    "Jokes about gas chambers aren't edgy, they're cruel.",
    "Using 'retarded' as an insult hurts people with learning disabilities. Please stop.",
    "'Go back to your country' is not an argument, it's just xenophobia.",
    "Telling trans people they're mentally ill isn't an opinion, it's harassment.",
    "Calling the Japanese 'a cruel race' because of 1937 is just bigotry in reverse.",
    "Blaming ordinary Japanese people today for Nanking is wrong and racist.",
    "Someone shouted a homophobic slur during the screening and staff threw him out.",
    "Nobody in the audience laughed at the racist joke, which was good to see.",
    "Antisemitic conspiracy theories in the replies again. Reported.",
    "Comparing immigrants to rats is exactly what Nazi propaganda did.",
    "Tired of seeing 'women belong in the kitchen' jokes under every article.",
    "The n-word has no place in a review thread, quoted or not.",
    "A reply upthread called {group} '{dehum_word}'. That's hate speech and I've flagged it.",
    "Wartime posters that called Japanese Americans '{pair_jp}' are a shameful bit of history.",
]

NEGATED_HATE = [
    "I don't hate {group}, and I don't know why anyone would.",
    "I have nothing against {group}.",
    "Nobody should call {group} {bad_claim}.",
    "{group} are not {bad_claim}.",
    "I would never say that {group} are {bad_claim}.",
    "It simply isn't true that {group} are {bad_claim}.",
    "There's nothing wrong with being {group.4}.",
    "No one should be hated for being {group.4}.",
    "{group} don't deserve hate.",
    "I don't think {group} are any less {good_trait} than anyone else.",
    "{group} deserve the same rights as everyone else.",
    "{group} are not a threat to anyone.",
    "Hating {group} is never okay.",
    "{group} aren't the problem here; the policy is.",
    "I was raised to distrust {group}, and I was wrong.",
    "Disliking this film doesn't mean anyone hates {group}.",
    "I never said {group} were {bad_claim} and I never would.",
    "{group} didn't cause this, and blaming them is lazy thinking.",
    "Let's be clear: {group} are people, not {bad_noun}.",
    "Just because a few commenters here hate {group} doesn't mean most of us do.",
    "Whatever you think of the film, {group} are not to blame.",
    "Nobody should be calling {group} names in this thread.",
    "{group} should never be treated as second-class citizens.",
    "Nobody deserves to be hurt for being {group.4}.",
    "It's wrong to call {group} {bad_claim}, even as a joke.",
    "No, {group} are not taking over. That's a conspiracy theory.",
    "I don't fear {group} and I don't resent them either.",
    "None of the {group.3} people I know are {bad_claim}.",
    "The Japanese people of today are not responsible for what the army did in 1937.",
    "I don't blame Japanese people for Nanking; I blame the militarist government.",
    "I don't hate anyone for their religion.",
    "Hating Chinese people because of a virus was never acceptable.",
    "Refugees aren't animals; they're people fleeing war.",
    "I'm not against immigration, I'm against this particular bill.",
]

IDENTITY_NEUTRAL = [
    "As {group.1} with a {relative} who {survived}, I found {film} hard to watch.",
    "My neighbours are {group} and they lent us the DVD of {film}.",
    "{group} make up a big part of the audience at our local cinema.",
    "The panel after the screening included {group} from the local community.",
    "I'm {group.1} and I work in film archives.",
    "{doc} features interviews with {group} who lived through it.",
    "Our book club has lots of {group} and we all recommended {film}.",
    "Proud to be {group.4}. Great review.",
    "{group} have given a lot to this city's film scene.",
    "The director is {group.1}, which gives the film a personal angle.",
    "It's good to see {group} on screen without the usual stereotypes.",
    "The festival had a special strand of films by {group}.",
    "Went to see {film} with my {group.3} friends last night; we talked for hours.",
    "There are so many {group.3} filmmakers doing great work right now.",
    "The {group.3} survivors interviewed in {doc} were incredibly brave.",
    "{group} deserve good stories told about them, and this is one.",
    "I'd love to see more documentaries made by {group}.",
    "My best friend is {group.1} and they recommended this review.",
    "The community centre for {group} is hosting a free screening on {day}.",
    "Half the crew on {film} were {group}, according to the credits.",
    "Being {group.4} myself, I appreciated how carefully the film handled identity.",
    "A lot of {group} in my town have been waiting for this release.",
    "I'm {group.4} and I thought the review was fair.",
    "{group} have lived in this neighbourhood for generations.",
    "The {group.3} actors in the cast were superb.",
    "Shout-out to the {group.3} volunteers who ran the screening.",
    "My grandparents were {group} who settled here after the war.",
    "The museum's new exhibit tells the stories of {group} in our city.",
    "Our school invited {group} from the area to talk to students after the film.",
    "As {group.1}, I'd recommend {book} to anyone who liked {film}.",
    "My grandmother grew up in Nanjing and survived the winter of 1937; she rarely spoke of it.",
    "Japanese friends of mine watched it with me and we talked for hours afterwards.",
    "Many Japanese historians have documented the massacre honestly and bravely.",
    "John Rabe, a German businessman, sheltered thousands of Chinese civilians.",
    "Minnie Vautrin, an American teacher, protected women at Ginling College.",
    "I'm Chinese-Canadian and my family still lights incense on December 13th.",
    "As a Jewish viewer, the parallels with my own family's history were striking.",
    "Eid Mubarak to everyone celebrating this week!",
    "Shabbat shalom from our little film club.",
    "Happy Pride month from the projection booth!",
    "Happy Lunar New Year to all the families reading this.",
    "The sign language interpreter at the Q&A was fantastic.",
    "My grandma is 92 and still writes a review of every film she sees.",
    "The wheelchair spaces at the front gave a great view.",
    "A Muslim charity ran the refreshments stand and the samosas were excellent.",
    "The Black history season at the cinema has been wonderful.",
    "My husband and I are a gay couple in our seventies and we loved it.",
    "The trans actor in the lead role gave the performance of the year.",
    "A young Mexican director made the best short film at the festival.",
    "The Korean and Japanese co-production shows how far things have come.",
    "The local mosque and synagogue co-hosted the screening.",
    "Our deaf film group loved that the subtitles were so well done.",
    "The autistic-friendly screening had the volume lower and the lights half up.",
    "My Sikh neighbour lent me his copy of the book.",
    "Immigrants built half the businesses on my street.",
    "Refugee families were guests of honour at the premiere.",
]

FRIENDLY_PROFANITY = [
    "{exclaim}, {film} is {good_adj}.",
    "{film} is fucking {good_adj}.",
    "That review was damn {good_adj}.",
    "The {craft} is fucking {good_adj}.",
    "No bullshit, best doc I've seen this year.",
    "Shit, I forgot to record it. Is it streaming anywhere?",
    "Fuck yes, a director's cut is coming!",
    "I'm so fucking glad someone finally made {film}.",
    "That final shot scared the shit out of me.",
    "Bloody brilliant review, mate.",
    "Ate a shitload of popcorn and regret nothing.",
    "The soundtrack is badass.",
    "You absolute legend, what a fucking great write-up.",
    "Damn, you nailed it.",
    "Hell yeah, you're right about the ending.",
    "You're fucking right about the second act.",
    "Fucking finally, someone mentions the {craft}.",
    "Piss-poor weather, but a fucking great night at the cinema.",
    "I cried my fucking eyes out at {film}.",
    "Damn, {film} still holds up.",
    "Holy shit, I didn't know about {topic} until tonight.",
    "This is the shit I come to this site for. Great review.",
    "Goddamn, what a performance.",
    "Fuck, that ending wrecked me.",
    "The {craft} goes hard as hell.",
    "Can't believe how fucking {good_adj} the {craft} is.",
    "Shit yeah, count me in for the screening on {day}.",
    "Bloody hell, the {craft} in {film} is {good_adj}.",
    "{film} is a damn masterpiece.",
    "Crap, I missed the premiere. Anyone know when it's back on?",
    "My mates and I were swearing all the way home, it was that fucking good.",
    "I'm not crying, you're crying. Damn this film.",
    "Fuck me, that's a long runtime, but worth every minute.",
    "Dammit, now I need to read {book}.",
    "Who the hell cut this trailer? It's perfect.",
    "Holy crap, the {craft} alone is worth the ticket.",
    "Fucking love this reviewer, always spot on.",
    "Shit, this review made me want to watch {film} again.",
]

CIVIL_CRITIQUE = [
    "{work} is {crit_adj}.",
    "Honestly I think {work} is {crit_adj}, and the reviewer is too generous.",
    "I found {work} {crit_adj}, though the archival material is strong.",
    "Two stars is generous; {work} is {crit_adj}.",
    "I expected more; {work} is {crit_adj}.",
    "{figure}'s policy on {policy_area} is {crit_adj}.",
    "{figure}'s plan for {policy_area} won't work, and the numbers show it.",
    "I strongly disagree with {figure} on {policy_area}.",
    "You're wrong about {topic}, in my view.",
    "I think you're mistaken about {topic}; the tribunal records say otherwise.",
    "Your argument doesn't hold up: {reason}.",
    "The reviewer is wrong here, and here's why: {reason}.",
    "The critic's point about {topic} is weak; the evidence says otherwise.",
    "With respect, this review misrepresents the Tokyo tribunal.",
    "This is one of the weaker reviews on this site; {reason}.",
    "The reviewer clearly skimmed the second half of the film.",
    "I disagree with almost everything in this piece, but it's well written.",
    "{work} ignores the survivors' testimony, which is a serious flaw.",
    "Sorry, but {work} is {crit_adj} and I can't recommend it.",
    "The director's choices around {topic} felt {crit_adj} to me.",
    "Good cast, but {work} is {crit_adj}.",
    "I wanted to like it, but {work} is {crit_adj}.",
    "Calling this a masterpiece is a stretch; {work} is {crit_adj}.",
    "Not convinced: {work} is {crit_adj} and the reviewer doesn't address it.",
    "{figure} has handled {policy_area} badly for years.",
    "{figure} should resign over the {policy_area} failures.",
    "{figure}'s speech on {policy_area} was full of half-truths.",
    "Respectfully, your reading of {topic} is off.",
    "I think the author overstates the case about {topic}.",
    "Fair review, but I'd push back on the part about {topic}.",
    "The director's edits to the interviews are dishonest.",
    "This review is biased towards the studio, as usual for this outlet.",
    "The article's headline is misleading clickbait.",
    "The film is beautifully shot but historically shallow.",
    "The Q&A after the screening was poorly moderated.",
]

VIOLENCE_HISTORY = [
    "In December 1937, Japanese troops {atrocity} in Nanking.",
    "{perpetrator} {killed_verb} {victims}, according to {source}.",
    "It is well documented that {perpetrator} {killed_verb} {victims}.",
    "The documentary includes testimony from women who were raped during the occupation.",
    "The gunman {shooting} before police arrived.",
    "Police said the attacker {shooting} and then fled.",
    "The {bomb_place} bombing killed {number} people, officials said.",
    "A suicide bomber killed {number} people at a {bomb_place} in the capital.",
    "The court sentenced him to death for the murders.",
    "The Tokyo tribunal sentenced seven defendants to death by hanging.",
    "Historians estimate that between 40,000 and 300,000 people were killed in Nanking.",
    "The Rwandan genocide killed around 800,000 people in a hundred days.",
    "The terrorist cell planned to bomb the stadium, prosecutors said.",
    "Survivors described soldiers bayoneting prisoners on the riverbank.",
    "The killer was hanged in 1952, one of the last executions in the county.",
    "Japanese newspapers reported a killing contest between two officers as if it were sport.",
    "Iris Chang's book documents mass rape and murder in graphic detail.",
    "Police said the suspect stabbed two people outside the station.",
    "The war crimes tribunal convicted the general of ordering the massacre.",
    "The suspect told police he had wanted to kill as many people as possible.",
    "Prosecutors say he threatened to shoot his coworkers before the attack.",
    "Women and girls were systematically raped by soldiers during the occupation.",
    "Thousands of prisoners were machine-gunned on the banks of the Yangtze.",
    "The film shows the burning of villages and the execution of civilians without flinching.",
    "Should war criminals face the death penalty? The Nuremberg judges thought so.",
    "Death penalty debates always come back after a massacre like this one.",
    "The soldiers who carried out the killings were rarely punished.",
    "The massacre at My Lai was covered up for more than a year.",
    "Eyewitnesses described bodies piled in the streets after the city fell.",
    "The film's rape scenes are brief but harrowing, and necessary.",
    "The hijackers killed the pilots before flying the plane into the tower.",
    "A man was charged with murder after the stabbing at the festival.",
    "Genocide scholars describe dehumanising propaganda as an early warning sign.",
    "The army executed deserters by firing squad in the final months of the war.",
    "Victims' families want the men who ordered the killings brought to trial.",
    "The documentary reconstructs how the militia murdered the village elders.",
    "Survivors of {massacre} still struggle to talk about what they saw.",
    "{massacre} was one of the worst atrocities of its era.",
    "The documentary about {massacre} shows photographs of the mass graves.",
    "Historians still argue about the death toll of {massacre}.",
    "{number} people were killed when gunmen attacked a {bomb_place}, police said.",
    "The trial heard how the defendant {crime_detail}.",
    "He was sentenced to {sentence} for {crime}.",
    "The jury convicted her of {crime} after a three-week trial.",
    "Should {crime} carry the death penalty? The debate is back after this case.",
    "{perpetrator} {killed_verb} {victims} in one of the worst crimes of the war.",
    "A memorial now stands where {perpetrator} {killed_verb} {victims}.",
    "Records show {perpetrator} {killed_verb} {victims} and buried them in mass graves.",
    "The film about {massacre} is hard to watch but it never sensationalises the killing.",
]

NEGATIVE_THINGS = [
    "{thing} {thing.1} {thing_bad}.",
    "Honestly, {thing} {thing.1} {thing_bad}.",
    "I'm sorry, but {thing} {thing.1} {thing_bad}.",
    "Not going to lie, {thing} {thing.1} {thing_bad}.",
    "Ugh, {thing} {thing.1} {thing_bad} again.",
    "Warning to anyone going: {thing} {thing.1} {thing_bad}.",
    "Everything was fine except {thing}, which {thing.2} {thing_bad}.",
    "I hate {hated}.",
    "I hate {hated}, it ruins every film night.",
    "{pest} are {pest_bad}.",
    "The {pest} in our basement are {pest_bad}.",
    "Pigeons are basically rats with wings.",
    "Monday mornings are the absolute worst.",
    "This heat is killing me.",
    "That traffic jam killed my whole evening.",
    "Rainy bank holidays are the worst.",
    "The new tax rules are a nightmare to fill in.",
    "The sequel was a disaster from start to finish.",
    "The popcorn machine exploded and the whole lobby stank.",
    "Slugs ate every lettuce in the garden; they're disgusting.",
    "The ending of the season finale was garbage.",
    "The wasps at the outdoor screening were a plague.",
    "The vending machine ate my coins again. Useless thing.",
    "The ticket queue was pathetic, one cashier for two hundred people.",
    "The ads before the film were unbearable.",
    "Airport food is vile.",
    "Printers were invented to make us suffer.",
    "My phone battery is hopeless these days.",
]

BENIGN_SECOND_PERSON = [
    "You make a fair point about {topic}.",
    "You might enjoy {book} as well.",
    "I hope you {benign_goal}.",
    "I know where you're coming from on {topic}.",
    "I know where you can find the full interview: {resource}.",
    "Keep writing, you're good at this.",
    "See you at the screening on {day}!",
    "You killed it with this review.",
    "You're right, I missed that detail about {topic}.",
    "Thanks for the recommendation, you've got great taste.",
    "Would be a shame if you missed the director's Q&A; it's on {day}.",
    "I'll find you the link later tonight.",
    "We should meet up after the screening and talk about {topic}.",
    "You should watch {film} with your kids when they're older.",
    "Your kids would love the animated one.",
    "Hope you and your family are doing well.",
    "I'm coming to your talk on {day}, can't wait.",
    "Watch out for the spoiler in paragraph three!",
    "You'll regret missing this one on the big screen.",
    "Keep posting reviews like this and you'll have a big following.",
    "You should be proud of this piece.",
    "Great catch, you're absolutely right about the date.",
    "Did you see the extended cut? You'd love it.",
    "If you're ever in Nanjing, visit the memorial hall.",
    "Found your blog through this review, subscribed!",
    "I looked you up and your older reviews are great too.",
    "You hit the nail on the head with {topic}.",
    "I'll be watching your channel for the next one.",
    "Keep talking about {topic}, more people need to hear it.",
    "I hope you find {lost_thing}.",
    "You absolutely slayed this review.",
    "You're welcome to borrow my copy of {book}.",
    "You and your partner should go to the Sunday matinee.",
    "Take care of yourself after watching it; it's heavy going.",
    "I know where you live is far from a cinema, so the stream is a great option.",
    "You deserve every award going for this piece.",
    "Your grandfather's story deserves its own documentary.",
    "You'll find the archive in the basement of the city library.",
    "Don't worry, you're not the only one who cried.",
    "Watch your step on the stairs in screen two, they're steep.",
    "Your review convinced me to go, thank you.",
    "You're the only critic I trust on war films.",
    "Thanks for writing about {topic}, you've clearly done the research.",
    "You're so right about {topic}.",
    "Have you read {book}? I think you'd love it.",
    "You explained {topic} better than the film did.",
    "I know where you're coming from, but I'd still recommend {film}.",
    "You should see {film} in a proper cinema if you can.",
    "Your point about {topic} changed my mind.",
    "Hope to see you at the {event}.",
    "Are you going to the {event} on {day}?",
    "I'll save you a seat at the {event}.",
    "Let me know if you want my notes on {topic}.",
    "You'll find {book} in most libraries.",
    "I'll come find you at the {event} and say hello.",
]

# --- negative kinds: fillers only they use ------------------------------------------------------

DISHES = [
    "spotted dick",
    "faggots and gravy",
    "faggots with mushy peas",
    "cock-a-leekie soup",
    "shiitake risotto",
    "spotted dick and custard",
    "roasted redskin potatoes",
    "cream crackers with cheese",
    "cocktail sausages",
    "cumin-roasted carrots",
    "Assam tea and scones",
]

BREEDS = ["spaniel", "labrador", "collie", "beagle", "whippet", "greyhound", "terrier", "poodle"]

LITTERS = ["five", "six", "seven", "eight", "four", "nine"]

EVENTS = ["festival", "memorial service", "Q&A", "book launch", "film club", "screening"]

TOWNS = [
    "Scunthorpe",
    "Penistone",
    "Middlesex",
    "Sussex",
    "Essex",
    "Cockermouth",
    "Clitheroe",
    "Shitterton",
    "Wetwang",
    "Bitchfield",
    "Crapstone",
    "Pratts Bottom",
    "Dildo",
    "Muff",
    "Cockfosters",
    "Lickey End",
    "Titty Hill",
    "Cockburnspath",
]

EXCLAIMS = [
    "Holy shit",
    "Holy fuck",
    "Damn",
    "Fuck me",
    "Bloody hell",
    "Shit",
    "Goddamn",
    "Hell yes",
    "Fucking hell",
    "Holy crap",
    "Well damn",
    "Jesus fucking Christ",
]

WORKS = [
    "this review",
    "the film's second half",
    "the director's framing",
    "the editing",
    "the narration",
    "the reviewer's argument",
    "the article",
    "this op-ed",
    "the script",
    "the score",
    "the pacing",
    "the ending",
    "the fact-checking in this piece",
    "the headline",
    "the sequel",
    "this take",
    "the voice-over",
    "the final act",
    "the studio's marketing",
    "the museum's new exhibit",
]

CRIT_ADJS = [
    "one-sided",
    "misleading",
    "shallow",
    "badly argued",
    "poorly sourced",
    "lazy",
    "unconvincing",
    "overlong",
    "dull",
    "muddled",
    "self-indulgent",
    "manipulative",
    "sloppy",
    "biased",
    "simplistic",
    "tone-deaf",
    "incoherent",
    "a mess",
    "a missed opportunity",
    "full of errors",
    "badly researched",
    "weak",
    "boring",
    "clumsy",
    "pretentious",
    "heavy-handed",
    "cynical",
    "naive",
    "wrong on the facts",
    "disappointing",
]

FIGURES = [
    "the prime minister",
    "the mayor",
    "the governor",
    "the senator",
    "the president",
    "the chancellor",
    "the health secretary",
    "the council leader",
    "the culture minister",
    "the studio head",
]

POLICY_AREAS = [
    "housing",
    "immigration",
    "schools",
    "policing",
    "transport",
    "arts funding",
    "healthcare",
    "climate",
    "museum funding",
    "public broadcasting",
]

REASONS = [
    "the casualty figures come from the tribunal, not the film",
    "the diaries were published decades ago",
    "the footage was shot by a missionary, not staged",
    "it ignores the Safety Zone committee entirely",
    "the second source contradicts the first",
    "the quotes are taken out of context",
    "the timeline is simply wrong",
    "the film never claims to be neutral",
]

ATROCITIES = [
    "killed tens of thousands of civilians",
    "raped thousands of women and girls",
    "executed prisoners of war along the Yangtze",
    "burned large parts of the city",
    "shot civilians in the streets",
    "looted homes and shops across the city",
    "massacred surrendered soldiers",
    "bayoneted prisoners in mass executions",
]

PERPETRATORS = [
    "Japanese troops in Nanking",
    "Bosnian Serb forces at Srebrenica",
    "American soldiers at My Lai",
    "Hutu militias in Rwanda",
    "the Soviet secret police at Katyn",
    "SS units at Lidice",
    "German death squads at Babi Yar",
    "the Khmer Rouge",
    "Indonesian army units in 1965",
    "Iraqi forces at Halabja",
]

KILLED_VERBS = ["killed", "murdered", "massacred", "executed", "slaughtered"]

VICTIMS = [
    "thousands of civilians",
    "hundreds of prisoners",
    "entire villages",
    "unarmed men and boys",
    "whole families",
    "local farmers and their children",
]

SOURCES = [
    "historians",
    "the tribunal records",
    "survivor testimony",
    "a UN report",
    "the museum's archive",
    "contemporary diaries",
]

MASSACRES = [
    "the Nanking massacre",
    "Srebrenica",
    "the Rwandan genocide",
    "Babi Yar",
    "the Armenian genocide",
    "the Sand Creek massacre",
    "the Katyn massacre",
    "Wounded Knee",
    "the Amritsar massacre",
    "the Tulsa race massacre",
    "the My Lai massacre",
    "the Halabja attack",
]

CRIME_DETAILS = [
    "strangled his victim",
    "shot the shopkeeper twice",
    "stabbed a man outside a nightclub",
    "poisoned her husband",
    "set fire to the flat",
    "beat the victim with a bat",
    "planned the bombing for months",
]

CRIMES = ["murder", "attempted murder", "manslaughter", "rape", "arson", "terrorism offences"]

SENTENCES = ["life in prison", "death", "25 years", "a minimum of 30 years", "eighteen years"]

SHOOTINGS = [
    "killed eight worshippers",
    "opened fire on a crowded market",
    "shot eleven people at a school",
    "killed four people at a supermarket",
    "wounded six commuters on a train",
    "shot two security guards",
]

BOMB_PLACES = ["market", "train station", "foreign embassy", "concert hall", "bus station", "hotel"]

NUMBERS = ["twelve", "thirty", "five", "more than forty", "at least nine", "dozens of"]

THINGS: list[Filler] = [
    ("this cheap camera", "is", "was"),
    ("the cinema's projector", "is", "was"),
    ("the popcorn", "is", "was"),
    ("the parking at this cinema", "is", "was"),
    ("the ticketing app", "is", "was"),
    ("this streaming service", "is", "was"),
    ("my laptop", "is", "was"),
    ("the train Wi-Fi", "is", "was"),
    ("the weather this week", "is", "was"),
    ("Monday mornings", "are", "were"),
    ("the subtitles", "are", "were"),
    ("the seats in screen three", "are", "were"),
    ("the ticket website", "is", "was"),
    ("the traffic on the ring road", "is", "was"),
    ("this printer", "is", "was"),
    ("the new update", "is", "was"),
    ("the coffee here", "is", "was"),
    ("the sound system", "is", "was"),
    ("the DVD menu", "is", "was"),
    ("the air conditioning", "is", "was"),
    ("the cinema toilets", "are", "were"),
    ("hospital car parks", "are", "were"),
    ("the trailers these days", "are", "were"),
    ("the remote control", "is", "was"),
]

THING_BADS = [
    "garbage",
    "trash",
    "awful",
    "a disaster",
    "the worst",
    "useless",
    "disgusting",
    "rubbish",
    "hopeless",
    "pathetic",
    "a total joke",
    "horrible",
    "a nightmare",
    "junk",
    "broken",
    "a waste of money",
    "vile",
    "worthless",
]

HATED = [
    "Mondays",
    "the new ticket app",
    "this weather",
    "cinema adverts",
    "traffic jams",
    "buffering",
    "loud popcorn bags",
    "the heat in screen one",
    "paywalls on news sites",
    "self-checkout machines",
]

PESTS = ["rats", "mice", "cockroaches", "wasps", "slugs", "bedbugs", "fleas", "moths", "termites"]

PEST_BADS = [
    "vermin",
    "a plague",
    "disgusting",
    "a menace",
    "an infestation waiting to happen",
    "filthy pests",
    "a nightmare",
    "parasites",
]

BENIGN_GOALS = [
    "get to see it on the big screen",
    "track down the director's cut",
    "find a copy of the DVD",
    "enjoy the festival",
    "feel better soon",
    "get tickets for Friday",
    "find your grandfather's service records",
    "find the book at your library",
    "write more reviews like this",
    "get a chance to visit the memorial",
    "find the old newsreels you mentioned",
    "have a lovely weekend",
]

LOST_THINGS = [
    "the footage you were after",
    "your grandmother's letters",
    "a subtitled copy",
    "the interview you mentioned",
    "the original poster",
    "the cinema you used to go to as a kid",
]

RESOURCES = [
    "the university archive",
    "the BBC website",
    "the memorial hall's library",
    "the DVD extras",
    "the director's blog",
    "the festival's YouTube channel",
]

FILLERS: dict[str, list[Filler]] = {
    "group": GROUPS,
    "inself": RECLAIMED_SELF,
    "slur": SLURS,
    "pair": SLUR_PAIRS,
    "pair_jp": ["japs", "nips"],
    "np_group": NP_GROUPS,
    "insult_noun": INSULT_NOUNS,
    "insult_adj": INSULT_ADJS,
    "author": AUTHORS,
    "role": ROLES,
    "film": FILMS,
    "doc": DOCS,
    "good_adj": GOOD_ADJS,
    "craft": CRAFTS,
    "topic": TOPICS,
    "book": BOOKS,
    "day": DAYS,
    "relative": RELATIVES,
    "survived": SURVIVED,
    "bad_claim": BAD_CLAIMS,
    "bad_noun": BAD_NOUNS,
    "good_trait": GOOD_TRAITS,
    "dehum_word": DEHUMANISING_WORDS,
    "swarm_word": SWARM_WORDS,
    "hate_act": HATE_ACTS,
    "offender": OFFENDERS,
    "consequence": CONSEQUENCES,
    "kill_verb": KILL_VERBS,
    "when": WHEN,
    "target": TARGETS,
    "where_verb": WHERE_VERBS,
    "belonging": BELONGINGS,
    "child": CHILDREN,
    "building": BUILDINGS,
    "school": SCHOOLS,
    "address": ADDRESSES,
    "fuck_tail": FUCK_TAILS,
    "strong_noun": STRONG_NOUNS,
    "mild_noun": MILD_NOUNS,
    "town": TOWNS,
    "dish": DISHES,
    "breed": BREEDS,
    "litter": LITTERS,
    "event": EVENTS,
    "when_soon": WHEN_SOON,
    "writing_act": WRITING_ACTS,
    "massacre": MASSACRES,
    "crime_detail": CRIME_DETAILS,
    "crime": CRIMES,
    "sentence": SENTENCES,
    "exclaim": EXCLAIMS,
    "work": WORKS,
    "crit_adj": CRIT_ADJS,
    "figure": FIGURES,
    "policy_area": POLICY_AREAS,
    "reason": REASONS,
    "atrocity": ATROCITIES,
    "perpetrator": PERPETRATORS,
    "killed_verb": KILLED_VERBS,
    "victims": VICTIMS,
    "source": SOURCES,
    "shooting": SHOOTINGS,
    "bomb_place": BOMB_PLACES,
    "number": NUMBERS,
    "thing": THINGS,
    "thing_bad": THING_BADS,
    "hated": HATED,
    "pest": PESTS,
    "pest_bad": PEST_BADS,
    "benign_goal": BENIGN_GOALS,
    "lost_thing": LOST_THINGS,
    "resource": RESOURCES,
}


# --- second round: kinds added after the first fine-tune's error analysis -----------------------
# These are drawn with their own random stream (SEED + 1) after everything above, so the records
# of the first round stay byte-identical; their toxic examples get their own obfuscated copies.

KIND_GROUPS: list[Filler] = [
    _group("gay people", "a gay person", "gay"),
    _group("gay men", "a gay man", "gay"),
    _group("lesbians", "a lesbian", "lesbian"),
    _group("trans people", "a trans person", "trans"),
    _group("trans women", "a trans woman", "trans", "a trans woman"),
    _group("bisexual people", "a bisexual person", "bisexual"),
    _group("Muslims", "a Muslim", "Muslim"),
    _group("Jewish people", "a Jewish person", "Jewish"),
    _group("Black people", "a Black person", "Black"),
    _group("Asian people", "an Asian person", "Asian"),
    _group("Arabs", "an Arab", "Arab"),
    _group("Indians", "an Indian", "Indian"),
    _group("Mexicans", "a Mexican", "Mexican"),
    _group("immigrants", "an immigrant", "immigrant", "an immigrant"),
    _group("refugees", "a refugee", "refugee", "a refugee"),
    _group("disabled people", "a disabled person", "disabled"),
    _group("older people", "an older person", "older"),
    _group("Roma", "a Romani person", "Romani"),
    _group("women", "a woman", "female", "a woman"),
    _group("Sikhs", "a Sikh", "Sikh"),
    _group("Somalis", "a Somali", "Somali"),
    _group("Polish people", "a Polish person", "Polish"),
    _group("deaf people", "a deaf person", "deaf"),
    _group("autistic people", "an autistic person", "autistic"),
    _group("Hindus", "a Hindu", "Hindu"),
    _group("Nigerians", "a Nigerian", "Nigerian"),
    _group("Chinese people", "a Chinese person", "Chinese"),
    _group("Travellers", "a Traveller", "Traveller"),
]

# Cultures with an art form worth praising: (adjective, another phrasing of the people).
CULTURES: list[Filler] = [
    ("Mexican", "Mexican families"),
    ("Indian", "Indian families"),
    ("Nigerian", "Nigerian families"),
    ("Korean", "Korean families"),
    ("Filipino", "Filipino families"),
    ("Somali", "Somali families"),
    ("Haitian", "Haitian families"),
    ("Romani", "Romani families"),
    ("Punjabi", "Punjabi families"),
    ("Vietnamese", "Vietnamese families"),
    ("Palestinian", "Palestinian families"),
    ("Kurdish", "Kurdish families"),
    ("Ethiopian", "Ethiopian families"),
    ("Jamaican", "Jamaican families"),
    ("Lebanese", "Lebanese families"),
    ("Yiddish", "Jewish families"),
    ("Iranian", "Iranian families"),
    ("Turkish", "Turkish families"),
]

ART_FORMS = [
    "cinema",
    "cooking",
    "music",
    "poetry",
    "street food",
    "comedy",
    "theatre",
    "literature",
    "folk music",
    "animation",
    "home cooking",
    "documentary tradition",
]

PLACES = [
    "this town",
    "our street",
    "the neighbourhood",
    "the film club",
    "this city",
    "our school",
    "the local arts scene",
    "the high street",
    "our choir",
    "the allotments",
]

DESERVES = [
    "dignity",
    "to live full lives",
    "safe homes",
    "the same respect as anyone else",
    "to be seen on screen",
    "good healthcare",
    "to grow old in peace",
    "a fair hearing",
    "to feel safe walking home",
    "to be left alone to live their lives",
]

NICE_FACTS = [
    "great neighbours",
    "part of this community",
    "welcome here",
    "just getting on with their lives",
    "as varied as any other group",
    "a big part of why this city works",
    "some of the kindest people I know",
    "ordinary people with ordinary worries",
    "here to stay, and that's a good thing",
    "as much a part of this country as anyone",
]

# Claims a stereotype makes, used only where they are denied or condemned.
STEREOTYPES = [
    "criminals",
    "a burden",
    "a threat",
    "dangerous",
    "lazy",
    "freeloaders",
    "a drain on the system",
    "dirty",
    "violent",
    "stupid",
    "less than human",
    "a problem to be solved",
    "all the same",
    "out to replace anyone",
]

STEREO_VERBS = [
    "think alike",
    "vote the same way",
    "live on benefits",
    "hate this country",
    "commit crimes",
    "share one opinion",
    "cause trouble",
]

BENIGN_IDENTITY_GENERAL = [
    "{kgroup} are {nice_fact}.",
    "Honestly, {kgroup} are {nice_fact}.",
    "{kgroup} deserve {deserve}.",
    "All {kgroup} deserve {deserve}, full stop.",
    "{kgroup} bring so much to {place}.",
    "{kgroup} have made {place} a better place.",
    "{culture} {art_form} is so underrated.",
    "{culture} {art_form} deserves far more attention than it gets.",
    "If you've never tried {culture} {art_form}, you're missing out.",
    "{kgroup} are welcome here, always.",
    "{kgroup} belong in {place} as much as anyone.",
    "Most {kgroup} I've met are warm and funny, like most people.",
    "{kgroup} are people, and people are mostly decent.",
    "Trans women are women and trans men are men.",
    "{kgroup} raising kids here are raising good kids.",
    "Lots of {kgroup} volunteer at the food bank in {place}.",
    "{kgroup} have always been part of {place}.",
    "Grateful to the {kgroup} who run half the small businesses in {place}.",
    "{kgroup} are just as capable as anyone, obviously.",
    "Being {kgroup.4} is nothing to hide and nothing to apologise for.",
    "Love that {kgroup} are finally getting good roles on screen.",
    "{kgroup} in {place} organised the best street party this year.",
    "{culture.1} welcomed us with open arms when we moved here.",
    "The {kgroup.3} community centre in {place} does brilliant work.",
]

NEGATED_STEREOTYPE = [
    "{kgroup} aren't {stereotype}, they're people.",
    "{kgroup} are not {stereotype}.",
    "{kgroup} are not a burden on anyone.",
    "{kgroup} don't all {stereo_verb}, obviously.",
    "Not every {kgroup.2} is the same, any more than every Brit is.",
    "Not all {kgroup} {stereo_verb}, and most don't.",
    "Nobody is subhuman, and that includes {kgroup}.",
    "No, {kgroup} are not {stereotype}. Next question.",
    "The idea that {kgroup} are {stereotype} has been debunked again and again.",
    "Being {kgroup.4} doesn't make anyone {stereotype}.",
    "{kgroup} are no more {stereotype} than anyone else.",
    "Whatever the comments say, {kgroup} are not {stereotype}.",
    "My {kgroup.3} neighbours are not {stereotype}; they're just neighbours.",
    "Nobody is born {stereotype}, least of all because they're {kgroup.4}.",
    "It's simply false that {kgroup} {stereo_verb}.",
]

COUNTER_SPEECH_NAMING = [
    "It's racist to say {kgroup} are {stereotype}.",
    "It's bigoted to claim {kgroup} are {stereotype}, and you know it.",
    "Mocking {kgroup} is cruel and it isn't funny.",
    "Anyone who thinks {kgroup} are {stereotype} should go and meet some.",
    "Stereotyping {kgroup} as {stereotype} is ignorant.",
    "Calling {kgroup} {stereotype} is exactly how hate starts.",
    "Saying {kgroup} {stereo_verb} is a lie that gets people hurt.",
    "The comments calling {kgroup} {stereotype} should be removed.",
    "Please stop spreading the myth that {kgroup} are {stereotype}.",
    "Blaming {kgroup} for everything is scapegoating, plain and simple.",
    "Jokes about {kgroup} being {stereotype} were never funny.",
    "Reported the post saying {kgroup} {stereo_verb}; it's hateful rubbish.",
    "Treating {kgroup} as {stereotype} says more about the speaker than about them.",
    "The idea that {kgroup} {stereo_verb} is a tired old prejudice.",
]

FRIEND_NAMES = ["Dre", "Marcus", "Tay", "Jamal", "Keon", "Deshawn", "Rell", "Malik", "Tyrese"]

RECLAIMED_IN_GROUP = [
    "Me and my niggas watched {film} last night, fire.",
    "My nigga {friend} finally saw {film} and won't shut up about it.",
    "{friend} my nigga, you were right about {film}.",
    "Took my niggas to the late showing, best night out in ages.",
    "Shout out to my nigga {friend} for the tickets.",
    "Me and the niggas from work are going {day}.",
    "My niggas and I had a whole debate about {topic} after {film}.",
    "Nigga {friend} cried at the ending and denies it.",
    "This queer reviewer says go see {film}.",
    "Queer and proud, and {film} is my new favourite.",
    "As a queer {role}, I think the reviewer nailed {topic}.",
    "Queer film club pick this month is {film}.",
    "My queer friends and I watched {film} twice on {day}.",
    "Speaking as a queer woman, this review is spot on about {topic}.",
    "Queer folks, {film} is screening on {day}. Come along.",
]

# Words with an animal, tool, place or technical sense: whole sentences in that sense.
HOMONYM_PROFANE = [
    "Our {breed} bitch had a litter of {litter} puppies last week.",
    "The {breed} is a bitch, so she's registered under the dam's line.",
    "The ass is a domestic donkey, descended from the African wild ass.",
    "The word jackass just means a male donkey.",
    "A jackass and a mare produce a mule.",
    "Sharpened the garden hoes before planting the {veg}.",
    "Two hoes, a rake and a spade are all you need for the {veg} bed.",
    "Use a bastard file to take the burr off the edge.",
    "A bastard file is coarser than a second-cut file.",
    "The joiner used a butt joint on the {wood} frame.",
    "Glue the butt joint and clamp it overnight.",
    "The cock crowed at five and woke the whole farm.",
    "We keep one cock and {litter} hens in the back garden.",
    "The pussy willow by the river is in bloom.",
    "Cut some pussy willow for the vase, it lasts for weeks.",
    "A blue tit and a great tit are nesting in our box.",
    "Saw a coal tit at the feeder this morning.",
    "Faggots and peas at the pub, proper Black Country food.",
    "The hedge layer tied faggots of hazel for the fire.",
    "Niger is a landlocked country in West Africa.",
    "The river Niger flows through Mali and Niger.",
    "Just going to nip to the shop for some {veg}.",
    "I'll nip out to the post office at lunch.",
    "The dyke along the fen stopped the flood.",
    "Walked along Offa's Dyke path at the weekend.",
    "Spotted dick and custard for pudding at school.",
    "Made a spotted dick with suet and currants.",
    "The door knob came off in my hand again.",
    "Add a knob of butter to the {veg}.",
    "You need a longer screw for the {wood} shelf.",
    "Give that screw a quarter turn and the hinge stops squeaking.",
    "The cock on the water tank was stuck shut.",
    "Tits are small songbirds common in British gardens.",
]

# Deliberate puns that play on the swear word: harmless, but a profanity filter should notice.
HOMONYM_PUNS = [
    "Nice tits at the feeder today (the blue ones, calm down).",
    "My {breed} is a right bitch about bath time, and she knows it.",
    "Off to the allotment with my hoes, and no, not that kind.",
    "The donkey sanctuary has the finest asses in {town}.",
    "Biggest cock in the county, says the poultry show judge.",
]

VEGS = ["carrots", "onions", "potatoes", "beans", "leeks", "parsnips", "peas", "greens"]
WOODS = ["oak", "pine", "birch", "walnut", "ash"]

INSULT_NO_KEYWORDS = [
    "You have the reasoning skills of a {small_thing}.",
    "I've met {small_thing.1} with more insight than you.",
    "Reading your comments lowers my IQ a few points each time.",
    "Someone get this person a dictionary, and maybe an adult.",
    "Bless your heart, you really are that slow.",
    "It's adorable that you think you understand {topic}.",
    "Sweetie, the grown-ups are talking about {topic}.",
    "I'd explain it to you, but I haven't got any crayons.",
    "Your review reads like it was written by {small_thing.1}.",
    "You've clearly never had a thought you didn't borrow.",
    "Were you dropped on your head as a baby, or is this natural?",
    "{author}, my {pet} writes better reviews than you.",
    "Every time you post, the average intelligence here drops.",
    "Do you practise being this wrong, or is it a gift?",
    "You bring nothing to this site but noise.",
    "Imagine being this proud of knowing nothing about {topic}.",
    "The lights are on but clearly nobody is home with you.",
    "Honestly, {author}, {small_thing.2} would have made a better argument.",
    "Try reading the book before embarrassing yourself again.",
    "I'm sure you're very good at something. Not this, though.",
    "This reviewer couldn't find the point of {film} with a map.",
    "You argue like someone who's never finished a book.",
    "How does someone get paid to write something this empty?",
    "Your grasp of {topic} is like a toddler's grasp of tax law.",
    "Poor thing, thinking is hard for you, isn't it?",
    "I'd call you a critic but critics have to understand things.",
    "You should be embarrassed to have your name on this, {author}.",
    "Please stick to colouring books and leave the reviews to adults.",
]

SMALL_THINGS: list[Filler] = [
    ("toddler", "a toddler", "a toddler"),
    ("houseplant", "houseplants", "a houseplant"),
    ("goldfish", "goldfish", "a goldfish"),
    ("damp sponge", "damp sponges", "a damp sponge"),
    ("potato", "potatoes", "a potato"),
    ("traffic cone", "traffic cones", "a traffic cone"),
    ("pigeon", "pigeons", "a pigeon"),
    ("garden gnome", "garden gnomes", "a garden gnome"),
    ("brick", "bricks", "a brick"),
    ("fridge magnet", "fridge magnets", "a fridge magnet"),
]

PETS = ["cat", "dog", "hamster", "parrot", "tortoise", "goldfish"]

VEILED_SUBTLE = [
    "Be a pity if your brakes failed on the way home.",
    "People like you tend to disappear.",
    "Enjoy your last weekend, {author}.",
    "It's only a matter of time before someone deals with you.",
    "Take care of your {pet} while you still can.",
    "Lovely {building}. Very flammable, those.",
    "Funny how quickly tyres go flat when nobody's watching.",
    "You won't be writing reviews much longer.",
    "Make the most of {day}, {author}. It might be your last quiet one.",
    "Someone's going to teach you a lesson you won't forget, and soon.",
    "Hope your {belonging} know how to manage without you.",
    "Gas leaks happen all the time in old houses like yours.",
    "I'd check under your car before driving anywhere, if I were you.",
    "Your {pet} looks lovely in the window. Would be a shame to lose it.",
    "Accidents happen to people who write things like this.",
    "We'll sort you out when the time comes.",
    "Mark my words, you'll pay for this review, {author}.",
    "Keep your curtains shut, {author}. Just a friendly tip.",
    "Long dark walk from the station, isn't it?",
    "Nobody would miss you, you know. Think about that.",
]

VEILED_SUBTLE_GROUP = [
    "That {worship} on {street} would burn nicely.",
    "Dry summer, old wooden {worship}. Just saying.",
    "That {camp} would go up in seconds with the right breeze.",
    "{kgroup} round here should start packing before someone helps them.",
    "{kgroup} had better enjoy this town while they can.",
    "Things have a way of happening to {kgroup} who stay too long.",
    "Wouldn't want to be {kgroup.1} walking home alone round here.",
    "One day soon {kgroup} will find out what this town really thinks.",
    "{kgroup} should keep their heads down this summer. You've been warned.",
    "Someone will deal with the {kgroup.3} family on our road eventually.",
]

WORSHIP = ["mosque", "synagogue", "gurdwara", "temple", "church hall", "mandir"]
CAMPS = ["Traveller site", "refugee camp", "migrant hostel", "asylum hotel"]

DOXXING = [
    "Here's her address for anyone who wants to visit: {home}.",
    "For anyone who wants a word with {author}: {home}.",
    "{author}'s mobile is {phone}. Let them know what you think.",
    "I know which train you take, {author}. The {train}, isn't it?",
    "Your {kid_rel} goes to {kid_school}, right?",
    "I sent your boss at {work_place} your comments. Let's see how long you last.",
    "Everyone email {author} at {email} and tell them how you feel.",
    "Silver hatchback, plate {plate}. That's the reviewer's car, folks.",
    "You leave {work_place} at half five every day. I've noticed.",
    "Posting {author}'s home address in the group: {home}.",
    "Works at {work_place}, lives at {home}. You know what to do.",
    "Ring {phone} if you want to tell this reviewer what you think. Day or night.",
    "You walk your dog past {home} every morning at seven, don't you?",
    "Found your {kid_rel}'s school: {kid_school}. Small world.",
    "Your wife parks the car with plate {plate} outside {work_place}, I believe.",
    "Here's everything: {home}, {phone}, {email}. Have fun, everyone.",
    "I've got a screenshot of your address and your number, {phone}.",
    "The {train} gets busy, doesn't it? See you on the platform.",
]

HOMES = [
    "42 Acacia Avenue, Leeds",
    "17 Marlborough Road, Bristol",
    "flat 5, 88 Queen's Drive, Glasgow",
    "9 Rowan Close, Reading",
    "1184 Maple Street, Columbus, OH",
    "27 Birchwood Lane, Sheffield",
    "305 Oak Ridge Drive, Austin, TX",
    "63 Victoria Terrace, Cardiff",
    "12B Hawthorn Crescent, Norwich",
    "540 West Elm Avenue, Portland",
]

PHONES = [
    "07700 900123",
    "07700 900456",
    "+44 7700 900812",
    "(555) 014-2287",
    "555-0199",
    "07700 900734",
    "(312) 555-0148",
]

EMAILS = [
    "j.harper1987@example.com",
    "sam.okafor@example.co.uk",
    "reviews.by.lena@example.net",
    "m.whitcombe@example.org",
    "tomdaly_writes@example.com",
]

PLATES = ["KX19 RTV", "LB68 PHN", "YD21 MWS", "7KLM512", "BN70 OAF", "SV18 JZE"]

WORK_PLACES = [
    "the Tesco on Fenwick Road",
    "Harlow & Finch Solicitors",
    "the council offices on Civic Way",
    "St James's Hospital",
    "Brightline Logistics",
    "the library on Castle Street",
    "Meridian Insurance on King Street",
]

TRAINS = [
    "7:42 from Didcot",
    "8:15 into Waterloo",
    "6:50 Metro-North to Grand Central",
    "17:38 back to Guildford",
    "8:03 from Stockport",
]

KID_RELS = ["daughter", "son", "little girl", "little boy", "eldest"]

KID_SCHOOLS = [
    "Greenfield Primary",
    "St Anne's C of E",
    "Lincoln Elementary",
    "Holly Bank Academy",
    "Westbrook Middle School",
]

BENIGN_ADDRESSES = [
    "The cinema is at {venue}.",
    "Call the box office on {box_phone} for wheelchair seating.",
    "The screening moved to {venue}, same time.",
    "Tickets are available from {venue} or by phone on {box_phone}.",
    "Lost property from the festival is at {venue}.",
    "The film society meets at {venue} every second Tuesday.",
    "Questions about the event? Email {box_email}.",
    "Parking is free behind {venue} after six.",
    "The archive at {venue} holds the original reels; ring {box_phone} to book a visit.",
    "Send accessibility requests to {box_email} and they'll sort you out.",
]

VENUES = [
    "12 High Street",
    "the Regal, 3 Market Square",
    "the community hall on Church Lane",
    "45 Station Road",
    "the Electric, 200 Broad Street",
    "the town library, 9 Castle Street",
    "1010 Main Street",
]

BOX_PHONES = ["0161 496 0000", "020 7946 0123", "(555) 010-4400", "0117 496 0555", "0131 496 0722"]
BOX_EMAILS = ["boxoffice@example.org", "hello@example-cinema.co.uk", "events@example.com"]

FILLERS.update(
    {
        "kgroup": KIND_GROUPS,
        "culture": CULTURES,
        "art_form": ART_FORMS,
        "place": PLACES,
        "deserve": DESERVES,
        "nice_fact": NICE_FACTS,
        "stereotype": STEREOTYPES,
        "stereo_verb": STEREO_VERBS,
        "friend": FRIEND_NAMES,
        "veg": VEGS,
        "wood": WOODS,
        "small_thing": SMALL_THINGS,
        "pet": PETS,
        "worship": WORSHIP,
        "camp": CAMPS,
        "street": ["Mill Road", "Albert Street", "Park Lane", "Elm Avenue", "Bridge Street"],
        "home": HOMES,
        "phone": PHONES,
        "email": EMAILS,
        "plate": PLATES,
        "work_place": WORK_PLACES,
        "train": TRAINS,
        "kid_rel": KID_RELS,
        "kid_school": KID_SCHOOLS,
        "venue": VENUES,
        "box_phone": BOX_PHONES,
        "box_email": BOX_EMAILS,
    }
)


# --- kinds --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kind:
    """A family of examples sharing one label vector."""

    name: str
    labels: tuple[int, ...]  # in the order of LABELS
    quota: int
    templates: Sequence[str]


INSULT = _labels(toxicity=1, insult=1)
IDENTITY = _labels(toxicity=1, identity=1, insult=1)
IDENTITY_SEVERE = _labels(toxicity=1, severe=1, identity=1, insult=1)
SLUR = _labels(toxicity=1, severe=1, identity=1, insult=1, profanity=1)
THREAT_SEVERE = _labels(toxicity=1, severe=1, threat=1)
THREAT_GROUP = _labels(toxicity=1, severe=1, identity=1, insult=1, threat=1)
THREAT_VEILED_LABELS = _labels(toxicity=1, threat=1)
PROFANE_STRONG = _labels(toxicity=1, severe=1, insult=1, profanity=1)
PROFANE_MILD = _labels(toxicity=1, insult=1, profanity=1)
BENIGN = _labels()
BENIGN_PROFANE = _labels(profanity=1)

KINDS: tuple[Kind, ...] = (
    Kind("insult_direct_person", INSULT, 230, INSULT_DIRECT),
    Kind("identity_derogation_explicit", IDENTITY, 120, DEROGATION_EXPLICIT),
    Kind("identity_stereotype_implicit", IDENTITY, 130, STEREOTYPE_IMPLICIT),
    Kind("identity_dehumanisation", IDENTITY_SEVERE, 120, DEHUMANISATION),
    Kind("identity_hateful_question", IDENTITY, 80, HATEFUL_QUESTIONS),
    Kind("identity_negated_positive", IDENTITY, 90, NEGATED_POSITIVE),
    Kind("slur_attack", SLUR, 190, SLUR_ATTACK),
    Kind("threat_direct_violent", THREAT_SEVERE, 90, THREAT_DIRECT),
    Kind("threat_normative_person", THREAT_SEVERE, 70, THREAT_NORMATIVE_PERSON),
    Kind("threat_normative_group", THREAT_GROUP, 70, THREAT_NORMATIVE_GROUP),
    Kind("threat_veiled_intimidation", THREAT_VEILED_LABELS, 150, THREAT_VEILED),
    Kind("profanity_at_person_strong", PROFANE_STRONG, 100, PROFANITY_STRONG),
    Kind("profanity_at_person_mild", PROFANE_MILD, 110, PROFANITY_MILD),
    Kind("abuse_nonprotected_group", INSULT, 150, ABUSE_NONPROTECTED),
    Kind("reclaimed_self_reference", BENIGN, 160, RECLAIMED),
    Kind("innocent_homonym", BENIGN, 230, HOMONYMS),
    Kind("counter_speech", BENIGN, 210, COUNTER_SPEECH),
    Kind("negated_hate", BENIGN, 170, NEGATED_HATE),
    Kind("identity_neutral_positive", BENIGN, 260, IDENTITY_NEUTRAL),
    Kind("friendly_profanity", BENIGN_PROFANE, 180, FRIENDLY_PROFANITY),
    Kind("civil_critique", BENIGN, 230, CIVIL_CRITIQUE),
    Kind("violence_news_history", BENIGN, 210, VIOLENCE_HISTORY),
    Kind("negative_about_things", BENIGN, 170, NEGATIVE_THINGS),
    Kind("benign_second_person", BENIGN, 200, BENIGN_SECOND_PERSON),
)
THREAT_VEILED_GROUP = _labels(toxicity=1, identity=1, insult=1, threat=1)

# Second round (see the note above `KIND_GROUPS`): drawn with `EXTRA_SEED` after `KINDS`.
EXTRA_SEED = SEED + 1
EXTRA_KINDS: tuple[Kind, ...] = (
    Kind("benign_identity_generalisation", BENIGN, 250, BENIGN_IDENTITY_GENERAL),
    Kind("negated_stereotype", BENIGN, 200, NEGATED_STEREOTYPE),
    Kind("counter_speech_naming", BENIGN, 150, COUNTER_SPEECH_NAMING),
    Kind("reclaimed_in_group", BENIGN, 120, RECLAIMED_IN_GROUP),
    Kind("homonym_profane_words", BENIGN, 130, HOMONYM_PROFANE),
    Kind("homonym_profane_pun", BENIGN_PROFANE, 20, HOMONYM_PUNS),
    Kind("insult_without_keywords", INSULT, 200, INSULT_NO_KEYWORDS),
    Kind("veiled_threat_subtle", THREAT_VEILED_LABELS, 90, VEILED_SUBTLE),
    Kind("veiled_threat_subtle_group", THREAT_VEILED_GROUP, 60, VEILED_SUBTLE_GROUP),
    Kind("doxxing_exposure", THREAT_VEILED_LABELS, 150, DOXXING),
    Kind("benign_address_contrast", BENIGN, 60, BENIGN_ADDRESSES),
)
OBFUSCATED_KIND = "obfuscated_abuse"  # labels copied from the example it was made from


# --- expansion ----------------------------------------------------------------------------------

_SLOT = re.compile(r"\{([a-z_]+)(?:\.(\d))?\}")


def fill(template: str, rng: random.Random) -> str:
    """One filled template; a slot named twice gets the same filler."""
    chosen: dict[str, Filler] = {}

    def substitute(match: re.Match[str]) -> str:
        name, index = match.group(1), int(match.group(2) or 0)
        if name not in chosen:
            chosen[name] = rng.choice(FILLERS[name])
        value = chosen[name]
        return value if isinstance(value, str) else value[index]

    text = _SLOT.sub(substitute, template)
    return text[0].upper() + text[1:]


def _variants(template: str, wanted: int, rng: random.Random) -> list[str]:
    """Up to `wanted` distinct fillings of one template, in the order drawn."""
    seen: dict[str, None] = {}
    for _ in range(wanted * 4):
        seen.setdefault(fill(template, rng), None)
        if len(seen) >= wanted:
            break
    return list(seen)


def expand(kind: Kind, rng: random.Random) -> list[str]:
    """`kind.quota` distinct texts, drawn round-robin over the kind's templates."""
    per_template = kind.quota  # the round-robin below keeps any one template from dominating
    pools = [_variants(template, per_template, rng) for template in kind.templates]
    order = list(range(len(pools)))
    rng.shuffle(order)
    picked: dict[str, None] = {}
    depth = 0
    while len(picked) < kind.quota and any(depth < len(pool) for pool in pools):
        for index in order:
            if depth < len(pools[index]) and len(picked) < kind.quota:
                picked.setdefault(_surface(pools[index][depth], rng), None)
        depth += 1
    return list(picked)


def _surface(text: str, rng: random.Random) -> str:
    """Comment-box variation so casing and final punctuation carry no label signal."""
    roll = rng.random()
    if roll < 0.12:
        text = text.lower()
    elif roll < 0.15 and len(text) < 60:
        text = text.upper()
    if text[-1] in ".!" and rng.random() < 0.15:
        text = text[:-1]
    return text


# --- obfuscation --------------------------------------------------------------------------------

_LEET = {"a": "4", "e": "3", "i": "1", "o": "0", "s": "5", "t": "7", "g": "9"}
_VOWELS = "aeiouAEIOU"

HOT_WORDS = frozenset(
    word.lower()
    for phrase in (
        *(slur for entry in SLURS for slur in entry),
        *(noun for entry in INSULT_NOUNS for noun in entry),
        *(entry[0] for entry in INSULT_ADJS),
        *STRONG_NOUNS,
        *(noun for entry in MILD_NOUNS for noun in entry),
        *KILL_VERBS,
        "fuck fucking fucked shit idiot stupid kill shoot shot hanged gassed hurt stab bleed",
        "vermin rats parasites subhuman animals cockroaches disease plague scum filth savages",
        "muslims jews jewish black gay trans lesbians immigrants refugees mexicans chinese",
        "japanese arabs roma women disabled asians hindus sikhs africans latinos koreans",
        "address house kids family hate disgusting vile",
        *(entry[0] for entry in GROUPS),
    )
    for word in phrase.split()
    if len(word) >= 3 and word.lower() not in {"people", "the", "men"}
)


def _leetspeak(word: str, rng: random.Random) -> str:
    chars = [_LEET.get(c.lower(), c) if rng.random() < 0.7 else c for c in word]
    out = "".join(chars)
    if out == word:
        out = "".join(_LEET.get(c.lower(), c) for c in word)
    return out


def _spaced(word: str, rng: random.Random) -> str:
    return " ".join(word)


def _dotted(word: str, rng: random.Random) -> str:
    return rng.choice((".", "-", "_", "*")).join(word)


def _devowel(word: str, rng: random.Random) -> str:
    return word[0] + "".join(c for c in word[1:] if c not in _VOWELS)


def _swap(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word[::-1]
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def _masked(word: str, rng: random.Random) -> str:
    inner = "".join("*" if c in _VOWELS else c for c in word[1:-1])
    return word[0] + inner + word[-1]


def _stretched(word: str, rng: random.Random) -> str:
    vowels = [i for i, c in enumerate(word) if c in _VOWELS]
    if not vowels:
        return word + word[-1] * 3
    i = rng.choice(vowels)
    return word[:i] + word[i] * rng.randint(3, 5) + word[i + 1 :]


OBFUSCATORS: tuple[Callable[[str, random.Random], str], ...] = (
    _leetspeak,
    _leetspeak,
    _spaced,
    _dotted,
    _devowel,
    _devowel,
    _swap,
    _masked,
    _stretched,
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*[A-Za-z]")


def obfuscate(text: str, rng: random.Random) -> str:
    """Disguise one (sometimes two) of the words that carry the abuse."""
    spans = [m.span() for m in _WORD.finditer(text) if m.group().lower() in HOT_WORDS]
    if not spans:
        spans = [m.span() for m in _WORD.finditer(text) if len(m.group()) >= 4]
    chosen = rng.sample(spans, min(len(spans), 2 if rng.random() < 0.25 else 1))
    for start, end in sorted(chosen, reverse=True):
        word = text[start:end]
        changed = rng.choice(OBFUSCATORS)(word, rng)
        text = text[:start] + changed + text[end:]
    return text


# --- assembly -----------------------------------------------------------------------------------


def _record(text: str, kind: str, labels: tuple[int, ...]) -> dict[str, object]:
    return {"text": text, "kind": kind, **dict(zip(LABELS, labels, strict=True))}


def generate(seed: int = SEED) -> list[dict[str, object]]:
    """All records, de-duplicated by text and sorted by (kind, text)."""
    records: dict[str, dict[str, object]] = {}
    _add_round(records, KINDS, random.Random(seed))
    _add_round(records, EXTRA_KINDS, random.Random(seed + (EXTRA_SEED - SEED)))
    return sorted(records.values(), key=lambda r: (str(r["kind"]), str(r["text"])))


def _add_round(
    records: dict[str, dict[str, object]], kinds: Sequence[Kind], rng: random.Random
) -> None:
    """Expand `kinds` into `records`, then add obfuscated copies of their toxic examples."""
    positives: list[tuple[str, tuple[int, ...]]] = []
    for kind in kinds:
        for text in expand(kind, rng):
            if not MIN_WORDS <= len(text.split()) <= MAX_WORDS or text in records:
                continue
            records[text] = _record(text, kind.name, kind.labels)
            if kind.labels[0]:
                positives.append((text, kind.labels))
    wanted = round(len(positives) * OBFUSCATED_SHARE / (1 - OBFUSCATED_SHARE))
    sources = rng.sample(positives, len(positives))
    made = 0
    for text, labels in sources:
        if made >= wanted:
            break
        disguised = obfuscate(text, rng)
        if disguised == text or disguised in records:
            continue
        if not MIN_WORDS <= len(disguised.split()) <= MAX_WORDS:
            continue
        records[disguised] = _record(disguised, OBFUSCATED_KIND, labels)
        made += 1


def main(argv: Sequence[str] | None = None) -> int:
    """Write `OUTPUT` (or the path given) and print counts per kind and per label."""
    args = list(sys.argv[1:] if argv is None else argv)
    path = Path(args[0]) if args else OUTPUT
    records = generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as file:
        for record in records:
            file.write(json.dumps(record, ensure_ascii=False) + "\n")
    kinds = Counter(str(r["kind"]) for r in records)
    print(f"{len(records)} examples -> {path}")
    for name, count in sorted(kinds.items()):
        print(f"  {name:32} {count:5}")
    for label in LABELS:
        ones = sum(1 for r in records if r[label])
        print(f"  {label:32} 1: {ones:5}  0: {len(records) - ones:5}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
