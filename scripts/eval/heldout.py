#!/usr/bin/env python3
"""A second, independent generator of multicultural screening data: a stand-in for the held-out set.

Limes' own generator (`limes generate persons`) was written beside the matcher, so the matcher may
have learnt its habits. This one shares no code or name table with Limes: names come from the
PyPI package Faker (its locales' name lists, given a Zipf frequency skew here so that common names
collide), Chinese is romanised by pypinyin (pinyin or Wade–Giles), Cyrillic and Greek by the
schemes written below (ICAO 9303, BGN/PCGN-like, German, French; ELOT 743 and a phonetic English
one), and records are corrupted by a model of its own (keyboard-neighbour typos, doubled and
dropped letters, OCR slips, upper case without diacritics, swapped name order, dropped middle
names and second surnames, initials, partial and slipped dates, ICAO nationality codes).

Writes gallery.jsonl, probes.jsonl (with "culture" and "variant") and truth.jsonl in the format of
`limes screen`. Needs the eval venv (see README.md):

    /tmp/limes-eval-venv/bin/pip install faker pypinyin
    /tmp/limes-eval-venv/bin/python scripts/eval/heldout.py --out /tmp/heldout --seed 1
    target/release/limes screen --gallery /tmp/heldout/gallery.jsonl \
        --probes /tmp/heldout/probes.jsonl --truth /tmp/heldout/truth.jsonl > /dev/null
"""

import argparse
import json
import os
import random
import unicodedata

from faker import Faker
from pypinyin import Style, lazy_pinyin

# --- romanisation schemes -------------------------------------------------------------------

RU_ICAO = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                   "a b v g d e e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y _ e iu ia".split()))
RU_BGN = dict(RU_ICAO, **{"ё": "yo", "й": "y", "ъ": "_", "ю": "yu", "я": "ya", "е": "e"})
RU_GERMAN = dict(RU_ICAO, **{"в": "w", "ж": "sch", "з": "s", "й": "j", "х": "ch", "ц": "z",
                             "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "_", "ю": "ju",
                             "я": "ja", "ё": "jo", "ы": "y"})
RU_FRENCH = dict(RU_ICAO, **{"ж": "j", "у": "ou", "ч": "tch", "ш": "ch", "щ": "chtch", "ъ": "_",
                             "ю": "iou", "я": "ia", "ё": "io", "х": "kh"})
UK_NATIONAL = dict(RU_ICAO, **{"г": "h", "ґ": "g", "є": "ie", "и": "y", "і": "i", "ї": "i",
                               "й": "i", "ю": "iu", "я": "ia", "ь": "_", "'": "_", "’": "_"})
UK_RUSSIAN_STYLE = dict(RU_BGN, **{"ґ": "g", "є": "ye", "і": "i", "ї": "yi", "ь": "_", "'": "_",
                                   "’": "_"})
UK_GERMAN = dict(RU_GERMAN, **{"г": "h", "ґ": "g", "є": "je", "и": "y", "і": "i", "ї": "ji",
                               "ь": "_", "'": "_", "’": "_"})
CYRILLIC_VOWELS = set("аеёиоуыэюяєії")


def cyrillic(text, scheme, initial_ye=False):
    out = []
    low = text.lower()
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else " "
        rom = scheme.get(ch, ch)
        if initial_ye and ch == "е" and (prev == " " or prev in CYRILLIC_VOWELS):
            rom = "ye"
        if scheme is RU_GERMAN and ch == "с" and prev in CYRILLIC_VOWELS and \
                i + 1 < len(low) and low[i + 1] in CYRILLIC_VOWELS:
            rom = "ss"
        out.append("" if rom == "_" else rom)
    return "".join(out).title()


GREEK_ELOT = {"α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th",
              "ι": "i", "κ": "k", "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p",
              "ρ": "r", "σ": "s", "ς": "s", "τ": "t", "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps",
              "ω": "o"}
GREEK_DIGRAPHS_ELOT = {"ου": "ou", "γγ": "ng", "αυ": "av", "ευ": "ev"}
GREEK_DIGRAPHS_PHONETIC = {"ου": "ou", "αι": "e", "ει": "i", "οι": "i", "μπ": "b", "ντ": "nd",
                           "γκ": "g", "γγ": "ng", "αυ": "av", "ευ": "ev", "γι": "yi", "γε": "ye",
                           "υ": "i", "χ": "h"}


