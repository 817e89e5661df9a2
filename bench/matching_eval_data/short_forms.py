"""Short-form name variants for the matching evaluation set.

Three families of labelled query/record pairs, authored from public naming
conventions (common names; no real individual intended):

* hypocorism   -- familiar forms of given names (Pepe/José, Bill/William,
                  Zé/José, Manu/Emmanuel, Sasha/Aleksandr, Hamoudi/Muhammad).
* abbreviation -- clerical abbreviations (Fco., Ma., Wm., Chas.) and single
                  initials standing for ONE given name.
* particle     -- surname particles joined, apart or dropped (van den Berg,
                  De la Cruz, dos Santos, Al-Masri, bin, Abu) and the Arabic
                  theophoric given names Abd/Abdul/Abdel + divine name.

rows(rng) returns tuples
(family, label, record_given, record_family, country, query_given,
 query_family, note); label is "match" or "nomatch".
Deterministic for a given seeded random.Random; standard library only.
"""

import unicodedata

from edits import levenshtein

TARGET = 400  # rows per (family, label)

COUNTRIES = {
    "es": ["MX", "GT", "HN", "SV", "CO"],
    "pt": ["BR", "PT"],
    "en": ["US", "GB", "CA"],
    "fr": ["FR", "HT", "SN", "CI", "CM", "CD"],
    "ru": ["RU", "UA"],
    "ar": ["EG", "SY", "JO", "IQ", "LB", "MA"],
}


def _strip(s):
    d = unicodedata.normalize("NFD", s)
    return unicodedata.normalize(
        "NFC", "".join(c for c in d if not unicodedata.combining(c)))


def _key(s):
    return _strip(s).lower()


def _lev(a, b):
    return levenshtein(_key(a), _key(b))


def _different(a, b):
    """True when two name words are clearly different."""
    ka, kb = _key(a), _key(b)
    return (ka[:3] != kb[:3] and _lev(ka, kb) > 2
            and ka not in kb and kb not in ka)


def _grams(s, n=3):
    k = _key(s).replace(" ", "").replace("-", "").replace(".", "")
    return {k[i:i + n] for i in range(len(k) - n + 1)}


def _has_accent(s):
    return _strip(s) != s


def _subseq(abbr, full):
    """True when the letters of abbr occur in order in full (Fco ~ Francisco)."""
    it = iter(_key(full))
    return all(c in it for c in _key(abbr.replace("ª", "a")) if c.isalpha())


def _typo(rng, s):
    """One typo in the longest word, never the first letter."""
    words = s.split(" ")
    idx = max(range(len(words)), key=lambda i: len(words[i]))
    w = words[idx]
    if len(w) < 5 or not w.isalpha():
        return None
    for _ in range(30):
        op = rng.choice(("letter changed", "letter dropped", "letters swapped"))
        if op == "letters swapped":
            i = rng.randrange(1, len(w) - 1)
            if _key(w[i]) == _key(w[i + 1]):
                continue
            nw = w[:i] + w[i + 1] + w[i] + w[i + 2:]
        elif op == "letter dropped":
            i = rng.randrange(1, len(w))
            nw = w[:i] + w[i + 1:]
        else:
            i = rng.randrange(1, len(w))
            c = rng.choice("aeiounrlstmcd")
            if c == _key(w[i]):
                continue
            nw = w[:i] + c + w[i + 1:]
        if _key(nw) != _key(w):
            words[idx] = nw
            return " ".join(words), op
    return None


def _ru_fem(s):
    if s.endswith("skiy"):
        return s[:-4] + "skaya"
    if s.endswith(("ov", "ev", "yov", "in", "yn")):
        return s + "a"
    return s


class _Rows(object):
    """Collects unique rows per (family, label)."""

    def __init__(self):
        self.out = []
        self.seen = set()
        self.count = {}

    def add(self, family, label, rg, rf, cc, qg, qf, note):
        k = (family, label, rg, rf, qg, qf)
        if k in self.seen:
            return False
        if _key(rg) == _key(qg) and _key(rf) == _key(qf):
            return False
        self.seen.add(k)
        self.out.append((family, label, rg, rf, cc, qg, qf, note))
        self.count[(family, label)] = self.count.get((family, label), 0) + 1
        return True

    def n(self, family, label):
        return self.count.get((family, label), 0)


# ---------------------------------------------------------------------------
# Hypocorisms: (record given name, gender, familiar forms, countries or None)
# ---------------------------------------------------------------------------

