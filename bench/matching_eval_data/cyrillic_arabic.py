"""Cyrillic and Arabic transliteration variants for the matching evaluation set.

Two families of labelled query/record pairs, authored from public
romanisation conventions (common names; no real individual intended):

* cyrillic -- Russian, Kazakh (Russian-form) and Ukrainian names in Cyrillic
              or in one Latin scheme, queried under another scheme:
              BGN/PCGN, ISO 9 (with its diacritics), ICAO 9303 (passports),
              German (Duden-style), French and Spanish press usage, and for
              Ukrainian the national 2010 system, BGN/PCGN, German, French.
* arabic   -- Arabic names in a Latin spelling or in Arabic script, queried
              in other common romanisations (English, French/Maghreb,
              Egyptian, Levantine, Gulf habits).

rows(rng) returns tuples
(family, label, record_given, record_family, country, query_given,
 query_family, note); label is "match" or "nomatch".
Deterministic for a given seeded random.Random; standard library only.
"""

import re

TARGET = 400  # rows per (family, label)

# ---------------------------------------------------------------- cyrillic
VOW = set("аеёиоуыэюяіїє")
SIB = set("жчшщц")

_BASE = dict(zip("абвгдзиклмнопрстуфыэ",
                 "a b v g d z i k l m n o p r s t u f y e".split()))
BGN = {**_BASE, "ж": "zh", "й": "y", "х": "kh", "ц": "ts", "ч": "ch",
       "ш": "sh", "щ": "shch", "ъ": "", "ь": "", "ю": "yu", "я": "ya"}
ISO9 = {**_BASE, "е": "e", "ё": "ë", "ж": "ž", "й": "j", "х": "h", "ц": "c",
        "ч": "č", "ш": "š", "щ": "ŝ", "ъ": "ʺ", "ь": "ʹ", "э": "è", "ю": "û",
        "я": "â", "і": "ì", "ї": "ï", "є": "ê", "ґ": "g\u0300"}
ICAO = {**_BASE, "е": "e", "ё": "e", "ж": "zh", "й": "i", "х": "kh",
        "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "ie", "ь": "",
        "ю": "iu", "я": "ia"}
DE = {**_BASE, "в": "w", "ж": "sch", "з": "s", "х": "ch", "ц": "z",
      "ч": "tsch", "ш": "sch", "щ": "schtsch", "ъ": "", "ь": "", "ю": "ju",
      "я": "ja", "й": "j"}
FR = {**_BASE, "у": "ou", "ж": "j", "х": "kh", "ц": "ts", "ч": "tch",
      "ш": "ch", "щ": "chtch", "ъ": "", "ь": "", "ю": "iou", "я": "ia",
      "й": "i"}
ES = {**_BASE, "ж": "zh", "х": "j", "ц": "ts", "ч": "ch", "ш": "sh",
      "щ": "sch", "ъ": "", "ь": "", "ю": "iu", "я": "ia", "й": "i"}
# Ukrainian: г is h, и is y, plus і ї є ґ.
_UBASE = {**_BASE, "е": "e", "г": "h", "ґ": "g", "и": "y", "і": "i",
          "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ж": "zh",
          "ь": "", "'": ""}
