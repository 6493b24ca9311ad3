"""Phrases whose meaning a frozen sentence encoder misses, in ru, uk and en.

The encoder reads "оставляет желать лучшего" as praise (it is full of "желать лучшего"), "Отличный
сервис, всего час ждали ответа" as praise (it starts with "отличный"), and "Какое хамство!" as
joy. A few dozen fixed phrases say plainly what they mean, so a clause that contains one is
pulled towards the meaning (``pull``), and a comment's emotions are checked against the words that
name them (``emotion_floors``, ``needs_word``). The lists are short on purpose: each entry is a
set phrase or a common form of sarcasm, not a word that can go either way ("долго" can be "long
lasting"). They were written from the failure reports of issue 14 and the team's own knowledge of
the languages, never from a test set; the hard cases in ``tests/data/text-hard-cases.csv`` check
them.
"""

from __future__ import annotations

import re

import numpy as np


def _any(*phrases: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in phrases), re.IGNORECASE)


# Set phrases of complaint: the clause that holds one is negative, whatever its other words say.
COMPLAINT = _any(
    # ru
    r"оставля\w* желать лучшего",
    r"остави\w* желать лучшего",
    r"не из лучших",
    r"не самы[йем] лучш",
    r"\bобидно\b",
    r"\bувы\b",
    r"к (?:большому )?сожалению",
    r"разочаров",
    r"не (?:советую|рекомендую)",
    r"никому не (?:советую|рекомендую)",
    r"не стоит (?:своих |этих )?денег",
    r"деньги на ветер",
    r"ни ногой",
    r"ноги моей",
    r"первый и последний раз",
    r"больше (?:не|ни) (?:приду|придём|придем|вернусь|вернёмся|вернемся|закажу|обращусь)",
    r"\bтак себе\b",
    r"ниже среднего",
    r"на троечку",
    r"не в восторге",
    r"не впечатлил",
    r"не оправдал",
    r"как же (?:хочется|хотелось бы)",
    r"хотелось бы (?:лучше|большего|нормальн)",
    r"хочется,? чтобы",
    r"мягко говоря",
    r"зря (?:потратил|потеряли|сходили|заплатил)",
    r"\bбезобрази",
    r"\bнедовол",
    # uk
    r"залиша\w* бажати кращого",
    r"не з найкращих",
    r"\bприкро\b",
    r"на жаль",
    r"розчарув",
    r"не (?:раджу|рекомендую)",
    r"не варт\w* (?:своїх |цих )?грошей",
    r"гроші на вітер",
    r"перший і останній раз",
    r"більше (?:не|ні) (?:прийду|прийдемо|повернусь|повернемося|замовлю|звернусь)",
    r"\bтак собі\b",
    r"нижче середнього",
    r"не в захваті",
    r"не виправда",
    r"як же хочеться",
    r"м'якo кажучи|м['’]яко кажучи",
    r"\bнезадовол",
    # en
    r"(?:leaves|left|leave) (?:a lot|much|a great deal) to be desired",
    r"not the best",
    r"could (?:have been|be) (?:much |a lot |far )?better",
    r"waste of (?:money|time)",
    r"never again",
    r"not worth",
    r"disappoint",
    r"\bunfortunately\b",
    r"(?:would not|wouldn't|do not|don't|can't|cannot) recommend",
    r"first and last time",
    r"\bso-so\b",
    r"below average",
    r"not impressed",
    r"underwhelm",
    r"what a shame",
    r"\bmeh\b",
    r"to put it mildly",
    r"\bi (?:really |do |so )?wish\b",
)

# Common forms of sarcasm and of "hoped for X, got Y": they speak of the whole comment, so they
# pull every clause of it.
SARCASM = _any(
    # praise, then "only / all of" a long time or a failure: "Отличный сервис, всего час ждали"
    r"(?:отличн|прекрасн|замечательн|великолепн|чудесн|супер|шикарн|потрясающ|чудов|відмінн|"
    r"класн|great|wonderful|fantastic|excellent|brilliant|lovely|amazing|superb|perfect)\w*"
    r"[^.!?]{0,60}\b(?:всего|всего-то|лишь|только|целый|целых|всього|лише|тільки|цілу|цілих|"
    r"only|just|a mere|a whole)\s+(?:\d+|час|полчаса|полтора|два|три|четыре|пять|сорок|годину|"
    r"півгодини|дві|hour|an hour|two|three|four|five|forty|half)",
    r"спасибо,? что (?:испортил|потерял|забыл|не )",
    r"дякую,? що (?:зіпсува|загубил|забул|не )",
    r"спасибо за (?:испорченн|потерянн|ужасн|отвратительн|холодн)",
    r"дякую за (?:зіпсован|втрачен|жахлив|холодн)",
    r"thanks? (?:you )?for (?:nothing|ruining|wasting|losing)",
    r"\bну,? (?:спасибо|дякую)\b",
    r"\b(?:браво|молодцы|молодці)\b[^.!?]{0,40}(?:потерял|забыл|испортил|втратил|загуби|забул|зіпсува)",
    r"(?:great|nice|brilliant|awesome|good) job[^.!?]{0,40}(?:lost|forgot|ruin|broke|late)",
    r"\b(?:хвалён|хвален|так называем|хвалена|хвалений|так зван|so-called)",
    r"(?:yeah|oh),? right\b",
    # hoped or was promised one thing, got another
    r"(?:надеял|ожидал|рассчитывал|обещал|hoped|expected|were promised|was promised|"
    r"сподівал|очікувал|розраховувал|обіцял)\w*[^.!?]{0,120}"
    r"(?:получил|в итоге|по факту|на деле|а на самом деле|отримал|у підсумку|насправді|"
    r"а на ділі|got|received|ended up|instead)",
)
HOPED = _any(
    r"надеял|ожидал|рассчитывал|обещал|сподівал|очікувал|розраховувал|обіцял",
    r"\bhoped\b|\bexpected\b|\bpromised\b",
)
# ... but "better than expected" is praise.
_HOPE_MET = _any(
    r"(?:чем|ніж|than|as) (?:я |мы |ми |we |i )?(?:ожидал|надеял|очікувал|сподівал|expected|hoped)",
    r"превзош|перевершил|exceeded|как и ожидал|як і очікувал",
)