HYPO = {
    "es": [
        ("José", "m", ["Pepe", "Pepito", "Chepe"], None),
        ("José María", "m", ["Chema"], None),
        ("Francisco", "m", ["Paco", "Pancho", "Paquito"], None),
        ("Jesús", "m", ["Chuy", "Chucho"], None),
        ("Ignacio", "m", ["Nacho"], None),
        ("Guillermo", "m", ["Memo", "Guille"], None),
        ("Eduardo", "m", ["Lalo"], None),
        ("Alberto", "m", ["Beto"], None),
        ("Roberto", "m", ["Beto"], None),
        ("Humberto", "m", ["Beto"], None),
        ("Antonio", "m", ["Toño", "Toñito"], None),
        ("Enrique", "m", ["Quique", "Kike"], None),
        ("Rafael", "m", ["Rafa"], None),
        ("Manuel", "m", ["Manolo", "Manolito"], None),
        ("Alejandro", "m", ["Alex"], None),
        ("Fernando", "m", ["Nando", "Fer"], None),
        ("Ramón", "m", ["Moncho"], None),
        ("Gregorio", "m", ["Goyo"], None),
        ("Santiago", "m", ["Santi", "Chago"], None),
        ("Salvador", "m", ["Chava", "Chavo"], None),
        ("Vicente", "m", ["Chente"], None),
        ("Luis", "m", ["Lucho"], ["CO"]),
        ("Gonzalo", "m", ["Chalo"], None),
        ("Ernesto", "m", ["Neto"], None),
        ("Rodolfo", "m", ["Fito"], None),
        ("Adolfo", "m", ["Fito"], None),
        ("Federico", "m", ["Fede"], None),
        ("Javier", "m", ["Javi"], None),
        ("Pedro", "m", ["Perico"], None),
        ("Joaquín", "m", ["Quino"], None),
        ("Juan", "m", ["Juancho", "Juanito"], None),
        ("Carlos", "m", ["Carlitos"], None),
        ("Guadalupe", "f", ["Lupe", "Lupita"], None),
        ("María Guadalupe", "f", ["Lupe", "Lupita"], ["MX"]),
        ("Concepción", "f", ["Concha", "Conchita", "Conchi"], None),
        ("Dolores", "f", ["Lola", "Lolita"], None),
        ("Consuelo", "f", ["Chelo"], None),
        ("Rosario", "f", ["Charo", "Chayo"], None),
        ("Isabel", "f", ["Chabela"], None),
        ("Mercedes", "f", ["Meche", "Merche"], None),
        ("Soledad", "f", ["Sole", "Chole"], None),
        ("Graciela", "f", ["Chela"], None),
        ("Francisca", "f", ["Paca", "Paquita", "Pancha"], None),
        ("Josefina", "f", ["Pepa", "Pepita"], None),
        ("Teresa", "f", ["Tere", "Teresita"], None),
        ("Esperanza", "f", ["Espe"], None),
        ("Victoria", "f", ["Vicky"], None),
        ("Patricia", "f", ["Paty"], None),
        ("Beatriz", "f", ["Bea"], None),
        ("Gabriela", "f", ["Gaby"], None),
        ("Rosa", "f", ["Rosita"], None),
        ("Antonia", "f", ["Toña"], None),
        ("Pilar", "f", ["Pili"], None),
        ("Leticia", "f", ["Lety"], None),
        ("María Eugenia", "f", ["Maru"], ["MX"]),
        ("María José", "f", ["Majo"], None),
        ("María Fernanda", "f", ["Marifer"], ["MX"]),
        ("María Luisa", "f", ["Malú"], None),
    ],
    "pt": [
        ("José", "m", ["Zé", "Zezinho", "Zeca"], None),
        ("Francisco", "m", ["Chico", "Xico"], None),
        ("Antônio", "m", ["Tonho", "Toninho"], ["BR"]),
        ("António", "m", ["Toninho", "Tó"], ["PT"]),
        ("Gustavo", "m", ["Guga"], None),
        ("Joaquim", "m", ["Quim"], None),
        ("Sebastião", "m", ["Tião"], ["BR"]),
        ("Eduardo", "m", ["Dudu", "Edu"], None),
        ("Carlos", "m", ["Carlinhos"], None),
        ("Roberto", "m", ["Beto"], None),
        ("Alberto", "m", ["Beto"], None),
        ("Paulo", "m", ["Paulinho"], None),
        ("João", "m", ["Joãozinho"], None),
        ("Manuel", "m", ["Mané", "Manel"], None),
        ("Fernando", "m", ["Nando"], None),
        ("Pedro", "m", ["Pedrinho"], None),
        ("Rafael", "m", ["Rafa"], None),
        ("Rodrigo", "m", ["Digo"], ["BR"]),
        ("Benedito", "m", ["Dito"], ["BR"]),
        ("Guilherme", "m", ["Gui"], None),
        ("Augusto", "m", ["Guto"], None),
        ("Leonardo", "m", ["Léo"], None),
        ("Beatriz", "f", ["Bia"], None),
        ("Isabel", "f", ["Bel"], None),
        ("Fernanda", "f", ["Nanda"], None),
        ("Gabriela", "f", ["Gabi"], None),
        ("Aparecida", "f", ["Cida"], ["BR"]),
        ("Francisca", "f", ["Chica"], None),
        ("Antônia", "f", ["Toninha"], ["BR"]),
        ("Mariana", "f", ["Mari"], None),
    ],
}

# Forms shared with other names or too loose to be used as the WRONG nickname
# in nomatch rows; they still appear in match rows.
NO_CROSS = {"Chela", "Maru", "Majo", "Marifer", "Malú", "Jojo", "Jack",
            "Abu Ali", "Abu Khalil", "Abdo", "Alex", "Al", "Chris", "Sam",
            "Pat", "Terry", "Jerry", "Harry", "Ted", "Ned", "Nell", "Ricky",
            "Fred", "Max", "Mari", "Gui", "Bel", "Lupe"}