UA_NAT = {**_UBASE, "є": "ie", "ї": "i", "й": "i", "ю": "iu", "я": "ia"}
UA_BGN = {**_UBASE, "є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
UA_DE = {**_UBASE, "в": "w", "ж": "sch", "з": "s", "х": "ch", "ц": "z",
         "ч": "tsch", "ш": "sch", "щ": "schtsch", "є": "je", "ї": "ji",
         "й": "j", "ю": "ju", "я": "ja"}
UA_FR = {**_UBASE, "у": "ou", "ж": "j", "ч": "tch", "ш": "ch", "щ": "chtch",
         "є": "ie", "ї": "ï", "й": "i", "ю": "iou", "я": "ia"}


def _r_bgn(c, p, nx, i, last, iot, fam, var):
    if c == "е":
        return "ye" if iot else "e"
    if c == "ё":
        return "e" if p in SIB else "yo"
    return BGN.get(c, c)


def _r_iso(c, p, nx, i, last, iot, fam, var):
    return ISO9.get(c, c)


def _r_icao(c, p, nx, i, last, iot, fam, var):
    return ICAO.get(c, c)


def _r_de(c, p, nx, i, last, iot, fam, var):
    if c == "е":
        return "je" if iot else "e"
    if c == "ё":
        return "o" if p in SIB else "jo"
    if c == "й" and last and p in "иы":
        return ""
    if c == "к" and nx == "с":
        return "x"
    if c == "с" and p == "к":
        return ""
    if c == "с" and p in VOW and nx in VOW:
        return "ss"
    if c == "ж" and var.get("de_zh"):
        return "sh"
    return DE.get(c, c)


def _r_fr(c, p, nx, i, last, iot, fam, var):
    if c == "г" and nx and nx in "еиыэ":
        return "gu"
    if c == "е":
        if i == 0:
            return "e"
        return "ie" if p in "ьъ" else "ïe" if p in VOW else "e"
    if c == "ё":
        return "e" if p in SIB else "io"
    if c == "и" and i > 0 and p in VOW:
        return "ï"
    if c == "й":
        return "" if (last and p in "иы") else "ï" if p in VOW else "i"
    if c == "к" and nx == "с":
        return "x"
    if c == "с" and p == "к":
        return ""
    if c == "с" and p in VOW and nx in VOW:
        return "ss"
    if c == "в" and fam and last and p in "оеё" and var.get("fr_off"):
        return "ff"
    if c == "н" and fam and last and p in "иы":
        return "ne"
    return FR.get(c, c)


def _r_es(c, p, nx, i, last, iot, fam, var):
    if c == "г" and nx and nx in "еиыэ":
        return "gu"
    if c == "е":
        return "ie" if p in "ьъ" else "ye" if iot else "e"
    if c == "ё":
        if p in SIB:
            return "o"
        return "io" if p in "ьъ" else "yo" if iot else "io"
    if c in "юя":
        return ("y" if iot and p not in "ьъ" else "i") + ES[c][1]
    if c == "й":
        return "" if (last and p in "иы") else "i"
    if c == "ж" and var.get("es_y"):
        return "y"
    if c == "щ" and var.get("es_shch"):
        return "shch"
    return ES.get(c, c)


def _r_ua_nat(c, p, nx, i, last, iot, fam, var):
    if i == 0 and c in "єїйюя":
        return {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}[c]
    return UA_NAT.get(c, c)


def _r_ua_bgn(c, p, nx, i, last, iot, fam, var):
    return UA_BGN.get(c, c)


def _r_ua_de(c, p, nx, i, last, iot, fam, var):
    if c == "с" and p in VOW and nx in VOW:
        return "ss"
    return UA_DE.get(c, c)


def _r_ua_fr(c, p, nx, i, last, iot, fam, var):
    if c == "й" and p in VOW:
        return "ï"
    if c == "с" and p in VOW and nx in VOW:
        return "ss"
    return UA_FR.get(c, c)


_RULES = {"bgn": _r_bgn, "iso9": _r_iso, "icao": _r_icao, "de": _r_de,
          "fr": _r_fr, "es": _r_es, "ua_nat": _r_ua_nat, "ua_bgn": _r_ua_bgn,
          "ua_de": _r_ua_de, "ua_fr": _r_ua_fr}
SCHEME_NOTE = {"bgn": "bgn/pcgn", "iso9": "iso 9", "icao": "icao 9303",
               "de": "german scheme", "fr": "french scheme",
               "es": "spanish scheme", "ua_nat": "ukrainian national 2010",
               "ua_bgn": "bgn/pcgn ukrainian", "ua_de": "german scheme (uk)",
               "ua_fr": "french scheme (uk)"}


def translit(word, scheme, fam=False, var=None):
    """Romanise one Cyrillic word; fam marks a surname (French -ine/-off)."""
    var = var or {}
    w = word.lower()
    n = len(w)
    rule = _RULES[scheme]
    out = []
    for i, c in enumerate(w):
        p = w[i - 1] if i else "#"   # sentinel: never a Cyrillic letter
        nx = w[i + 1] if i + 1 < n else "#"
        iot = i == 0 or p in VOW or p in "ьъ"
        out.append(rule(c, p, nx, i, i == n - 1, iot, fam, var))
    s = "".join(out)
    return s[:1].upper() + s[1:]


# Given names listed as nomatch pairs (consecutive entries, same sex).
RU_M = ("Александр Алексей Сергей Семён Михаил Максим Дмитрий Денис "
        "Владимир Вадим Андрей Антон Николай Никита Павел Пётр Иван Игорь "
        "Евгений Егор Виктор Виталий Вячеслав Ярослав Геннадий Георгий "
        "Василий Валерий Константин Кирилл Фёдор Юрий").split()
RU_F = ("Анна Алла Елена Екатерина Ольга Олеся Ирина Инна Татьяна Тамара "
        "Наталья Надежда Мария Марина Светлана Снежана Юлия Ксения").split()
KZ_M = "Нурлан Ерлан Марат Мурат Серик Берик Арман Тимур Данияр Ержан".split()
KZ_F = "Асель Айгерим Динара Дана".split()
UA_M = ("Олександр Олексій Микола Михайло Дмитро Денис Тарас Роман Василь "
        "Віталій Петро Павло Богдан Борис Юрій Ігор Андрій Сергій").split()
UA_F = ("Олена Оксана Ірина Інна Тетяна Тамара Галина Ганна Наталія "
        "Надія").split()
# Surnames as confusable-but-different pairs (consecutive entries).
RU_S = ("Соколов Соболев Смирнов Семёнов Иванов Ивашов Петров Попов "
        "Кузнецов Кузьмин Волков Воронов Морозов Миронов Новиков Носков "
        "Павлов Панов Козлов Котов Лебедев Медведев Егоров Ершов Орлов "
        "Осипов Андреев Алексеев Макаров Марков Захаров Зайцев Белов Беляев "
        "Тарасов Титов Романов Рябов Фёдоров Филиппов Никитин Никифоров "
        "Степанов Стрельцов Борисов Быков Григорьев Гаврилов Хрущёв "
        "Хрусталёв Горбачёв Горбунов Ельцин Елисеев Жуков Жданов Королёв "
        "Коровин Соловьёв Соломин Воробьёв Воронцов Щербаков Щукин Чернышёв "
        "Чернов Яковлев Якушев Толстой Трофимов Маяковский Малиновский "
        "Вишневский Высоцкий Шишкин Шилов Пугачёв Пучков Журавлёв "
        "Жаров").split()
KZ_S = ("Назарбаев Нуркенов Токаев Тулеев Жумабаев Жакупов Сулейменов "
        "Султанов Исмаилов Искаков Омаров Оспанов Мусин Мусабаев Кенжебаев "
        "Кенесов").split()
UA_S = ("Шевченко Савченко Коваленко Кравченко Ткаченко Тимошенко Лисенко "
        "Литвиненко Петренко Павленко Кравчук Ковальчук Бойко Божко Руденко "
        "Радченко Мельник Мороз Бондаренко Бабенко Олійник Остапенко "
        "Гончаренко Гордієнко Поліщук Пономаренко Марченко Мартиненко Коваль "
        "Кушнір").split()

# Conventional (press / passport-habit) Latin forms of given names.
CONV = {
    "Александр": ["Alexander", "Alexandre", "Alexandr"],
    "Алексей": ["Alexei", "Alexey", "Alexej"],
    "Сергей": ["Sergei", "Sergey", "Sergej", "Serguei"],
    "Михаил": ["Mikhail", "Michail", "Mijail"],
    "Пётр": ["Petr", "Piotr", "Pyotr", "Pjotr"],
    "Юрий": ["Yuri", "Yury", "Iouri", "Juri"],
    "Дмитрий": ["Dmitri", "Dmitry", "Dimitri"],
    "Евгений": ["Evgeny", "Yevgeny", "Evgeni", "Jewgeni"],
    "Андрей": ["Andrei", "Andrey", "Andrej"],
    "Николай": ["Nikolai", "Nicolai", "Nikolay"],
    "Максим": ["Maxim", "Maksim", "Maxime"],
    "Фёдор": ["Fedor", "Fyodor", "Fiodor", "Fjodor"],
    "Наталья": ["Natalia", "Natalya", "Natalja"],
    "Екатерина": ["Ekaterina", "Yekaterina", "Jekaterina"],
    "Юлия": ["Yulia", "Julia", "Iulia", "Ioulia"],
    "Ксения": ["Ksenia", "Xenia", "Kseniya"],
    "Олександр": ["Oleksandr", "Olexandr", "Oleksander"],
    "Андрій": ["Andriy", "Andrii", "Andrij"],
    "Сергій": ["Serhiy", "Serhii", "Serhij"],
    "Юрій": ["Yuriy", "Yurii", "Jurij"],
}

RU_SCH = [("bgn", 3), ("icao", 3), ("de", 2), ("fr", 2), ("es", 2),
          ("iso9", 1)]
RU_REC = [("icao", 4), ("bgn", 3), ("de", 1), ("fr", 1)]
UA_SCH = [("ua_nat", 3), ("ua_bgn", 3), ("ua_de", 2), ("ua_fr", 2),
          ("iso9", 1)]
UA_REC = [("ua_nat", 3), ("ua_bgn", 2)]


def _pairs(lst):
    return list(zip(lst[::2], lst[1::2]))


LANGS = {
    "ru": {"m": RU_M, "f": RU_F, "sur": RU_S, "sch": RU_SCH, "rec": RU_REC},
    "kz": {"m": KZ_M, "f": KZ_F, "sur": KZ_S, "sch": RU_SCH, "rec": RU_REC},
    "uk": {"m": UA_M, "f": UA_F, "sur": UA_S, "sch": UA_SCH, "rec": UA_REC},
}
for _L in LANGS.values():
    _L["mp"], _L["fp"], _L["sp"] = (_pairs(_L["m"]), _pairs(_L["f"]),
                                    _pairs(_L["sur"]))


def _fem(s, lang):
    """Feminine surname form (used only with female given names)."""
    if lang == "uk":
        return s[:-3] + "ська" if s.endswith("ський") else s
    if s.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return s + "а"
    if s.endswith(("ский", "цкий", "ой")):
        return s[:-2] + "ая"
    return s


def _wchoice(rng, weighted, avoid=None):
    items = [(k, w) for k, w in weighted if k != avoid]
    return rng.choices([k for k, _ in items], [w for _, w in items])[0]


def _var(rng):
    return {"de_zh": rng.random() < 0.25, "fr_off": rng.random() < 0.35,
            "es_y": rng.random() < 0.2, "es_shch": rng.random() < 0.3}


def _yo(s):
    return s.replace("ё", "е")


def _cyr_person(rng):
    lang = rng.choices(["ru", "kz", "uk"], [6, 1, 3])[0]
    if lang == "uk":
        country = "UA"
    elif lang == "kz":
        country = "KZ"
    else:
        country = rng.choices(["RU", "BY", "KZ", "UA"], [12, 4, 3, 1])[0]
    sex = "f" if rng.random() < 0.3 else "m"
    return lang, LANGS[lang], country, sex


def _qgiven(rng, g, sch, var, p_conv):
    """Query given name: a scheme output or, sometimes, a conventional form."""
    conv = CONV.get(g)
    if conv and rng.random() < p_conv:
        return rng.choice(conv), "conventional given"
    return translit(g, sch, False, var), ""


def _cyr_match(rng):
    lang, L, country, sex = _cyr_person(rng)
    g = rng.choice(L[sex])
    s = rng.choice(L["sur"])
    if sex == "f":
        s = _fem(s, lang)
    var = _var(rng)
    kind = rng.random()
    extra = []
    if kind < 0.55:                      # Cyrillic record, one scheme
        sch = _wchoice(rng, L["sch"])
        rg, rs = g, s
        qg = translit(g, sch, False, var)
        qs = translit(s, sch, True, var)
        note = SCHEME_NOTE[sch]
        if sch == "fr" and var["fr_off"] and qs.endswith("ff"):
            extra.append("-off ending")
        if "ё" in g + s and rng.random() < 0.4:
            rg, rs = _yo(g), _yo(s)
            extra.append("record yo as e")
    elif kind < 0.7:                     # Cyrillic record, mixed query
        sch2 = _wchoice(rng, L["sch"])
        sch1 = _wchoice(rng, L["sch"], avoid=sch2)
        rg, rs = g, s
        qg, how = _qgiven(rng, g, sch1, var, 0.7)
        qs = translit(s, sch2, True, var)
        note = (how or SCHEME_NOTE[sch1] + " given") + ", " + \
            SCHEME_NOTE[sch2] + " family"
    else:                                # Latin record, another scheme
        rsch = _wchoice(rng, L["rec"])
        qsch = _wchoice(rng, L["sch"], avoid=rsch)
        rg = translit(g, rsch, False, var)
        rs = translit(s, rsch, True, var)
        qg, how = _qgiven(rng, g, qsch, var, 0.2)
        qs = translit(s, qsch, True, var)
        if (qg.lower(), qs.lower()) == (rg.lower(), rs.lower()):
            return None
        note = SCHEME_NOTE[rsch] + " record, " + SCHEME_NOTE[qsch] + " query"
        if how:
            extra.append(how)
        if rng.random() < 0.3:
            rg, rs = rg.upper(), rs.upper()
            extra.append("caps record")
    if rng.random() < 0.08:
        qg, qs = qg.lower(), qs.lower()
        extra.append("lowercase query")
    note = ", ".join([note] + extra)
    return ("cyrillic", "match", rg, rs, country, qg, qs, note)


def _cyr_nomatch(rng):
    lang, L, country, sex = _cyr_person(rng)
    if rng.random() < 0.55:
        a, b = rng.choice(L["sp"])
        if rng.random() < 0.5:
            a, b = b, a
        if sex == "f":
            a, b = _fem(a, lang), _fem(b, lang)
        g = rng.choice(L[sex])
        rg_c, rs_c, qg_c, qs_c = g, a, g, b
        what = "different surname"
    else:
        a, b = rng.choice(L[sex + "p"])
        if rng.random() < 0.5:
            a, b = b, a
        s = rng.choice(L["sur"])
        if sex == "f":
            s = _fem(s, lang)
        rg_c, rs_c, qg_c, qs_c = a, s, b, s
        what = "different given"
    var = _var(rng)
    qsch = _wchoice(rng, L["sch"])
    if rng.random() < 0.7:
        rg, rs = rg_c, rs_c
        if "ё" in rg + rs and rng.random() < 0.3:
            rg, rs = _yo(rg), _yo(rs)
        note = what + ", " + SCHEME_NOTE[qsch] + " query"
    else:
        rsch = _wchoice(rng, L["rec"])
        rg = translit(rg_c, rsch, False, var)
        rs = translit(rs_c, rsch, True, var)
        if rng.random() < 0.3:
            rg, rs = rg.upper(), rs.upper()
        note = what + ", " + SCHEME_NOTE[rsch] + " record, " + \
            SCHEME_NOTE[qsch] + " query"
    qg, how = _qgiven(rng, qg_c, qsch, var, 0.2)
    qs = translit(qs_c, qsch, True, var)
    if how:
        note += ", " + how
    return ("cyrillic", "nomatch", rg, rs, country, qg, qs, note)


# ------------------------------------------------------------------ arabic
# "arabic: variant, variant|tag, variant*" -- tag: m Maghreb (French
# habits), e Egypt/Sudan, l Levant, g Gulf/Iraq/Yemen; '*' marks a form that
# drops a consonant or the article (never used against Arabic script).
REGIONS = {"m": ["MA", "DZ", "TN"], "e": ["EG", "SD"],
           "l": ["LB", "SY", "JO", "PS"], "g": ["SA", "IQ", "YE"]}

_AM = {
    "mohammed": "محمد: Mohammed, Muhammad, Mohamed, Mohammad, Mohamad|l, "
                "Muhammed",
    "ahmed": "أحمد: Ahmed, Ahmad",
    "hamed": "حامد: Hamed",
    "youssef": "يوسف: Youssef|m, Yusuf, Yousef, Youcef|m, Yusef, Yousif|g",
    "younes": "يونس: Younes|m, Yunus, Younis, Younès|m, Yunis",
    "hussein": "حسين: Hussein, Husayn, Hussain|g, Hossein, Houcine|m, Husain",
    "hassan": "حسن: Hassan, Hasan",
    "khaled": "خالد: Khaled, Khalid",
    "khalil": "خليل: Khalil, Khaleel",
    "omar": "عمر: Omar, Umar",
    "amr": "عمرو: Amr, Amro",
    "osman": "عثمان: Osman, Othman, Uthman, Otmane|m",
    "mahmoud": "محمود: Mahmoud, Mahmud, Mahmood|g",
    "mustafa": "مصطفى: Mustafa, Moustafa, Mostafa|e, Mustapha|m, "
               "Moustapha|m",
    "mourad": "مراد: Mourad|m, Murad",
    "ibrahim": "إبراهيم: Ibrahim, Ebrahim",
    "ismail": "إسماعيل: Ismail, Ismael, Ismaïl|m",
    "abdullah": "عبد الله: Abdullah, Abdallah, Abdellah|m, Abd Allah, "
                "Abdulla",
    "abdulrahman": "عبد الرحمن: Abdulrahman, Abderrahmane|m, Abdelrahman|e, "
                   "Abdul Rahman, Abd al-Rahman, Abdurrahman",
    "abdulrahim": "عبد الرحيم: Abdulrahim, Abderrahim|m, Abdelrahim, "
                  "Abdul Rahim, Abdurrahim",
    "abdelaziz": "عبد العزيز: Abdelaziz, Abdulaziz, Abdul Aziz, Abd al-Aziz",
    "abdelkader": "عبد القادر: Abdelkader|m, Abdul Qadir, Abdulkadir, "
                  "Abdelkadir|m, Abd al-Qadir, Abdul Kader",
    "oussama": "أسامة: Oussama|m, Usama, Osama, Ousama|m",
    "jamal": "جمال: Djamel|m, Jamal, Jamel|m, Gamal|e",
    "kamal": "كمال: Kamal, Kamel|m",
    "chafik": "شفيق: Chafik|m, Shafiq, Shafik, Chafiq|m",
    "said": "سعيد: Saïd|m, Said, Saeed|g, Saied",
    "saad": "سعد: Saad",
    "ali": "علي: Ali, Aly|e",
    "adel": "عادل: Adel, Adil",
    "karim": "كريم: Karim, Kareem",
    "tarek": "طارق: Tarek, Tariq, Tarik",
    "tamer": "تامر: Tamer",
    "walid": "وليد: Walid, Waleed",
    "rachid": "رشيد: Rachid|m, Rashid, Rasheed",
    "rashad": "رشاد: Rashad, Rachad|m",
    "faisal": "فيصل: Faisal, Faysal, Fayçal|m",
    "fadel": "فاضل: Fadel, Fadhel|m, Fadil",
    "hisham": "هشام: Hisham, Hicham|m, Hesham|e",
    "yassine": "ياسين: Yassine|m, Yasin, Yaseen, Yacine|m",
    "yasser": "ياسر: Yasser, Yasir, Yaser",
    "zakaria": "زكريا: Zakaria, Zakariya, Zakariyya",
    "zaki": "زكي: Zaki, Zaky|e",
    "nabil": "نبيل: Nabil, Nabeel",
    "noureddine": "نور الدين: Noureddine|m, Nur al-Din, Nureddin, "
                  "Nour El Din|e, Nuruddin",
}
_AF = {
    "fatima": "فاطمة: Fatima, Fatma, Fatimah",
    "fatiha": "فتيحة: Fatiha",
    "aisha": "عائشة: Aisha, Aicha|m, Aïcha|m, Aishah",
    "asma": "أسماء: Asma, Asmaa|e",
    "khadija": "خديجة: Khadija, Khadidja|m, Khadijah, Khadeeja",
    "khalida": "خالدة: Khalida",
    "maryam": "مريم: Maryam, Meriem|m, Mariam, Myriam|m",
    "marwa": "مروة: Marwa, Marwah",
    "zainab": "زينب: Zainab, Zeinab, Zaynab",
    "zahra": "زهرة: Zahra, Zohra|m",
    "leila": "ليلى: Leila, Layla, Laila, Leïla|m",
    "salma": "سلمى: Salma",
    "samia": "سامية: Samia, Samiya",
    "nour": "نور: Nour, Noor, Nur",
    "nada": "ندى: Nada",
    "hoda": "هدى: Hoda|e, Huda",
    "hind": "هند: Hind",
    "souad": "سعاد: Souad|m, Suad, Soad|e",
    "rania": "رانيا: Rania, Ranya",
    "randa": "رندة: Randa",
}
_AS = {
    "masri": "المصري: Al-Masri, Almasri, El Masri, El-Masry|e, Al Masri, "
             "Masri*",
    "shami": "الشامي: Al-Shami, Alshami, El Chami|m, El Shami",
    "haddad": "حداد: Haddad|l, Hadad",
    "hamdan": "حمدان: Hamdan",
    "khoury": "خوري: Khoury|l, Khouri|l, Khuri, Khury",
    "kassab": "قصاب: Kassab|l, Qassab, Kasab, Qasab",
    "nasser": "ناصر: Nasser, Nasir, Naser, Nacer|m",
    "naji": "ناجي: Naji, Nagi|e",
    "saleh": "صالح: Saleh, Salih",
    "salem": "سالم: Salem",
    "kassem": "قاسم: Kassem|l, Qasim, Qassem, Kacem|m, Kasim",
    "abbas": "عباس: Abbas, Abas",
    "ayyash": "عياش: Ayyash, Ayache|m, Ayash",
    "darwish": "درويش: Darwish, Darwiche|l, Derouiche|m, Darwich",
    "khatib": "الخطيب: Al-Khatib, El Khatib, Alkhateeb|g, El-Khateeb, "
              "Khatib*",
    "najjar": "النجار: Al-Najjar, El Naggar|e, Alnajjar, Al-Najar, Najjar*",
    "nassif": "ناصيف: Nassif|l, Nasif",
    "issa": "عيسى: Issa, Eissa|e, Isa, Aissa|m",
    "idris": "إدريس: Idris, Idriss|m, Driss*|m",
    "jaber": "جابر: Jaber, Jabir, Gaber|e",
    "jalal": "جلال: Jalal, Djalal|m, Galal|e",
    "suleiman": "سليمان: Suleiman, Sulaiman, Soliman|e, Slimane|m, "
                "Sleiman|l, Sulayman",
    "salman": "سلمان: Salman",
    "zidane": "زيدان: Zidane|m, Zeidan|l, Zaydan, Zidan",
    "zayed": "زايد: Zayed, Zayid",
    "mubarak": "مبارك: Mubarak, Moubarak|m, Mobarak, Mbarek*|m",
    "husseini": "الحسيني: Al-Husseini, El Husseini|l, Al-Husayni, "
                "Husseini*",
    "hassouna": "حسونة: Hassouna, Hassuna",
    "belkacem": "بلقاسم: Belkacem|m, Belgacem|m, Belqasim, Bel Kacem|m",
    "belhadj": "بالحاج: Belhadj|m, Belhaj|m, Bel Hadj|m",
    "benali": "بن علي: Ben Ali|m, Benali|m, Bin Ali|g",
    "benaissa": "بن عيسى: Benaissa|m, Ben Aissa|m, Bin Issa|g",
    "yacoub": "يعقوب: Yacoub|m, Yaqub, Yakoub|m, Yaacoub|l, Yaqoob|g",
    "fassi": "الفاسي: El Fassi|m, Al-Fasi, Elfassi|m, Al-Fassi",
    "alami": "العلمي: El Alami|m, Al-Alami, Alami*|m",
    "cherif": "شريف: Sharif, Cherif|m, Chérif|m, Shareef|g",
    "chraibi": "الشرايبي: Chraibi|m",
    "ahmad": "الأحمد: Al-Ahmad, Al Ahmed, Alahmad, El Ahmad",
    "alali": "العلي: Al-Ali, Alali, El Ali",
    "mansour": "منصور: Mansour, Mansur, Mansoor|g",
    "mahfouz": "محفوظ: Mahfouz|e, Mahfuz, Mahfoudh|m",
}


def _grp(spec):
    ar, vs = spec.split(":", 1)
    out = []
    for v in vs.split(","):
        v, _, tag = v.strip().partition("|")
        out.append((v.rstrip("*"), tag, v.endswith("*")))
    return ar.strip(), out


AM = {k: _grp(v) for k, v in _AM.items()}
AF = {k: _grp(v) for k, v in _AF.items()}
AS = {k: _grp(v) for k, v in _AS.items()}
AM_PAIRS = [("hassan", "hussein"), ("youssef", "younes"),
            ("mahmoud", "mohammed"), ("karim", "kamal"), ("said", "saad"),
            ("omar", "amr"), ("ali", "adel"), ("abdulrahman", "abdulrahim"),
            ("abdelaziz", "abdelkader"), ("khaled", "khalil"),
            ("walid", "khaled"), ("rachid", "rashad"), ("ahmed", "hamed"),
            ("ibrahim", "ismail"), ("mustafa", "mourad"), ("osman", "omar"),
            ("yassine", "yasser"), ("hisham", "hassan"), ("faisal", "fadel"),
            ("jamal", "kamal"), ("zakaria", "zaki"), ("tarek", "tamer"),
            ("abdullah", "abdulrahman"), ("oussama", "osman"),
            ("chafik", "karim"), ("nabil", "noureddine")]
AF_PAIRS = [("fatima", "fatiha"), ("aisha", "asma"), ("khadija", "khalida"),
            ("maryam", "marwa"), ("zainab", "zahra"), ("salma", "samia"),
            ("nour", "nada"), ("hoda", "hind"), ("rania", "randa"),
            ("leila", "souad")]
AS_PAIRS = [("haddad", "hamdan"), ("khoury", "kassab"), ("masri", "shami"),
            ("nasser", "naji"), ("saleh", "salem"), ("kassem", "kassab"),
            ("abbas", "ayyash"), ("khatib", "nassif"), ("najjar", "nassif"),
            ("issa", "idris"), ("jaber", "jalal"), ("suleiman", "salman"),
            ("zidane", "zayed"), ("husseini", "hassouna"),
            ("belkacem", "belhadj"), ("benali", "benaissa"),
            ("fassi", "alami"), ("cherif", "chraibi"), ("ahmad", "alali"),
            ("mansour", "mahfouz"), ("darwish", "haddad"),
            ("mubarak", "mansour"), ("yacoub", "issa")]


def _pickv(rng, grp, region=None, avoid=None, strict=False):
    vs = [v for v in grp[1] if v[0] != avoid and not (strict and v[2])]
    pref = [v for v in vs if region and v[1] in ("", region)]
    cand = pref or vs
    return rng.choice(cand)[0] if cand else None


_FEATS = [("ou", "french ou"), ("dj", "french dj"), ("ch", "french ch"),
          ("c", "french c"), ("ee", "long vowel ee"), ("oo", "long vowel oo"),
          ("aa", "long vowel aa"), ("q", "q/k"), ("dh", "dh/d"),
          ("g", "g for j/q"), ("ï", "diaeresis"), ("è", "accent"),
          ("ç", "cedilla"), ("é", "accent"), ("y", "y/i")]


def _core(s):
    return re.sub(r"[- ]", "", re.sub(r"^(al|el)[- ]", "", s))


def _arnote(a, b):
    x, y = a.lower(), b.lower()
    if re.sub(r"[- ]", "", x) == re.sub(r"[- ]", "", y):
        return "spacing/hyphen"
    if _core(x) == _core(y):
        both = _core(x) != re.sub(r"[- ]", "", x) and \
            _core(y) != re.sub(r"[- ]", "", y)
        return "article al/el" if both else "article dropped"
    feats = []
    dbl = re.compile(r"([b-df-hj-np-tv-z])\1")
    if bool(dbl.search(x)) != bool(dbl.search(y)):
        feats.append("doubled consonant")
    for sub, lab in _FEATS:
        xs, ys = x, y
        if sub in ("c", "g"):
            xs, ys = x.replace("ch", ""), y.replace("ch", "")
        if sub == "c" and (("c" in xs) != ("c" in ys)):
            feats.append(lab)
        elif sub != "c" and (sub in xs) != (sub in ys) and lab not in feats:
            feats.append(lab)
    return " ".join(feats[:2]) if feats else "vowel spelling"


def _ar_setup(rng, female):
    region = rng.choice("melg")
    gk = rng.choice(sorted(AF if female else AM))
    return region, rng.choice(REGIONS[region]), gk


def _ar_match(rng):
    female = rng.random() < 0.25
    region, country, gk = _ar_setup(rng, female)
    ggrp = (AF if female else AM)[gk]
    if rng.random() < 0.35:              # father's name used as surname
        sgrp = AM[rng.choice(sorted(AM))]
    else:
        sgrp = AS[rng.choice(sorted(AS))]
    extra = []
    if rng.random() < 0.7:               # Latin record
        rg, rs = _pickv(rng, ggrp, region), _pickv(rng, sgrp, region)
        mode = rng.random()
        qg = (_pickv(rng, ggrp, avoid=rg) if mode < 0.7 else None) or rg
        qs = (_pickv(rng, sgrp, avoid=rs) if mode > 0.3 else None) or rs
        if (qg, qs) == (rg, rs):
            return None
        notes = []
        if qg != rg:
            notes.append("given " + _arnote(rg, qg))
        if qs != rs:
            notes.append("family " + _arnote(rs, qs))
        note = "; ".join(notes)
        if rng.random() < 0.15:
            rg, rs = rg.upper(), rs.upper()
            extra.append("caps record")
    else:                                # Arabic-script record
        rg, rs = ggrp[0], sgrp[0]
        qg = _pickv(rng, ggrp, strict=True)
        qs = _pickv(rng, sgrp, strict=True)
        note = "arabic script record, all consonants kept"
    if rng.random() < 0.08:
        qg, qs = qg.lower(), qs.lower()
        extra.append("lowercase query")
    note = ", ".join([note] + extra)
    return ("arabic", "match", rg, rs, country, qg, qs, note)


def _ar_nomatch(rng):
    female = rng.random() < 0.25
    region, country, gk = _ar_setup(rng, female)
    gmap = AF if female else AM
    if rng.random() < 0.5:               # different given name
        a, b = rng.choice(AF_PAIRS if female else AM_PAIRS)
        if rng.random() < 0.5:
            a, b = b, a
        if rng.random() < 0.35:
            sgrp = AM[rng.choice(sorted(set(AM) - {a, b}))]
        else:
            sgrp = AS[rng.choice(sorted(AS))]
        rgrp, qgrp, rsgrp, qsgrp = gmap[a], gmap[b], sgrp, sgrp
        what = "different given (%s/%s)" % (a, b)
    else:                                # different family name
        if rng.random() < 0.3:
            a, b = rng.choice(AM_PAIRS)
            smap = AM
        else:
            a, b = rng.choice(AS_PAIRS)
            smap = AS
        if rng.random() < 0.5:
            a, b = b, a
        ggrp = gmap[gk]
        rgrp, qgrp, rsgrp, qsgrp = ggrp, ggrp, smap[a], smap[b]
        what = "different family (%s/%s)" % (a, b)
    arabic = rng.random() < 0.2
    if arabic:
        rg, rs = rgrp[0], rsgrp[0]
        note = what + ", arabic script record"
    else:
        rg, rs = _pickv(rng, rgrp, region), _pickv(rng, rsgrp, region)
        note = what
    # The part that names the same person is sometimes respelled too.
    if qgrp is rgrp and not arabic and rng.random() < 0.6:
        qg = _pickv(rng, qgrp) or rg
    elif qgrp is rgrp and not arabic:
        qg = rg
    else:
        qg = _pickv(rng, qgrp, strict=arabic)
    if qsgrp is rsgrp and not arabic and rng.random() < 0.6:
        qs = _pickv(rng, qsgrp) or rs
    elif qsgrp is rsgrp and not arabic:
        qs = rs
    else:
        qs = _pickv(rng, qsgrp, strict=arabic)
    if not arabic and rng.random() < 0.1:
        rg, rs = rg.upper(), rs.upper()
        note += ", caps record"
    return ("arabic", "nomatch", rg, rs, country, qg, qs, note)


_GEN = [(_cyr_match, "cyrillic", "match"),
        (_cyr_nomatch, "cyrillic", "nomatch"),
        (_ar_match, "arabic", "match"),
        (_ar_nomatch, "arabic", "nomatch")]


def rows(rng):
    out = []
    seen = set()
    for gen, _fam, _label in _GEN:
        n = tries = 0
        while n < TARGET and tries < TARGET * 50:
            tries += 1
            r = gen(rng)
            if r is None:
                continue
            key = (r[0], r[1], r[2].lower(), r[3].lower(),
                   r[5].lower(), r[6].lower())
            if key in seen:
                continue
            seen.add(key)
            out.append(r)
            n += 1
    return out