def greek(text, phonetic):
    low = "".join(c for c in unicodedata.normalize("NFD", text.lower())
                  if unicodedata.category(c) != "Mn")
    digraphs = GREEK_DIGRAPHS_PHONETIC if phonetic else GREEK_DIGRAPHS_ELOT
    out, i = [], 0
    while i < len(low):
        pair = low[i:i + 2]
        if pair in digraphs and len(digraphs[pair]) and len(pair) == 2:
            out.append(digraphs[pair])
            i += 2
            continue
        ch = low[i]
        out.append(digraphs.get(ch) if ch in digraphs else GREEK_ELOT.get(ch, ch))
        i += 1
    return "".join(out).title()


def chinese(text, wade_giles, hyphen):
    style = Style.WADEGILES if wade_giles else Style.NORMAL
    syllables = [s.replace("'", "") if random.random() < 0.7 else s
                 for s in lazy_pinyin(text, style=style, v_to_u=True)]
    syllables = [s.replace("ü", "u") if random.random() < 0.5 else s for s in syllables]
    if len(syllables) == 1:
        return syllables[0].title()
    first, rest = syllables[0].title(), [s.lower() for s in syllables[1:]]
    return first + ("-" if hyphen else "") + "".join(rest)


# --- Latin-written Arabic names, with the spellings one person's papers come back in ----------

ARABIC_MALE = [
    "Mohammed|Muhammad|Mohamed|Mohamad|Mohammad|Muhammed", "Ahmed|Ahmad", "Ali", "Omar|Umar",
    "Youssef|Yusuf|Yousef|Youssouf", "Hassan|Hasan", "Hussein|Husain|Hussain", "Ibrahim|Ebrahim",
    "Khaled|Khalid", "Abdullah|Abdallah|Abdulla", "Mahmoud|Mahmud", "Mustafa|Moustafa|Mostafa",
    "Said|Saeed|Saied", "Karim|Kareem", "Tariq|Tarek|Tarik", "Walid|Waleed", "Jamal|Gamal",
    "Samir|Sameer", "Rashid|Rachid|Rasheed", "Hamza|Hamzah", "Bilal", "Faisal|Faysal|Feisal",
    "Nabil|Nabeel", "Osama|Usama|Oussama", "Adel|Adil", "Ziad|Ziyad", "Majid|Majed", "Anas",
    "Imad|Emad", "Abdelrahman|Abdulrahman|Abderrahmane", "Sami|Samy", "Hicham|Hisham|Hesham",
    "Amr|Amir", "Yahya|Yehia", "Marwan", "Fares|Faris", "Jihad", "Nasser|Naser", "Salem|Salim",
]
ARABIC_FEMALE = [
    "Fatima|Fatimah|Fatma", "Aisha|Aicha|Ayesha", "Maryam|Mariam|Meriem", "Khadija|Khadidja",
    "Zainab|Zaynab|Zeinab", "Nour|Noor|Nur", "Layla|Leila|Laila", "Amina|Aminah", "Hana|Hanaa",
    "Salma|Selma", "Yasmin|Yasmine", "Rania", "Huda|Houda", "Samira|Sameera", "Asma|Asmaa",
    "Sara|Sarah", "Noura|Nura", "Reem|Rim", "Dina", "Lina", "Mona|Muna", "Rasha", "Ghada",
    "Iman|Eman", "Souad|Suad", "Nadia|Nadiya", "Wafa|Wafaa", "Latifa|Latifah",
]
ARABIC_SURNAMES = [
    "Al-Masri|El-Masri|Almasri", "Haddad", "Khalil|Khaleel", "Hassan|Hasan", "Ibrahim",
    "Mansour|Mansur", "Nasser|Nasir|Naser", "Saleh|Salih", "Aziz", "Abbas", "Hamdan",
    "Qasim|Kassem|Kasim|Qassem", "Al-Sayed|El-Sayed|Elsayed", "Abdelaziz|Abdulaziz|Abdel-Aziz",
    "Farouk|Faruq|Farooq", "Sheikh|Shaikh|Cheikh", "Youssef|Yousef|Yusuf", "Khoury|Khouri|Khuri",
    "Darwish|Darwich", "Suleiman|Sulaiman|Soliman", "Othman|Osman|Uthman",
    "Al-Rashid|Alrashid|Al-Rasheed", "Jaber|Jabir", "Habib", "Taha", "Awad", "Zaki|Zaky",
    "Hamid|Hamed", "Mahmoud|Mahmud", "Bakri|Bakry", "Tahir|Taher", "Najjar|Nagar",
    "Al-Amin|El-Amin|Alamin", "Karam", "Shammari|Al-Shammari", "Mubarak", "Ghanem|Ghanim",
    "Hijazi|Hegazy|Higazi", "Badawi|Badawy", "Qureshi|Kurshi", "Rahman", "Halabi", "Tamimi",
    "Barakat", "Saad|Saadi", "Nassar", "Sabbagh", "Attia|Atiya", "Fakhoury|Fakhouri",
]