HYPO["en"] = [
    ("William", "m", ["Bill", "Will", "Billy", "Willie"], None),
    ("Robert", "m", ["Bob", "Bobby", "Rob", "Robbie"], None),
    ("Richard", "m", ["Dick", "Rick", "Rich", "Richie"], None),
    ("James", "m", ["Jim", "Jimmy", "Jamie"], None),
    ("John", "m", ["Jack", "Johnny"], None),
    ("Edward", "m", ["Ted", "Ed", "Eddie", "Ned"], None),
    ("Anthony", "m", ["Tony"], None),
    ("Thomas", "m", ["Tom", "Tommy"], None),
    ("Charles", "m", ["Charlie", "Chuck"], None),
    ("Michael", "m", ["Mike", "Mikey", "Mick"], None),
    ("Joseph", "m", ["Joe", "Joey"], None),
    ("Daniel", "m", ["Dan", "Danny"], None),
    ("Christopher", "m", ["Chris", "Kit"], None),
    ("Matthew", "m", ["Matt"], None),
    ("Nicholas", "m", ["Nick"], None),
    ("Benjamin", "m", ["Ben"], None),
    ("Samuel", "m", ["Sam"], None),
    ("Henry", "m", ["Hank", "Harry"], None),
    ("Lawrence", "m", ["Larry"], None),
    ("Theodore", "m", ["Ted", "Teddy", "Theo"], None),
    ("Andrew", "m", ["Andy", "Drew"], None),
    ("Gregory", "m", ["Greg"], None),
    ("Stephen", "m", ["Steve"], None),
    ("Timothy", "m", ["Tim"], None),
    ("Patrick", "m", ["Pat", "Paddy"], None),
    ("Frederick", "m", ["Fred", "Freddie"], None),
    ("Douglas", "m", ["Doug"], None),
    ("Raymond", "m", ["Ray"], None),
    ("Walter", "m", ["Walt", "Wally"], None),
    ("Gerald", "m", ["Jerry", "Gerry"], None),
    ("Kenneth", "m", ["Ken", "Kenny"], None),
    ("Donald", "m", ["Don", "Donnie"], None),
    ("Ronald", "m", ["Ron", "Ronnie"], None),
    ("Leonard", "m", ["Len", "Lenny"], None),
    ("Eugene", "m", ["Gene"], None),
    ("Jeffrey", "m", ["Jeff"], None),
    ("Albert", "m", ["Al"], None),
    ("Peter", "m", ["Pete"], None),
    ("Margaret", "f", ["Peggy", "Maggie", "Meg", "Marge"], None),
    ("Elizabeth", "f", ["Liz", "Beth", "Betty", "Lizzie", "Betsy"], None),
    ("Katherine", "f", ["Kate", "Kathy", "Katie", "Kay"], None),
    ("Catherine", "f", ["Cathy", "Kate"], None),
    ("Patricia", "f", ["Pat", "Patty", "Trish"], None),
    ("Jennifer", "f", ["Jen", "Jenny"], None),
    ("Susan", "f", ["Sue", "Suzy"], None),
    ("Deborah", "f", ["Debbie", "Deb"], None),
    ("Rebecca", "f", ["Becky", "Becca"], None),
    ("Dorothy", "f", ["Dot", "Dottie"], None),
    ("Barbara", "f", ["Barb", "Babs"], None),
    ("Victoria", "f", ["Vicky", "Tori"], None),
    ("Jessica", "f", ["Jess", "Jessie"], None),
    ("Abigail", "f", ["Abby"], None),
    ("Alexandra", "f", ["Alex", "Lexie", "Sandy"], None),
    ("Kimberly", "f", ["Kim"], None),
    ("Pamela", "f", ["Pam"], None),
    ("Sandra", "f", ["Sandy"], None),
    ("Judith", "f", ["Judy"], None),
    ("Cynthia", "f", ["Cindy"], None),
    ("Mary", "f", ["Molly", "Polly"], None),
    ("Sarah", "f", ["Sally"], None),
    ("Eleanor", "f", ["Nell", "Ellie"], None),
    ("Theresa", "f", ["Tess", "Terry"], None),
    ("Virginia", "f", ["Ginny"], None),
    ("Jacqueline", "f", ["Jackie"], None),
]

HYPO["fr"] = [
    ("Jean-Baptiste", "m", ["JB"], None),
    ("Jean-Pierre", "m", ["JP"], None),
    ("André", "m", ["Dédé"], None),
    ("Emmanuel", "m", ["Manu"], None),
    ("François", "m", ["Fanfan"], None),
    ("Pierre", "m", ["Pierrot"], None),
    ("Jean", "m", ["Jeannot"], None),
    ("Joseph", "m", ["Jojo"], None),
    ("Frédéric", "m", ["Fred"], ["FR"]),
    ("Nicolas", "m", ["Nico"], None),
    ("Sébastien", "m", ["Seb"], ["FR"]),
    ("Stéphane", "m", ["Steph"], ["FR"]),
    ("Christophe", "m", ["Chris"], ["FR"]),
    ("Maxime", "m", ["Max"], ["FR"]),
    ("Élisabeth", "f", ["Babette"], ["FR"]),
    ("Isabelle", "f", ["Zaza"], ["FR"]),
    ("Nathalie", "f", ["Nath"], ["FR"]),
    ("Véronique", "f", ["Véro"], ["FR"]),
    ("Caroline", "f", ["Caro"], ["FR"]),
    ("Emmanuelle", "f", ["Manue"], ["FR"]),
    ("Françoise", "f", ["Fanfan"], ["FR"]),
    ("Valérie", "f", ["Val"], ["FR"]),
    ("Stéphanie", "f", ["Steph"], ["FR"]),
    ("Fatoumata", "f", ["Fatou"], ["SN", "CI"]),
]

HYPO["ru"] = [
    ("Aleksandr", "m", ["Sasha", "Shura", "Sanya"], ["RU"]),
    ("Mikhail", "m", ["Misha"], None),
    ("Dmitriy", "m", ["Dima", "Mitya"], ["RU"]),
    ("Vladimir", "m", ["Volodya", "Vova"], ["RU"]),
    ("Nikolay", "m", ["Kolya"], ["RU"]),
    ("Aleksey", "m", ["Lyosha", "Alyosha"], ["RU"]),
    ("Yevgeniy", "m", ["Zhenya"], None),
    ("Ivan", "m", ["Vanya"], None),
    ("Sergey", "m", ["Seryozha"], ["RU"]),
    ("Pavel", "m", ["Pasha"], None),
    ("Yuriy", "m", ["Yura"], None),
    ("Anatoliy", "m", ["Tolya"], None),
    ("Viktor", "m", ["Vitya"], None),
    ("Vasiliy", "m", ["Vasya"], None),
    ("Konstantin", "m", ["Kostya"], None),
    ("Vyacheslav", "m", ["Slava"], None),
    ("Grigoriy", "m", ["Grisha"], None),
    ("Boris", "m", ["Borya"], None),
    ("Pyotr", "m", ["Petya"], ["RU"]),
    ("Fyodor", "m", ["Fedya"], ["RU"]),
    ("Valeriy", "m", ["Valera"], None),
    ("Gennadiy", "m", ["Gena"], None),
    ("Yakov", "m", ["Yasha"], None),
    ("Oleksandr", "m", ["Sasha"], ["UA"]),
    ("Volodymyr", "m", ["Volodya", "Vova"], ["UA"]),
    ("Mykola", "m", ["Kolya"], ["UA"]),
    ("Dmytro", "m", ["Dima"], ["UA"]),
    ("Oleksiy", "m", ["Lyosha"], ["UA"]),
    ("Aleksandra", "f", ["Sasha", "Shura"], ["RU"]),
    ("Natalya", "f", ["Natasha"], ["RU"]),
    ("Yekaterina", "f", ["Katya"], ["RU"]),
    ("Mariya", "f", ["Masha"], None),
    ("Tatyana", "f", ["Tanya"], ["RU"]),
    ("Yevgeniya", "f", ["Zhenya"], None),
    ("Olga", "f", ["Olya"], None),
    ("Anna", "f", ["Anya"], None),
    ("Yelena", "f", ["Lena"], None),
    ("Svetlana", "f", ["Sveta"], None),
    ("Irina", "f", ["Ira"], None),
    ("Lyudmila", "f", ["Lyuda"], None),
    ("Galina", "f", ["Galya"], None),
    ("Nadezhda", "f", ["Nadya"], None),
    ("Valentina", "f", ["Valya"], None),
    ("Anastasiya", "f", ["Nastya"], None),
    ("Darya", "f", ["Dasha"], None),
    ("Tetyana", "f", ["Tanya"], ["UA"]),
    ("Nataliya", "f", ["Natasha"], ["UA"]),
]