# A short question with no complaint word in it asks; it does not blame ("Это прибалтика?").
_QUESTION_WORDS = 6
_BLAME = _any(
    r"ужас|кошмар|плох|отврат|хам|груб|безобраз|почему так|сколько можно|"
    r"жах|поган|огид|чому так|скільки можна|"
    r"terrible|awful|horrible|bad|rude|disgust|why (?:is|was|does) it so|how long"
)

RUDE = _any(
    r"хамств|хамил|нахамил|хамк|хамск|хамло|грубил|нагрубил|грубост|грубо|грубый|грубая|"
    r"накричал|наорал|орал[аи]?\b|послал[аи]? нас|"
    r"хамств|нахамил|хамськ|грубия|грубіян|нагрубив|нагрубила|накричав|накричала|кричал|"
    r"rude|rudely|yelled|shouted|screamed|hostile|insult|sworn at|swore at"
)
_FEAR_WORDS = _any(
    r"страш|боюс|боял|боим|опасн|опасал|испуг|тревож|жутко|пугает|напуг|"
    r"страшн|небезпе|тривож|лякає|перелякал|налякал|боїм|"
    r"afraid|scared|fear|frighten|danger|unsafe|terrif|nervous|worried|worry|anxious|panic"
)
_DISAPPOINTMENT_WORDS = _any(r"разочаров|розчарув|disappoint|обидно|прикро|надеял|сподівал")

_NEGATIVE = np.array([1.0, 0.0, 0.0], dtype=np.float32)
_NEUTRAL = np.array([0.0, 1.0, 0.0], dtype=np.float32)
# How far a cue pulls a clause's probabilities (negative, neutral, positive) to its meaning.
PULL = 0.75
# A plain short question is pulled further: the encoder reads many as strongly negative (−0.99).
QUESTION_PULL = 0.9


def pull(clauses: list[str], whole: str, sentiment: np.ndarray) -> np.ndarray:
    """The clauses' sentiment probabilities after the cues; ``sentiment`` is (clauses, 3)."""
    out = sentiment.copy()
    everywhere = SARCASM.search(whole) is not None
    for i, clause in enumerate(clauses):
        # "Надеялись на спокойный вечер, | но ..." : the hope is the letdown, not praise.
        unmet = len(clauses) > 1 and is_unmet_hope(clause)
        if everywhere or unmet or COMPLAINT.search(clause) or RUDE.search(clause):
            out[i] = (1 - PULL) * out[i] + PULL * _NEGATIVE
        elif is_plain_question(clause):
            out[i] = (1 - QUESTION_PULL) * out[i] + QUESTION_PULL * _NEUTRAL
    return out


def pull_whole(whole: str, sentiment: np.ndarray) -> np.ndarray:
    """The whole comment's probabilities after the cues (a cue anywhere in it counts)."""
    if SARCASM.search(whole) or COMPLAINT.search(whole) or RUDE.search(whole):
        return np.asarray((1 - PULL) * sentiment + PULL * _NEGATIVE, dtype=np.float32)
    if is_plain_question(whole):
        pulled = (1 - QUESTION_PULL) * sentiment + QUESTION_PULL * _NEUTRAL
        return np.asarray(pulled, dtype=np.float32)
    return sentiment


def is_unmet_hope(text: str) -> bool:
    return HOPED.search(text) is not None and _HOPE_MET.search(text) is None


def is_plain_question(text: str) -> bool:
    stripped = text.strip()
    return (
        stripped.endswith("?")
        and len(stripped.split()) <= _QUESTION_WORDS
        and _BLAME.search(stripped) is None
        and COMPLAINT.search(stripped) is None
    )


def emotion_floors(text: str) -> dict[str, float]:
    """Emotions the words themselves name, with the least probability they are given."""
    floors: dict[str, float] = {}
    if RUDE.search(text):
        floors["anger"] = 0.6
    if _DISAPPOINTMENT_WORDS.search(text) or is_unmet_hope(text):
        floors["disappointment"] = 0.6
    return floors


def needs_word(emotion: str, text: str) -> bool:
    """Whether ``emotion`` may be named only when a word of it is in the text: fear, since a bad
    breakfast or a dirty room is disgust or anger, which the encoder's fear head also hears."""
    return emotion == "fear" and _FEAR_WORDS.search(text) is None