# --- cultures ---------------------------------------------------------------------------------

CULTURES = {
    # name: (Faker locales or None, nationalities, script, family name first)
    "german": (["de_DE", "de_AT", "de_CH"], ["DEU", "AUT", "CHE"], "latin", False),
    "polish": (["pl_PL"], ["POL"], "latin", False),
    "russian": (["ru_RU"], ["RUS", "BLR", "KAZ"], "ru", False),
    "ukrainian": (["uk_UA"], ["UKR"], "uk", False),
    "greek": (["el_GR"], ["GRC", "CYP"], "el", False),
    "chinese": (["zh_CN"], ["CHN", "TWN"], "zh", True),
    "vietnamese": (["vi_VN"], ["VNM"], "latin", True),
    "turkish": (["tr_TR"], ["TUR"], "latin", False),
    "iberian": (["es_ES", "es_MX", "pt_PT"], ["ESP", "MEX", "PRT", "COL"], "latin", False),
    "nigerian": (["yo_NG"], ["NGA"], "latin", False),
    "indian": (["en_IN"], ["IND"], "latin", False),
    "nordic": (["sv_SE", "da_DK", "no_NO", "fi_FI"], ["SWE", "DNK", "NOR", "FIN"], "latin", False),
    "western": (["fr_FR", "it_IT", "nl_NL", "ro_RO", "en_GB"], ["FRA", "ITA", "NLD", "ROU", "GBR"],
                "latin", False),
    "arabic": (None, ["EGY", "SYR", "IRQ", "MAR", "DZA", "JOR", "LBN", "SAU"], "latin", False),
}
ICAO_CODES = {"DEU": "D", "GBR": "GBR"}


def zipf_pool(names, rng, top_share):
    """Names with Zipf weights in a seeded random order: a few are common, most are rare. The
    exponent is chosen so that the commonest name has `top_share` of its people, as the
    commonest name of the culture has in life (uniform when the list is too short for that)."""
    names = sorted(set(n for n in names if n))
    rng.shuffle(names)

    def weights(exponent):
        return [1.0 / (rank + 1) ** exponent for rank in range(len(names))]

    low, high = 0.0, 4.0
    for _ in range(50):
        mid = (low + high) / 2
        w = weights(mid)
        if w[0] / sum(w) < top_share:
            low = mid
        else:
            high = mid
    return names, weights(low)


# Share of the commonest surname in each culture, roughly as in life (NGUYEN 38 %, WANG and LI
# about 7 %, YILMAZ 4 %, GARCIA 3 %, KUMAR and SINGH about 5 % among Indian names abroad); other
# cultures about 1 %. Given names: the commonest about 3 % of one sex (MOHAMMED and its spellings
# far more among Arab men); Vietnamese middle names (VAN, THI) about 35 %.
SURNAME_TOP = {"vietnamese": 0.38, "chinese": 0.07, "turkish": 0.04, "iberian": 0.03,
               "indian": 0.05, "arabic": 0.05, "nordic": 0.03, "nigerian": 0.02}
GIVEN_TOP = {"arabic": 0.12, "turkish": 0.04}


def chinese_given_pool(names, rng):
    """Chinese given names are one or two characters chosen from many: Faker's short lists of
    whole names are split into characters, and names are composed from them."""
    chars = sorted({c for n in names for c in n})
    return zipf_pool(chars, rng, 0.03)