HYPO["ar"] = [
    ("Muhammad", "m", ["Hamoudi", "Hamada"], ["SY", "JO", "IQ", "LB"]),
    ("Mohamed", "m", ["Hamada", "Hamoudi"], ["EG", "MA"]),
    ("Mahmoud", "m", ["Hamoudi", "Hamada"], None),
    ("Ibrahim", "m", ["Barhoum", "Abu Khalil"], ["SY", "JO", "LB"]),
    ("Hussein", "m", ["Abu Ali"], ["SY", "JO", "IQ", "LB"]),
    ("Abdullah", "m", ["Abboud", "Abdo"], None),
    ("Fatima", "f", ["Fattoum", "Fattouma"], None),
    ("Khadija", "f", ["Khaddouj"], ["MA"]),
]

# ---------------------------------------------------------------------------
# Surnames per tradition
# ---------------------------------------------------------------------------

ES_SUR = ("García Martínez López Hernández González Pérez Rodríguez Sánchez "
          "Ramírez Flores Gómez Díaz Reyes Morales Ortiz Gutiérrez Chávez "
          "Ramos Ruiz Jiménez Mendoza Álvarez Castillo Vásquez Romero Herrera "
          "Medina Aguilar Vargas Castro Guzmán Rojas Méndez Muñoz Salazar "
          "Moreno Contreras Domínguez Figueroa Estrada Orellana Portillo Mejía "
          "Cárdenas Velásquez Zelaya Osorio Benítez Cabrera Navarro Quintero "
          "Ochoa Pineda Ríos Barrera Villanueva").split()

PT_SUR = ("Silva Santos Oliveira Souza Pereira Costa Rodrigues Almeida "
          "Nascimento Lima Araújo Fernandes Carvalho Gomes Martins Rocha "
          "Ribeiro Alves Monteiro Mendes Barbosa Cardoso Teixeira Correia "
          "Gonçalves Conceição Magalhães Simões Brandão Moura Batista Freitas "
          "Pinto Cavalcanti Azevedo Machado").split()

EN_SUR = ("Smith Johnson Brown Jones Miller Davis Wilson Anderson Taylor Moore "
          "Martin Thompson White Harris Clark Lewis Robinson Walker Young "
          "Allen King Wright Scott Green Baker Adams Nelson Hill Campbell "
          "Mitchell Carter Phillips Evans Turner Parker Collins Stewart Morris "
          "Murphy Cook Morgan Cooper Reed Bailey Bell Kelly Howard Ward Wood "
          "Watson Brooks Bennett Gray Hughes Price Sanders Myers Ross Foster "
          "Powell Jenkins Perry Russell Sullivan Fisher Ellis Harrison Gibson "
          "Graham Murray Fraser").split()

FR_SUR = {
    "FR": ("Martin Bernard Dubois Petit Durand Leroy Moreau Simon Laurent "
           "Lefebvre Roux Fournier Girard Bonnet Dupont Lambert Fontaine "
           "Rousseau Chevalier Lefèvre Mercier Faure Blanc Guérin Boyer "
           "Garnier Lemaître Hébert Bouchard Perrin").split(),
    "HT": ("Dorval Exantus Célestin Estimé Lafontant Desrosiers Jeudy Destin "
           "Cadet Vilsaint Augustin Bastien Métellus Alcindor Dorvil "
           "Saintil").split(),
    "SN": ("Diop Ndiaye Fall Diallo Faye Gueye Sarr Seck Mbaye Diouf Thiam "
           "Cissé Kane Niang Sow Mendy").split(),
    "CI": ("Kouassi Koné Kouamé Konan Ouattara Traoré Bamba Coulibaly Touré "
           "Diabaté Kouadio Yao Yapi Gnagne").split(),
    "CM": ("Mbarga Fotso Kamga Ngono Essomba Atangana Tchamba Owona Mballa "
           "Ndongo Kengne Tchinda Nkodo Etoundi").split(),
    "CD": ("Tshibangu Mukendi Kalonji Mbuyi Ilunga Kasongo Lukusa Mulumba "
           "Kabongo Mwamba Ngoy Banza Kazadi Lumbala").split(),
}

RU_SUR = ("Ivanov Smirnov Kuznetsov Popov Vasilyev Petrov Sokolov Mikhaylov "
          "Novikov Fedorov Morozov Volkov Alekseyev Lebedev Semenov Yegorov "
          "Pavlov Kozlov Stepanov Nikolayev Orlov Andreyev Makarov Zakharov "
          "Zaytsev Solovyev Borisov Romanov Vorobyev Frolov Belov Gusev "
          "Kovalev Tarasov Zhukov Kiselev Komarov Vinogradov Kotov "
          "Kovalevskiy").split()
UA_SUR = ("Kovalenko Shevchenko Bondarenko Tkachenko Kravchenko Melnyk Boyko "
          "Kovalchuk Polishchuk Savchenko Moroz Lysenko Marchenko Rudenko "
          "Petrenko Oliynyk Shevchuk Ivanov Petrov Kozlov").split()

AR_SUR = ("Haddad Mansour Saleh Nasser Darwish Hamdan Jaber Yassin Najjar "
          "Khatib Awad Shalaby Fahmy Othman Suleiman Qassem Bakri Sabbagh "
          "Haddadin Tamimi Karam Hijazi Zoabi Rifai Sharif Barakat Ghanem "
          "Habib Moussa Obeid").split()
MA_SUR = ("Bennani Tazi Berrada Alaoui Chraibi Tahiri Lahlou Ouazzani "
          "Sabri Amrani Saidi Ziani Bouzid Moussa Habib Saleh").split()