def faker_names(locales, method, rng, draws=1500):
    out = []
    for loc in locales:
        fake = Faker(loc)
        fake.seed_instance(rng.randrange(1 << 30))
        if not hasattr(fake, method):
            method = method.replace("_male", "").replace("_female", "")
        out += [getattr(fake, method)() for _ in range(draws)]
    return out


class Culture:
    def __init__(self, name, rng):
        locales, self.nationalities, self.script, self.family_first = CULTURES[name]
        self.name = name
        top = SURNAME_TOP.get(name, 0.01)
        given_top = GIVEN_TOP.get(name, 0.03)
        if locales is None:
            self.surnames = zipf_pool(ARABIC_SURNAMES, rng, top)
            self.male = zipf_pool(ARABIC_MALE, rng, given_top)
            self.female = zipf_pool(ARABIC_FEMALE, rng, 0.03)
            self.surnames_female = self.surnames
        else:
            self.surnames = zipf_pool(faker_names(locales, "last_name_male", rng), rng, top)
            self.surnames_female = zipf_pool(faker_names(locales, "last_name_female", rng), rng,
                                             top)
            male = faker_names(locales, "first_name_male", rng)
            female = faker_names(locales, "first_name_female", rng)
            if name == "chinese":
                self.male, self.female = chinese_given_pool(male, rng), \
                    chinese_given_pool(female, rng)
            else:
                self.male = zipf_pool(male, rng, given_top)
                self.female = zipf_pool(female, rng, given_top)
        self.middle = None
        if name == "vietnamese":
            self.middle = zipf_pool(faker_names(locales, "middle_name", rng), rng, 0.35)
        if name in ("russian", "ukrainian"):
            self.middle = zipf_pool(faker_names(locales, "middle_name_male", rng), rng, 0.05)


def pick(pool, rng):
    names, weights = pool
    return rng.choices(names, weights)[0]


def draw_person(culture, rng):
    """A person as the civil registry knows them, before any record writes them down."""
    sex = rng.choice("MF")
    surnames = culture.surnames if sex == "M" else culture.surnames_female
    surname = [pick(surnames, rng)]
    if culture.name == "iberian" and rng.random() < 0.8:
        surname.append(pick(culture.surnames, rng))
    given = [pick(culture.male if sex == "M" else culture.female, rng)]
    if culture.name == "chinese" and rng.random() < 0.8:
        given[0] += pick(culture.male if sex == "M" else culture.female, rng)
    if culture.name == "vietnamese" and rng.random() < 0.7:
        given.insert(0, pick(culture.middle, rng))
    elif culture.name not in ("chinese", "arabic") and rng.random() < 0.25:
        second = pick(culture.male if sex == "M" else culture.female, rng)
        if second != given[0]:
            given.append(second)
    elif culture.name == "arabic" and rng.random() < 0.4:
        given.append(pick(culture.male, rng))  # father's name
    patronymic = pick(culture.middle, rng) if culture.middle and culture.name != "vietnamese" \
        else None
    if patronymic and sex == "F":
        patronymic = patronymic[:-3] + "вна" if patronymic.endswith("вич") \
            else patronymic[:-2] + "ична"
    year = min(2012, max(1935, int(rng.gauss(1978, 15))))
    date = (year, rng.randint(1, 12), rng.randint(1, 28))
    nationality = rng.choice(culture.nationalities)
    return {"surname": surname, "given": given, "patronymic": patronymic, "sex": sex,
            "date": date, "nationality": nationality, "culture": culture.name,
            "doc": "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(9))}


# --- writing a person down ------------------------------------------------------------------


def spell(name, culture, scheme, rng):
    """One spelling of a name part under a romanisation `scheme` (0 = the record's usual)."""
    if culture.name == "arabic":
        forms = name.split("|")
        return forms[0] if scheme == 0 else rng.choice(forms)
    if culture.script == "ru":
        table = [RU_ICAO, RU_BGN, RU_GERMAN, RU_FRENCH][scheme % 4]
        return cyrillic(name, table, initial_ye=table is RU_BGN)
    if culture.script == "uk":
        table = [UK_NATIONAL, UK_RUSSIAN_STYLE, UK_GERMAN][scheme % 3]
        return cyrillic(name, table, initial_ye=table is UK_RUSSIAN_STYLE)
    if culture.script == "el":
        return greek(name, phonetic=scheme % 2 == 1)
    if culture.script == "zh":
        return chinese(name, wade_giles=scheme % 2 == 1, hyphen=scheme % 2 == 1 and
                       rng.random() < 0.6)
    return name


def fold(text):
    table = str.maketrans({"ß": "ss", "ł": "l", "Ł": "L", "ı": "i", "đ": "d", "Đ": "D",
                           "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE"})
    text = text.translate(table)
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def german_umlauts(text):
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("Ä", "Ae"), ("Ö", "Oe"), ("Ü", "Ue")):
        text = text.replace(a, b)
    return text


KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]


def neighbour(ch, rng):
    for r, row in enumerate(KEYBOARD):
        if ch.lower() in row:
            c = row.index(ch.lower())
            options = [row[c + d] for d in (-1, 1) if 0 <= c + d < len(row)]
            for rr in (r - 1, r + 1):
                if 0 <= rr < len(KEYBOARD) and c < len(KEYBOARD[rr]):
                    options.append(KEYBOARD[rr][c])
            out = rng.choice(options)
            return out.upper() if ch.isupper() else out
    return ch


def typo(word, rng):
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.35:
        return word[:i] + neighbour(word[i], rng) + word[i + 1:]
    if kind < 0.55:
        return word[:i] + word[i + 1:]
    if kind < 0.70:
        return word[:i] + word[i] + word[i:]
    if kind < 0.85:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:] if i + 1 < len(word) else word
    for a, b in (("rn", "m"), ("m", "rn"), ("cl", "d"), ("vv", "w"), ("li", "h"), ("nn", "n"),
                 ("ss", "s"), ("ll", "l")):
        if a in word[1:]:
            return word[0] + word[1:].replace(a, b, 1)
    return word[:i] + neighbour(word[i], rng) + word[i + 1:]


def date_text(date, kind, rng):
    y, m, d = date
    if kind == "partial year":
        return f"{y:04}-00-00"
    if kind == "partial month":
        return f"{y:04}-{m:02}-00"
    if kind == "swap" and d <= 12 and d != m:
        m, d = d, m
    elif kind == "year slip":
        y += rng.choice((-1, 1))
    elif kind == "digit":
        s = list(f"{y:04}{m:02}{d:02}")
        pos = rng.choice([3, 5, 6, 7])
        s[pos] = str((int(s[pos]) + rng.choice((-1, 1))) % 10)
        cand = "".join(s)
        y, m, d = int(cand[:4]), int(cand[4:6]), int(cand[6:])
        if not (1 <= m <= 12 and 1 <= d <= 28):
            y, m, d = date[0], date[1], date[2] % 28 + 1
    return f"{y:04}-{m:02}-{d:02}"