def _surnames(lang, cc, gender):
    if lang == "es":
        return ES_SUR
    if lang == "pt":
        return PT_SUR
    if lang == "en":
        return EN_SUR
    if lang == "fr":
        return FR_SUR[cc]
    if lang == "ru":
        pool = RU_SUR if cc == "RU" else UA_SUR
        return [_ru_fem(s) for s in pool] if gender == "f" else pool
    return MA_SUR if cc == "MA" else AR_SUR


def _family(rng, lang, cc, gender):
    """A record family name in the tradition's usual shape."""
    pool = _surnames(lang, cc, gender)
    a = rng.choice(pool)
    two = lang == "es" or (lang == "pt" and rng.random() < 0.7)
    if two:
        b = rng.choice(pool)
        while not _different(a, b):
            b = rng.choice(pool)
        return a + " " + b
    return a


def _other_family(rng, lang, cc, gender, fam):
    """A clearly different family name of the same shape."""
    pool = _surnames(lang, cc, gender)
    parts = fam.split(" ")
    new = []
    for _ in parts:
        for _ in range(100):
            s = rng.choice(pool)
            if all(_different(s, p) for p in parts + new):
                break
        new.append(s)
    return " ".join(new)


def _lang_pick(rng, weights):
    x = rng.random() * sum(w for _, w in weights)
    for lang, w in weights:
        x -= w
        if x < 0:
            return lang
    return weights[-1][0]


def _entry_country(rng, lang, entry):
    return rng.choice(entry[3] or COUNTRIES[lang])

NO_CROSS |= {"JB", "JP", "Anya", "Kay"}

HYPO_W = [("es", 26), ("en", 20), ("pt", 15), ("fr", 14), ("ru", 15),
          ("ar", 10)]


def _hypo_match(rng, R):
    lang = _lang_pick(rng, HYPO_W)
    e = rng.choice(HYPO[lang])
    cc = _entry_country(rng, lang, e)
    given, gender = e[0], e[1]
    nick = rng.choice(e[2])
    fam = _family(rng, lang, cc, gender)
    qf = fam
    note = "%s hypocorism %s for %s" % (lang, nick, given)
    if rng.random() < 0.5:
        parts = fam.split(" ")
        opts = []
        if len(parts) == 2:
            opts.append("drop")
        if _has_accent(fam):
            opts.append("accent")
        t = _typo(rng, fam)
        if t:
            opts.append("typo")
        if not opts:
            return
        o = rng.choice(opts)
        if o == "drop" and lang == "pt":
            # Portuguese order is mother's then father's surname; people
            # go by the last one.
            qf = parts[1]
            note += " + first (maternal) surname dropped"
        elif o == "drop":
            qf = parts[0]
            note += " + second surname dropped"
        elif o == "accent":
            qf = _strip(fam)
            note += " + surname accent dropped"
        else:
            qf = t[0]
            note += " + surname typo (%s)" % t[1]
    R.add("hypocorism", "match", given, fam, cc, nick, qf, note)


def _own_forms(lang, given):
    """Every familiar form of given or of a name spelled nearly like it."""
    own = set()
    for o in HYPO[lang]:
        if o[0] == given or _lev(o[0], given) <= 2:
            own |= {_key(n) for n in o[2]}
    return own


def _hypo_nomatch(rng, R):
    lang = _lang_pick(rng, HYPO_W)
    e = rng.choice(HYPO[lang])
    cc = _entry_country(rng, lang, e)
    given, gender = e[0], e[1]
    fam = _family(rng, lang, cc, gender)
    if rng.random() < 0.5:
        own = _own_forms(lang, given)
        cands = []
        for o in HYPO[lang]:
            if o[1] != gender or _lev(o[0], given) <= 2:
                continue
            for n in o[2]:
                kn = _key(n)
                if (n in NO_CROSS or kn in own or kn in _key(given)
                        or _grams(n) & _grams(given)):
                    continue
                cands.append((n, o[0]))
        if not cands:
            return
        n, src = rng.choice(cands)
        R.add("hypocorism", "nomatch", given, fam, cc, n, fam,
              "%s: %s is for %s, record is %s" % (lang, n, src, given))
    else:
        nick = rng.choice(e[2])
        of = _other_family(rng, lang, cc, gender, fam)
        R.add("hypocorism", "nomatch", given, fam, cc, nick, of,
              "%s: right hypocorism %s, different surname" % (lang, nick))


# ---------------------------------------------------------------------------
# Abbreviations: clerical short forms and single initials
# ---------------------------------------------------------------------------

ABBR = {
    "es": {"Francisco": ["Fco."], "Guillermo": ["Gmo."], "Juan": ["Jno."],
           "Fernando": ["Fdo."], "Antonio": ["Ant."], "María": ["Ma.", "Mª"],
           "Guadalupe": ["Gpe."]},
    "en": {"William": ["Wm."], "Charles": ["Chas."], "Thomas": ["Thos."],
           "James": ["Jas."], "George": ["Geo."], "Robert": ["Robt."],
           "Benjamin": ["Benj."], "Samuel": ["Saml."], "Edward": ["Edw."],
           "John": ["Jno."], "Joseph": ["Jos."], "Daniel": ["Danl."],
           "Richard": ["Richd."], "Frederick": ["Fredk."],
           "Nathaniel": ["Nathl."], "Elizabeth": ["Eliz."]},
}
ABBR_GENDER = {"María": "f", "Guadalupe": "f", "Elizabeth": "f"}