def record(person, culture, rng, rid, probe, kinds, matched=True):
    """Write `person` down as a record: a gallery alert (`probe` False) or a screened traveller
    (`matched` False for one who is not in the gallery). Every variant applied is appended to
    `kinds`."""
    scheme = 0
    if culture.script != "latin" or culture.name == "arabic":
        if rng.random() < (0.6 if probe else 0.3):
            scheme = rng.randrange(1, 4)
            kinds.append("transliteration")
    surname = [spell(s, culture, scheme, rng) for s in person["surname"]]
    given = [spell(g, culture, scheme, rng) for g in person["given"]]
    if person["patronymic"] and not probe and rng.random() < 0.3:
        given.append(spell(person["patronymic"], culture, scheme, rng))
    if probe:
        if len(surname) == 2 and rng.random() < 0.3:
            surname = surname[:1]
            kinds.append("second surname dropped")
        if len(given) >= 2 and rng.random() < 0.2:
            given = given[:1] if culture.name != "vietnamese" else given[1:]
            kinds.append("middle name dropped")
        if rng.random() < 0.25:
            part = surname if rng.random() < 0.5 else given
            j = rng.randrange(len(part))
            before = part[j]
            part[j] = typo(part[j], rng)
            if part[j] != before:
                kinds.append("typo")
        if rng.random() < 0.04 and len(given[0]) > 1:
            given[0] = given[0][0]
            kinds.append("initial")
    joiner = "-" if len(surname) == 2 and rng.random() < 0.3 else " "
    surname_text, given_text = joiner.join(surname), " ".join(given)
    if culture.name == "german" and rng.random() < 0.3:
        surname_text, given_text = german_umlauts(surname_text), german_umlauts(given_text)
    if rng.random() < (0.6 if probe else 0.3):
        surname_text, given_text = fold(surname_text).upper(), fold(given_text).upper()
    swap = 0.25 if culture.family_first else 0.06
    if probe and rng.random() < swap:
        surname_text, given_text = given_text, surname_text
        kinds.append("order swap")
    date_kind = None
    r = rng.random()
    if not probe:
        date_kind = "partial year" if r < 0.07 else "partial month" if r < 0.10 else None
    else:
        # A traveller's document always carries a birth date: a probe without one is the same
        # person's record with a gap, never a no-match probe (a namesake without a date is
        # indistinguishable from the person, and must hit).
        for kind, p in (("partial year", 0.05), ("swap", 0.04), ("year slip", 0.03),
                        ("digit", 0.04), ("missing", 0.04 if matched else 0.0)):
            if r < p:
                date_kind = kind
                break
            r -= p
    if date_kind:
        kinds.append(f"date {date_kind}")
    birth = None if date_kind == "missing" else date_text(person["date"], date_kind, rng)
    nationality = person["nationality"]
    if rng.random() < 0.1:
        nationality = None
    elif rng.random() < 0.3:
        nationality = ICAO_CODES.get(nationality, nationality)
    sex = None if rng.random() < 0.08 else person["sex"]
    documents = []
    if rng.random() < (0.5 if probe else 0.15):
        documents = [{"number": person["doc"], "country": person["nationality"]}]
    return {"id": rid, "surname": surname_text, "given_names": given_text, "birth_date": birth,
            "nationality": nationality, "sex": sex, "aliases": [], "documents": documents}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--gallery", type=int, default=40000)
    ap.add_argument("--matched", type=int, default=20000)
    ap.add_argument("--no-match-per-culture", type=int, default=2000)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    random.seed(args.seed)  # pypinyin helper above draws from the module generator
    cultures = [Culture(name, random.Random(f"{args.seed}:{name}")) for name in CULTURES]
    os.makedirs(args.out, exist_ok=True)
    people = [draw_person(cultures[i % len(cultures)], rng) for i in range(args.gallery)]
    gallery = []
    for i, person in enumerate(people):
        gallery.append(record(person, cultures[i % len(cultures)], rng, f"G{i:07}", False, []))
    probes, truth = [], []
    for j in range(args.matched):
        i = rng.randrange(args.gallery)
        kinds = []
        rec = record(people[i], cultures[i % len(cultures)], rng, f"P{len(probes):07}", True, kinds)
        rec.update(culture=people[i]["culture"], variant="+".join(kinds) or "as written")
        probes.append(rec)
        truth.append({"id": rec["id"], "truth": f"G{i:07}"})
    for c, culture in enumerate(cultures):
        for k in range(args.no_match_per_culture):
            if k % 2 == 0:
                # A namesake: the name of a gallery person of this culture, born clearly apart.
                i = rng.randrange(args.gallery // len(cultures)) * len(cultures) + c
                person = dict(people[i])
                y, m, d = person["date"]
                shift = rng.randint(3, 25)
                person["date"] = (y + shift if y + shift <= 2012 else y - shift,
                                  rng.randint(1, 12), rng.randint(1, 28))
                person["doc"] = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")
                                        for _ in range(9))
                variant = "namesake"
            else:
                person = draw_person(culture, rng)
                variant = "stranger"
            rec = record(person, culture, rng, f"P{len(probes):07}", True, [], matched=False)
            rec.update(culture=culture.name, variant=variant)
            probes.append(rec)
            truth.append({"id": rec["id"], "truth": None})
    order = list(range(len(probes)))
    rng.shuffle(order)
    with open(os.path.join(args.out, "gallery.jsonl"), "w") as f:
        for g in gallery:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    with open(os.path.join(args.out, "probes.jsonl"), "w") as f, \
            open(os.path.join(args.out, "truth.jsonl"), "w") as t:
        for k in order:
            f.write(json.dumps(probes[k], ensure_ascii=False) + "\n")
            t.write(json.dumps(truth[k]) + "\n")
    print(f"wrote {len(gallery)} gallery records and {len(probes)} probes to {args.out}")


if __name__ == "__main__":
    main()