NAMES = {
    ("es", "m"): ("Juan José Luis Carlos Jorge Miguel Pedro Manuel Francisco "
                  "Antonio Javier Ricardo Raúl Sergio Fernando Eduardo "
                  "Alejandro Roberto Mario Héctor Víctor Rubén Julio Felipe "
                  "Gerardo Gustavo Guillermo Gilberto Arturo Andrés").split(),
    ("es", "f"): ("María Ana Rosa Carmen Guadalupe Patricia Elena Lucía Teresa "
                  "Sofía Gabriela Verónica Claudia Silvia Adriana Laura Isabel "
                  "Juana Leticia Norma Sandra Marta Margarita").split(),
    ("pt", "m"): ("João José Antônio Francisco Carlos Paulo Pedro Lucas Luiz "
                  "Marcos Rafael Thiago Bruno Eduardo Sérgio").split(),
    ("pt", "f"): ("Maria Ana Francisca Juliana Adriana Márcia Fernanda "
                  "Patrícia Aline Sandra Camila Luciana").split(),
    ("en", "m"): ("John James Robert Michael William David Richard Joseph "
                  "Thomas Charles Daniel Mark Paul Steven Kevin Brian George "
                  "Edward Gary Ronald Walter Samuel Benjamin Frederick "
                  "Nathaniel").split(),
    ("en", "f"): ("Mary Patricia Jennifer Linda Elizabeth Barbara Susan "
                  "Jessica Sarah Karen Nancy Lisa Margaret Betty Sandra Donna "
                  "Carol Ruth Sharon Michelle").split(),
}
SECOND = {
    ("es", "m"): ["Javier", "Carlos", "Luis", "Manuel", "Alberto", "José",
                  "Ramón", "Eduardo", "Miguel", "Daniel", "Antonio",
                  "Francisco", "Guadalupe"],
    ("es", "f"): ["del Carmen", "de Jesús", "Guadalupe", "Elena", "Isabel",
                  "Teresa", "Luisa", "de los Ángeles", "Fernanda", "José"],
    ("pt", "m"): ["Carlos", "Henrique", "Eduardo", "Roberto", "Luiz",
                  "Augusto"],
    ("pt", "f"): ["Aparecida", "Cristina", "Eduarda", "Luiza", "Clara"],
    ("en", "m"): ["Henry", "Lee", "Allen", "Ray", "Wayne", "Edward", "James",
                  "Thomas", "Michael", "Joseph", "Paul", "Eugene", "Dean"],
    ("en", "f"): ["Ann", "Marie", "Lynn", "Jean", "Louise", "Rose", "Mae",
                  "Elizabeth", "Grace"],
}


def _initial(word):
    return _strip(word)[0].upper() + "."


def _abbr_given(rng, lang, gender):
    """A record given name (list of words) holding an abbreviable name."""
    firsts = [n for n in ABBR[lang] if ABBR_GENDER.get(n, "m") == gender
              or (n == "Guadalupe" and gender == "m")]
    if lang == "es" and gender == "m":
        firsts = [n for n in firsts if n != "Guadalupe"] + ["José"]
    w1 = rng.choice(firsts)
    words = [w1]
    if w1 == "María" or rng.random() < 0.5 or w1 not in ABBR[lang]:
        for _ in range(20):
            w2 = rng.choice(SECOND[(lang, gender)])
            if w2 != w1 and (w1 == "María" or " " not in w2):
                break
        words.append(w2)
    pos = [i for i, w in enumerate(words) if w in ABBR[lang]]
    return words, pos


def _abbr_match(rng, R):
    clerical = rng.random() < 0.6
    lang = rng.choice(("es", "en") if clerical else ("es", "en", "pt"))
    gender = "f" if rng.random() < 0.4 else "m"
    cc = rng.choice(COUNTRIES[lang])
    fam = _family(rng, lang, cc, gender)
    if clerical:
        words, pos = _abbr_given(rng, lang, gender)
        if not pos:
            return
        i = rng.choice(pos)
        ab = rng.choice(ABBR[lang][words[i]])
        short = words[:i] + [ab] + words[i + 1:]
        what = "%s for %s" % (ab, words[i])
    else:
        first = rng.choice(NAMES[(lang, gender)])
        words = [first]
        if lang == "en" or rng.random() < 0.5:
            words.append(rng.choice([w for w in SECOND[(lang, gender)]
                                     if w != first and " " not in w]))
        i = rng.randrange(len(words))
        short = words[:i] + [_initial(words[i])] + words[i + 1:]
        if len(words) - 1 + len(fam.split(" ")) < 2:
            return
        what = "initial %s for %s" % (short[i], words[i])
    full, abbr = " ".join(words), " ".join(short)
    if rng.random() < 0.25:
        R.add("abbreviation", "match", abbr, fam, cc, full, fam,
              "%s: %s in record, full in query" % (lang, what))
    else:
        R.add("abbreviation", "match", full, fam, cc, abbr, fam,
              "%s: %s in query" % (lang, what))


def _abbr_nomatch(rng, R):
    lang = rng.choice(("es", "en"))
    gender = "f" if rng.random() < 0.4 else "m"
    cc = rng.choice(COUNTRIES[lang])
    fam = _family(rng, lang, cc, gender)
    x = rng.choice(NAMES[(lang, gender)])
    words = [x]
    if rng.random() < 0.5:
        words.append(rng.choice([w for w in SECOND[(lang, gender)]
                                 if w != x]))
    if rng.random() < 0.6:
        cands = [(a, y) for y, abs_ in ABBR[lang].items() for a in abs_
                 if ABBR_GENDER.get(y, "m") == gender and y not in words
                 and not _subseq(a, x) and _lev(x, y) > 2]
        if not cands:
            return
        ab, y = rng.choice(cands)
        what = "%s is %s, record is %s" % (ab, y, x)
    else:
        if lang == "en" and len(words) < 2:
            # an initial must stand beside at least two full name words
            words.append(rng.choice([w for w in SECOND[(lang, gender)]
                                     if w != x]))
        letters = sorted({_initial(n) for n in NAMES[(lang, gender)]}
                         - {_initial(x)})
        ab = rng.choice(letters)
        what = "initial %s, record is %s" % (ab, x)
    other = " ".join([ab] + words[1:])
    full = " ".join(words)
    if rng.random() < 0.25:
        R.add("abbreviation", "nomatch", other, fam, cc, full, fam,
              "%s: %s (abbreviated in record)" % (lang, what.replace(
                  "record is", "query is")))
    else:
        R.add("abbreviation", "nomatch", full, fam, cc, other, fam,
              "%s: %s" % (lang, what))


# ---------------------------------------------------------------------------
# Particles: surname particles and Arabic theophoric given names
# ---------------------------------------------------------------------------

# kind -> list of (particle, root, may the particle be dropped?)
PART = {
    "nl": [(p, r, False) for p, r in [
        ("van", "Dijk"), ("van den", "Berg"), ("van der", "Meer"),
        ("de", "Jong"), ("de", "Vries"), ("van der", "Linden"),
        ("van", "Leeuwen"), ("de", "Boer"), ("van der", "Heijden"),
        ("van den", "Bosch"), ("de", "Groot"), ("van", "Beek"),
        ("van der", "Veen"), ("de", "Wit"), ("van", "Vliet"), ("van", "Dam"),
        ("van der", "Wal"), ("de", "Graaf"), ("van den", "Broek"),
        ("van", "Wijk"), ("de", "Haan"), ("van der", "Laan")]],
    "be": [(p, r, False) for p, r in [
        ("Van", "Damme"), ("De", "Smet"), ("Van de", "Velde"),
        ("De", "Backer"), ("Van den", "Broeck"), ("De", "Clercq"),
        ("Van", "Hoof"), ("De", "Wilde"), ("Van", "Acker"),
        ("De", "Coninck"), ("Van de", "Walle"), ("Van", "Hecke")]],
    "de": [("von", r, True) for r in
           "Müller Stein Brandt Hagen Bergen Rohr Falkenberg Lindner".split()],
    "es": [("De la", "Cruz", True), ("Del", "Toro", False),
           ("De", "León", False), ("De la", "Rosa", True),
           ("De la", "Torre", True), ("Del", "Río", False),
           ("De los", "Santos", True), ("Del", "Valle", True),
           ("De la", "Fuente", True), ("Del", "Castillo", True),
           ("De la", "Paz", False), ("Del", "Ángel", False),
           ("De la", "Garza", True)],
    "pt": [("dos", "Santos", True), ("da", "Silva", True),
           ("de", "Souza", True), ("de", "Oliveira", True),
           ("dos", "Reis", True), ("da", "Costa", True),
           ("do", "Nascimento", True), ("das", "Neves", True),
           ("da", "Conceição", True), ("de", "Jesus", False),
           ("da", "Cruz", True), ("de", "Almeida", True),
           ("de", "Lima", True), ("da", "Rocha", True)],
    "al": [("Al", r, True) for r in
           ("Masri Hashimi Khatib Hakim Baghdadi Halabi Kurdi Jabouri Obeidi "
            "Hamwi Fassi Alami Idrissi Amrani Mansouri Banna Husseini "
            "Khalidi Qubaisi Ani Mahdi Azhari Kabbani").split()],
    "bin": [("bin", r, True) for r in
            "Mahfouz Saleh Omar Khalid Hamad Salem Awad Talal".split()],
    "ben": [("Ben", r, False) for r in
            "Jelloun Salah Youssef Omar Said Moussa Abdallah Kirane Brahim "
            "Hamou".split()],
    "abu": [("Abu", r, False) for r in
            "Zeid Khalil Saleh Hamdan Ghazaleh Samra Eid Hashem Odeh "
            "Taha".split()],
}
PART_CC = {"nl": ["NL"], "be": ["BE"], "de": ["DE"], "es": COUNTRIES["es"],
           "pt": COUNTRIES["pt"], "al": COUNTRIES["ar"],
           "bin": ["IQ", "JO"], "ben": ["MA"],
           "abu": ["JO", "SY", "LB", "EG"]}
PART_W = [("nl", 12), ("be", 8), ("de", 6), ("es", 16), ("pt", 14),
          ("al", 14), ("bin", 4), ("ben", 5), ("abu", 6), ("abd", 20)]

GIVEN = {
    ("nl", "m"): "Jan Pieter Willem Hendrik Johannes Kees Daan Bram Lucas "
                 "Sander Joost".split(),
    ("nl", "f"): "Sanne Anna Maria Lotte Emma Sophie Eva Femke Anouk "
                 "Inge".split(),
    ("be", "m"): "Luc Marc Koen Pieter Jan Bart Wim Tom Dirk Stijn".split(),
    ("be", "f"): "Els An Katrien Sofie Lien Veerle Hilde".split(),
    ("de", "m"): "Hans Klaus Jürgen Stefan Michael Andreas Thomas Wolfgang "
                 "Uwe".split(),
    ("de", "f"): "Katrin Petra Sabine Monika Claudia Ursula Anja".split(),
    ("ar", "m"): "Mohamed Ahmed Omar Khaled Youssef Hassan Ali Mahmoud "
                 "Mustafa Ibrahim Karim Tarek Samir Nabil Walid".split(),
    ("ar", "f"): "Fatima Amina Mariam Layla Nour Rania Huda Salma Yasmin "
                 "Zainab".split(),
}

# Arabic theophoric names: every spelling of one name in one list.
ABD = {
    "rahman": ["Abdulrahman", "Abd al-Rahman", "Abdel Rahman", "Abdelrahman",
               "Abdul Rahman", "Abdurrahman", "Abderrahmane"],
    "rahim": ["Abdulrahim", "Abd al-Rahim", "Abdel Rahim", "Abdelrahim",
              "Abdul Rahim", "Abderrahim"],
    "qadir": ["Abdelkader", "Abdul Qadir", "Abd al-Qadir", "Abdulkadir",
              "Abdel Kader", "Abdulqadir"],
    "allah": ["Abdullah", "Abdallah", "Abd Allah", "Abdellah", "Abdulla"],
    "aziz": ["Abdelaziz", "Abdul Aziz", "Abdulaziz", "Abd al-Aziz",
             "Abdel Aziz"],
    "karim": ["Abdelkarim", "Abdul Karim", "Abdulkarim", "Abd al-Karim",
              "Abdel Karim"],
    "hamid": ["Abdelhamid", "Abdul Hamid", "Abdulhamid", "Abd al-Hamid",
              "Abdel Hamid"],
    "latif": ["Abdellatif", "Abdul Latif", "Abdullatif", "Abd al-Latif",
              "Abdel Latif"],
    "majid": ["Abdelmajid", "Abdul Majid", "Abdulmajid", "Abd al-Majid",
              "Abdel Majid"],
    "ghani": ["Abdelghani", "Abdul Ghani", "Abdulghani", "Abd al-Ghani"],
    "halim": ["Abdelhalim", "Abdul Halim", "Abd al-Halim", "Abdel Halim"],
    "wahab": ["Abdelwahab", "Abdul Wahab", "Abdulwahab", "Abd al-Wahhab"],
    "salam": ["Abdessalam", "Abdul Salam", "Abdelsalam", "Abd al-Salam",
              "Abdulsalam"],
    "jalil": ["Abdeljalil", "Abdul Jalil", "Abduljalil", "Abd al-Jalil"],
}
# Look-alike pairs used preferentially for nomatch rows.
ABD_NEAR = [("rahman", "rahim"), ("aziz", "qadir"), ("allah", "karim"),
            ("hamid", "halim"), ("majid", "jalil"), ("latif", "salam"),
            ("ghani", "karim")]


def _pforms(kind, particle, root, drop, cc):
    """{written form: how it is written} for one particle surname."""
    f = {}
    if kind in ("nl", "be"):
        f[particle + " " + root] = "apart"
        f[(particle.replace(" ", "") + root).lower().capitalize()] = "joined"
        if " " in particle:
            f[particle.replace(" ", "").capitalize() + " " + root] = \
                "particle words joined"
    elif kind in ("es", "pt"):
        f[particle + " " + root] = "apart"
        f[_strip(particle.replace(" ", "") + root.lower()).capitalize()] = \
            "joined"
    elif kind == "de":
        f[particle + " " + root] = "apart"
    elif kind == "al":
        if cc == "EG":
            f["El-" + root] = "El-"
        elif cc == "MA":
            f["El " + root] = "El"
        else:
            f["Al-" + root] = "Al-"
        for k, v in (("Al-", "Al-"), ("El-", "El-"), ("Al", "joined Al"),
                     ("El", "joined El")):
            f.setdefault(k + (root.lower() if len(k) == 2 else root), v)
    elif kind == "bin":
        f["bin " + root] = "bin"
        f["Bin" + root.lower()] = "joined bin"
    elif kind == "ben":
        f["Ben " + root] = "Ben apart"
        f["Ben" + root.lower()] = "Ben joined"
    elif kind == "abu":
        a = "Abou" if cc == "EG" else "Abu"
        f[a + " " + root] = a
        f["Abu" + root.lower()] = "Abu joined"
        f["Abou" + root.lower()] = "Abou joined"
        f.setdefault("Abu " + root, "Abu")
    if drop:
        f[root] = "particle dropped"
    return f


def _pnorm(s):
    return _key(s).replace("-", " ")


def _pgiven(rng, kind, gender):
    if kind in ("es", "pt"):
        return rng.choice(NAMES[(kind, gender)])
    if kind in ("nl", "be", "de"):
        return rng.choice(GIVEN[(kind, gender)])
    return rng.choice(GIVEN[("ar", gender)])


def _part_row(rng, R, label):
    kind = _lang_pick(rng, PART_W)
    gender = "f" if rng.random() < 0.4 else "m"
    if kind == "abd":
        return _abd_row(rng, R, label)
    cc = rng.choice(PART_CC[kind])
    given = _pgiven(rng, kind, gender)
    p, root, drop = rng.choice(PART[kind])
    forms = _pforms(kind, p, root, drop, cc)
    rec_forms = [s for s, v in forms.items() if v != "particle dropped"]
    rec = rec_forms[0] if rng.random() < 0.6 else rng.choice(rec_forms)
    other = None
    if kind in ("es", "pt") and rng.random() < 0.5:
        pool = ES_SUR if kind == "es" else PT_SUR
        other = rng.choice(pool)
        while not _different(other, root):
            other = rng.choice(pool)
    # Portuguese keeps the particle surname (paternal) last.
    first = kind == "es" and rng.random() < 0.5

    def fam(part, oth):
        if oth is None:
            return part
        return (part + " " + oth) if first else (oth + " " + part)

    if label == "match":
        qs = [s for s in forms if _pnorm(s) != _pnorm(rec)]
        if not qs:
            return
        q = rng.choice(qs)
        note = "%s particle: %s ~ %s (%s)" % (kind, rec, q, forms[q])
        R.add("particle", "match", given, fam(rec, other), cc, given,
              fam(q, other), note)
        return
    for _ in range(50):
        p2, root2, drop2 = rng.choice(PART[kind])
        if _different(root, root2):
            break
    else:
        return
    f2 = _pforms(kind, p2, root2, drop2, cc)
    q = rng.choice(list(f2))
    oth2 = None
    if other is not None:
        pool = ES_SUR if kind == "es" else PT_SUR
        for _ in range(100):
            oth2 = rng.choice(pool)
            if all(_different(oth2, w) for w in (other, root, root2)):
                break
    note = "%s particle: different surname %s vs %s" % (kind, rec, q)
    R.add("particle", "nomatch", given, fam(rec, other), cc, given,
          fam(q, oth2), note)


def _abd_row(rng, R, label):
    cc = rng.choice(COUNTRIES["ar"])
    fam = rng.choice(MA_SUR if cc == "MA" else AR_SUR)
    grp = rng.choice(sorted(ABD))
    rec = rng.choice(ABD[grp])
    if label == "match":
        qs = [s for s in ABD[grp] if _pnorm(s) != _pnorm(rec)]
        q = rng.choice(qs)
        R.add("particle", "match", rec, fam, cc, q, fam,
              "theophoric Abd name: %s ~ %s" % (rec, q))
        return
    if rng.random() < 0.6:
        a, b = rng.choice(ABD_NEAR)
        if rng.random() < 0.5:
            a, b = b, a
        rec = rng.choice(ABD[a])
    else:
        b = rng.choice([g for g in sorted(ABD) if g != grp])
    q = rng.choice(ABD[b])
    R.add("particle", "nomatch", rec, fam, cc, q, fam,
          "theophoric Abd name: %s vs %s, different name" % (rec, q))


_GEN = {
    ("hypocorism", "match"): _hypo_match,
    ("hypocorism", "nomatch"): _hypo_nomatch,
    ("abbreviation", "match"): _abbr_match,
    ("abbreviation", "nomatch"): _abbr_nomatch,
    ("particle", "match"): lambda rng, R: _part_row(rng, R, "match"),
    ("particle", "nomatch"): lambda rng, R: _part_row(rng, R, "nomatch"),
}


def rows(rng):
    R = _Rows()
    for key in sorted(_GEN):
        gen = _GEN[key]
        tries = 0
        while R.n(*key) < TARGET and tries < TARGET * 50:
            tries += 1
            gen(rng, R)
    return R.out
