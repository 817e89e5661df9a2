"""Han, Iberian and exact-name pairs for the matching evaluation set.

Three families of labelled query/record pairs, authored from public naming
conventions (common names; no real individual intended):

* han      -- Chinese names in characters (simplified for CN/SG, traditional
              for TW/HK), Hanyu Pinyin, Wade-Giles without apostrophes, Hong
              Kong Cantonese and Hokkien surname spellings; Korean names in
              Hangul, Revised Romanisation and passport surname spellings.
* iberian  -- Spanish and Portuguese double surnames, spelling slips
              (-ez/-es, v/b, s/z, ll/y, h, j/g), dropped accents and ç,
              dropped second surname or second given name.
* exact    -- query identical to the record (match) or a clearly different
              person from the same country (nomatch), many scripts.

rows(rng) returns tuples
(family, label, record_given, record_family, country, query_given,
 query_family, note); label is "match" or "nomatch".
Deterministic for a given seeded random.Random; standard library only.
"""

import unicodedata

from edits import levenshtein

STYLES = ("joined", "hyphen", "spaced")


def _strip(s):
    """Drop diacritics: á->a, ç->c, ñ->n (Hangul is recomposed unchanged)."""
    d = unicodedata.normalize("NFD", s)
    d = "".join(c for c in d if unicodedata.category(c) != "Mn")
    return unicodedata.normalize("NFC", d)


_lev = levenshtein


def _norm(s):
    return _strip(s).lower().replace("-", "").replace(" ", "")


def _clearly_diff(a, b):
    """Conservative: different first letter, or different start and far."""
    a, b = _norm(a), _norm(b)
    if not a or not b or a == b:
        return False
    if a[0] != b[0]:
        return True
    return a[:3] != b[:3] and _lev(a, b) >= 4


def _cap(s):
    return s[:1].upper() + s[1:]


def _py(syl, style="joined"):
    """Romanised syllables: joined Xiuying, hyphen Xiu-ying, spaced Xiu Ying."""
    if len(syl) == 1:
        return _cap(syl[0])
    if style == "joined":
        return _cap(syl[0]) + "".join(syl[1:])
    if style == "hyphen":
        return "-".join([_cap(syl[0])] + list(syl[1:]))
    return " ".join(_cap(x) for x in syl)


def _swap(rng, qg, qf, note, p):
    """Family name typed first: it lands in query_given."""
    if rng.random() < p:
        return qf, qg, note + "; family name typed first"
    return qg, qf, note


def _lower(rng, qg, qf, note, p):
    if rng.random() < p:
        return qg.lower(), qf.lower(), note + "; lowercase"
    return qg, qf, note


def _pick(rng, table):
    fns = [t[0] for t in table]
    ws = [t[1] for t in table]
    return rng.choices(fns, ws)[0](rng)


# ---------------------------------------------------------------- Chinese
# characters (simplified), Hanyu Pinyin syllables, Wade-Giles syllables
# (umlauts and apostrophes dropped, as typed on an ordinary keyboard).
_CN_GIVEN_RAW = """
秀英 xiu-ying hsiu-ying
桂英 gui-ying kuei-ying
秀兰 xiu-lan hsiu-lan
桂兰 gui-lan kuei-lan
玉兰 yu-lan yu-lan
建国 jian-guo chien-kuo
建华 jian-hua chien-hua
志强 zhi-qiang chih-chiang
志明 zhi-ming chih-ming
国强 guo-qiang kuo-chiang
国华 guo-hua kuo-hua
海燕 hai-yan hai-yen
丽华 li-hua li-hua
美玲 mei-ling mei-ling
家豪 jia-hao chia-hao
俊峰 jun-feng chun-feng
子轩 zi-xuan tzu-hsuan
浩然 hao-ran hao-jan
文杰 wen-jie wen-chieh
志伟 zhi-wei chih-wei
晓东 xiao-dong hsiao-tung
晓燕 xiao-yan hsiao-yen
小红 xiao-hong hsiao-hung
春梅 chun-mei chun-mei
红梅 hong-mei hung-mei
金凤 jin-feng chin-feng
淑珍 shu-zhen shu-chen
淑芬 shu-fen shu-fen
雅婷 ya-ting ya-ting
怡君 yi-jun i-chun
家明 jia-ming chia-ming
明辉 ming-hui ming-hui
永强 yong-qiang yung-chiang
光明 guang-ming kuang-ming
宇航 yu-hang yu-hang
思远 si-yuan ssu-yuan
欣怡 xin-yi hsin-i
佳怡 jia-yi chia-i
雨轩 yu-xuan yu-hsuan
文华 wen-hua wen-hua
立新 li-xin li-hsin
振华 zhen-hua chen-hua
秀珍 xiu-zhen hsiu-chen
丽娟 li-juan li-chuan
伟 wei wei
明 ming ming
军 jun chun
勇 yong yung
静 jing ching
敏 min min
磊 lei lei
涛 tao tao
芳 fang fang
文 wen wen
"""

CN_GIVEN = []
for _line in _CN_GIVEN_RAW.strip().splitlines():
    _c, _p, _w = _line.split()
    CN_GIVEN.append((_c, _p.split("-"), _w.split("-")))

# characters, pinyin, Wade-Giles, Hong Kong Cantonese, Hokkien (None: not used)
CN_SURN = [
    ("王", "Wang", "Wang", "Wong", "Ong"),
    ("李", "Li", "Li", "Lee", "Lee"),
    ("张", "Zhang", "Chang", "Cheung", "Teo"),
    ("刘", "Liu", "Liu", "Lau", "Lau"),
    ("陈", "Chen", "Chen", "Chan", "Tan"),
    ("杨", "Yang", "Yang", "Yeung", "Yeo"),
    ("黄", "Huang", "Huang", "Wong", "Ng"),
    ("赵", "Zhao", "Chao", None, None),
    ("吴", "Wu", "Wu", "Ng", "Goh"),
    ("周", "Zhou", "Chou", "Chow", None),
    ("徐", "Xu", "Hsu", "Tsui", None),
    ("孙", "Sun", "Sun", None, None),
    ("马", "Ma", "Ma", None, None),
    ("朱", "Zhu", "Chu", None, None),
    ("胡", "Hu", "Hu", None, None),
    ("郭", "Guo", "Kuo", "Kwok", None),
    ("何", "He", "Ho", "Ho", None),
    ("林", "Lin", "Lin", "Lam", "Lim"),
    ("罗", "Luo", "Lo", "Law", None),
    ("郑", "Zheng", "Cheng", "Cheng", "Tay"),
    ("梁", "Liang", "Liang", "Leung", None),
    ("谢", "Xie", "Hsieh", "Tse", None),
    ("宋", "Song", "Sung", None, None),
    ("唐", "Tang", "Tang", None, None),
    ("许", "Xu", "Hsu", "Hui", "Koh"),
    ("蔡", "Cai", "Tsai", "Choi", "Chua"),
    ("曾", "Zeng", "Tseng", "Tsang", None),
    ("蒋", "Jiang", "Chiang", None, None),
    ("高", "Gao", "Kao", None, None),
]

# simplified -> traditional for every character above that differs
_TRAD = dict(p for p in (
    "张張 刘劉 陈陳 杨楊 黄黃 赵趙 吴吳 孙孫 马馬 罗羅 郑鄭 谢謝 许許 蒋蔣 "
    "兰蘭 国國 华華 强強 丽麗 杰傑 轩軒 伟偉 晓曉 红紅 凤鳳 辉輝 远遠 军軍 "
    "静靜 涛濤 东東").split())


def _trad(s):
    return "".join(_TRAD.get(c, c) for c in s)


def _cn_chars(s, country):
    return _trad(s) if country in ("TW", "HK") else s


# ---------------------------------------------------------------- Korean
_KR_GIVEN_RAW = """
민준 min-jun
서준 seo-jun
도윤 do-yun
예준 ye-jun
하준 ha-jun
지호 ji-ho
주원 ju-won
지훈 ji-hun
서연 seo-yeon
서윤 seo-yun
하은 ha-eun
민서 min-seo
수빈 su-bin
성민 seong-min
동현 dong-hyeon
은지 eun-ji
혜진 hye-jin
민호 min-ho
수진 su-jin
영호 yeong-ho
정훈 jeong-hun
"""
KR_GIVEN = []
for _line in _KR_GIVEN_RAW.strip().splitlines():
    _c, _r = _line.split()
    KR_GIVEN.append((_c, _r.split("-")))

# Hangul, Revised Romanisation (None: not used for records), passport forms
KR_SURN = [
    ("김", "Gim", ["Kim"]),
    ("이", None, ["Lee", "Yi", "Rhee"]),
    ("박", "Bak", ["Park", "Pak"]),
    ("최", "Choe", ["Choi", "Choe"]),
    ("정", "Jeong", ["Jung", "Chung", "Jeong"]),
    ("강", "Gang", ["Kang"]),
    ("조", "Jo", ["Cho", "Jo"]),
    ("윤", "Yun", ["Yoon", "Yun"]),
    ("장", "Jang", ["Jang", "Chang"]),
    ("임", "Im", ["Lim", "Im"]),
    ("한", "Han", ["Han"]),
    ("신", "Sin", ["Shin"]),
    ("권", "Gwon", ["Kwon"]),
    ("황", "Hwang", ["Hwang"]),
    ("송", "Song", ["Song"]),
    ("홍", "Hong", ["Hong"]),
    ("오", None, ["Oh"]),
    ("안", "An", ["Ahn"]),
]
# combinations that name well-known people; never generated
_KR_FORBID = {("이", "민호"), ("박", "서준"), ("이", "성민"), ("김", "동현")}


# ---------------------------------------------------------------- han match
def _hm_cn_chars(rng):
    g, s = rng.choice(CN_GIVEN), rng.choice(CN_SURN)
    country = rng.choice(("CN", "CN", "CN", "SG", "TW"))
    style = rng.choice(STYLES)
    note = "characters to pinyin"
    if len(g[1]) > 1:
        note += ", given " + style
    qg, qf, note = _swap(rng, _py(g[1], style), s[1], note, 0.35)
    return (country, _cn_chars(g[0], country), _cn_chars(s[0], country),
            qg, qf, note)


def _hm_cn_py(rng):
    g, s = rng.choice(CN_GIVEN), rng.choice(CN_SURN)
    if len(g[1]) == 1 and rng.random() < 0.7:
        return None
    style = rng.choice(STYLES)
    note = "pinyin, given " + style
    qg, qf, note = _swap(rng, _py(g[1], style), s[1], note, 0.5)
    qg, qf, note = _lower(rng, qg, qf, note, 0.2)
    return "CN", _py(g[1]), s[1], qg, qf, note


def _hm_wg(rng):
    g, s = rng.choice(CN_GIVEN), rng.choice(CN_SURN)
    if _py(g[2]).lower() == _py(g[1]).lower() and s[2] == s[1]:
        return None  # Wade-Giles would look like pinyin here
    if rng.random() < 0.6:
        country, rg, rf = "TW", _trad(g[0]), _trad(s[0])
        note = "characters to Wade-Giles"
    else:
        country, rg, rf = rng.choice(("CN", "TW")), _py(g[1]), s[1]
        note = "pinyin to Wade-Giles"
    style = rng.choice(("hyphen", "hyphen", "spaced"))
    qg, qf, note = _swap(rng, _py(g[2], style), s[2], note, 0.5)
    return country, rg, rf, qg, qf, note


def _hm_dialect(rng):
    """Hong Kong Cantonese or Hokkien surname; given name kept in pinyin."""
    hk = rng.random() < 0.55
    idx = 3 if hk else 4
    s = rng.choice([x for x in CN_SURN if x[idx]])
    g = rng.choice(CN_GIVEN)
    country = "HK" if hk else "SG"
    style = rng.choice(STYLES)
    note = "%s surname %s, pinyin given" % ("Cantonese" if hk else "Hokkien",
                                            s[idx])
    qg, qf, note = _swap(rng, _py(g[1], style), s[idx], note, 0.3)
    qg, qf, note = _lower(rng, qg, qf, note, 0.1)
    return (country, _cn_chars(g[0], country), _cn_chars(s[0], country),
            qg, qf, note)


_CHAR_Q_SURN = "李王张刘陈杨林周"


def _hm_py_to_chars(rng):
    s = rng.choice([x for x in CN_SURN if x[0] in _CHAR_Q_SURN])
    g = rng.choice(CN_GIVEN)
    return ("CN", _py(g[1]), s[1], g[0], s[0],
            "pinyin record, query in characters")


def _kr_rec(rng, s, g, p_rr=0.4):
    if s[1] and rng.random() < p_rr:
        return _py(g[1]), s[1], "RR record"
    return g[0], s[0], "Hangul record"


def _hm_kr(rng):
    s, g = rng.choice(KR_SURN), rng.choice(KR_GIVEN)
    if (s[0], g[0]) in _KR_FORBID:
        return None
    rg, rf, note = _kr_rec(rng, s, g)
    forms = [f for f in s[2] if f != rf] or s[2]
    qf = rng.choice(forms)
    style = rng.choice(STYLES)
    note += ", surname %s, given %s" % (qf, style)
    qg, qf, note = _swap(rng, _py(g[1], style), qf, note, 0.25)
    qg, qf, note = _lower(rng, qg, qf, note, 0.1)
    return "KR", rg, rf, qg, qf, note


_HAN_MATCH = [(_hm_cn_chars, 14), (_hm_cn_py, 8), (_hm_wg, 14),
              (_hm_dialect, 14), (_hm_py_to_chars, 8), (_hm_kr, 24)]

# ---------------------------------------------------------------- han nomatch
_CN_SURN_CONFUSE = {
    "张": ["Zhao", "Zheng"], "赵": ["Zhang", "Zhou"], "郑": ["Zhang", "Zhao"],
    "王": ["Huang"], "李": ["Liu", "Lin"], "刘": ["Li", "Luo"],
    "陈": ["Cheng"], "林": ["Liang", "Li"], "周": ["Zhu", "Zou"],
    "朱": ["Zhou"], "徐": ["Xie"], "谢": ["Xu"], "杨": ["Tang"],
    "唐": ["Yang"], "高": ["Guo"], "郭": ["Gao"], "孙": ["Song"],
    "宋": ["Sun"],
}
# extra spellings a query might legitimately use for these characters
_CN_EXTRA = {"胡": ("Wu",), "吴": ("Hu",)}
_CN_GIVEN_CONFUSE = [
    ("秀英", "秀兰"), ("伟", "文"), ("志明", "志强"), ("建国", "建华"),
    ("晓东", "晓燕"), ("海燕", "红梅"), ("丽华", "丽娟"), ("家豪", "家明"),
    ("俊峰", "文杰"), ("淑珍", "淑芬"), ("欣怡", "佳怡"), ("子轩", "雨轩"),
    ("明", "敏"), ("秀英", "桂英"), ("秀珍", "秀英"), ("国强", "国华"),
    ("志伟", "志强"), ("春梅", "红梅"), ("桂兰", "玉兰"),
]
_CN_BY_CHARS = {g[0]: g for g in CN_GIVEN}
_CN_SURN_BY = {s[0]: s for s in CN_SURN}


def _cn_forms(s):
    return {x for x in s[1:] if x} | set(_CN_EXTRA.get(s[0], ()))


def _cn_nm_record(rng, g, s):
    r = rng.random()
    if r < 0.45:
        return "CN", g[0], s[0]
    if r < 0.6:
        return "TW", _trad(g[0]), _trad(s[0])
    return "CN", _py(g[1]), s[1]


def _hn_cn_surname(rng):
    g, s = rng.choice(CN_GIVEN), rng.choice(CN_SURN)
    if s[0] in _CN_SURN_CONFUSE and rng.random() < 0.6:
        other = rng.choice(_CN_SURN_CONFUSE[s[0]])
    else:
        other = rng.choice(CN_SURN)[1]
    if other in _cn_forms(s):
        return None
    country, rg, rf = _cn_nm_record(rng, g, s)
    style = rng.choice(STYLES)
    note = "different surname %s vs %s" % (s[1], other)
    qg, qf, note = _swap(rng, _py(g[1], style), other, note, 0.2)
    return country, rg, rf, qg, qf, note


def _hn_cn_given(rng):
    s = rng.choice(CN_SURN)
    if rng.random() < 0.6:
        a, b = rng.choice(_CN_GIVEN_CONFUSE)
        if rng.random() < 0.5:
            a, b = b, a
        g, g2 = _CN_BY_CHARS[a], _CN_BY_CHARS[b]
    else:
        g, g2 = rng.choice(CN_GIVEN), rng.choice(CN_GIVEN)
    if _py(g2[1]).lower() in (_py(g[1]).lower(), _py(g[2]).lower()):
        return None
    country, rg, rf = _cn_nm_record(rng, g, s)
    qf = s[2] if country == "TW" and rng.random() < 0.4 else s[1]
    style = rng.choice(STYLES)
    note = "different given %s vs %s" % (_py(g[1]), _py(g2[1]))
    qg, qf, note = _swap(rng, _py(g2[1], style), qf, note, 0.2)
    return country, rg, rf, qg, qf, note


_KR_SURN_CONFUSE = {
    "김": ["Kang", "Park", "Han"], "박": ["Bae", "Kim"], "이": ["Kim", "Park"],
    "최": ["Kang", "Kim"], "정": ["Kim", "Yoon"], "강": ["Kim", "Han"],
    "조": ["Kim", "Yoon"], "윤": ["Kim", "Park"], "장": ["Kim", "Han"],
    "임": ["Kim", "Kang"], "한": ["Kim", "Kang"], "신": ["Kim", "Park"],
    "권": ["Kim", "Park"], "황": ["Kim", "Park"], "송": ["Kim", "Park"],
    "홍": ["Kim", "Han"], "오": ["Kim", "Park"], "안": ["Kim", "Park"],
}
_KR_GIVEN_CONFUSE = [
    ("민준", "민호"), ("서준", "서연"), ("지호", "지훈"), ("서윤", "서연"),
    ("하준", "하은"), ("수빈", "수진"), ("민서", "민준"), ("도윤", "서윤"),
    ("영호", "정훈"), ("혜진", "은지"), ("예준", "주원"),
]
_KR_BY = {g[0]: g for g in KR_GIVEN}


def _hn_kr_surname(rng):
    s, g = rng.choice(KR_SURN), rng.choice(KR_GIVEN)
    if (s[0], g[0]) in _KR_FORBID:
        return None
    other = rng.choice(_KR_SURN_CONFUSE[s[0]])
    rg, rf, _ = _kr_rec(rng, s, g)
    style = rng.choice(STYLES)
    note = "different surname %s vs %s" % (s[2][0], other)
    qg, qf, note = _swap(rng, _py(g[1], style), other, note, 0.2)
    return "KR", rg, rf, qg, qf, note


def _hn_kr_given(rng):
    s = rng.choice(KR_SURN)
    if rng.random() < 0.6:
        a, b = rng.choice(_KR_GIVEN_CONFUSE)
        if rng.random() < 0.5:
            a, b = b, a
        g, g2 = _KR_BY[a], _KR_BY[b]
    else:
        g, g2 = rng.choice(KR_GIVEN), rng.choice(KR_GIVEN)
    if g[0] == g2[0] or (s[0], g[0]) in _KR_FORBID \
            or (s[0], g2[0]) in _KR_FORBID:
        return None
    rg, rf, _ = _kr_rec(rng, s, g)
    qf = rng.choice(s[2])
    style = rng.choice(STYLES)
    note = "different given %s vs %s" % (_py(g[1]), _py(g2[1]))
    qg, qf, note = _swap(rng, _py(g2[1], style), qf, note, 0.2)
    return "KR", rg, rf, qg, qf, note


_CHAR_NM = {"李": "刘", "刘": "李", "王": "黄", "张": "赵", "陈": "林",
            "林": "陈", "杨": "唐", "周": "朱"}


def _hn_chars(rng):
    s = _CN_SURN_BY[rng.choice(list(_CHAR_NM))]
    g = rng.choice(CN_GIVEN)
    o = _CHAR_NM[s[0]]
    return ("CN", _py(g[1]), s[1], g[0], o,
            "different surname in characters %s vs %s" % (s[0], o))


_HAN_NOMATCH = [(_hn_cn_surname, 30), (_hn_cn_given, 25),
                (_hn_kr_surname, 18), (_hn_kr_given, 15), (_hn_chars, 8)]

# ---------------------------------------------------------------- Iberian
_ES = {
    "countries": ["MX", "MX", "GT", "HN", "SV", "CO", "PE", "DO", "VE", "CU",
                  "EC", "ES"],
    "given": (
        "María José Juan Luis Carlos Jorge Miguel Pedro Francisco Antonio "
        "Manuel Jesús Alejandro Fernando Ricardo Javier Rafael Andrés Sergio "
        "Raúl Óscar Héctor Víctor Rubén Ramón Julio Mario Martín Gabriel "
        "Diego Daniel Eduardo Roberto Gerardo Hugo Guillermo Álvaro Gonzalo "
        "Rogelio Humberto Pablo Ana Carmen Rosa Lucía Sofía Isabel Patricia "
        "Verónica Gabriela Luisa Martina Mónica Beatriz Adriana Claudia Elena "
        "Teresa Juana Marta Silvia Alejandra Valentina Esperanza Daniela "
        "Fernanda Paula Andrea Julia").split(),
    "compound": [
        "María José", "María Fernanda", "Juan Carlos", "José Luis",
        "Luis Alberto", "Ana María", "María Elena", "Juan Pablo",
        "José Manuel", "Miguel Ángel", "Jorge Luis", "Carlos Alberto",
        "Luz María", "María Guadalupe", "José Antonio", "Juan José",
        "Francisco Javier", "Rosa María", "María Isabel", "Luis Fernando"],
    "surn": (
        "García Rodríguez Martínez Hernández López González Pérez Sánchez "
        "Ramírez Torres Flores Rivera Gómez Díaz Cruz Morales Reyes Gutiérrez "
        "Ortiz Jiménez Ruiz Álvarez Castillo Vázquez Vásquez Romero Herrera "
        "Medina Aguilar Moreno Castro Méndez Chávez Ramos Vargas Guzmán "
        "Fernández Mendoza Salazar Villalobos Villanueva Valdez Rojas Núñez "
        "Peña Navarro Domínguez Suárez Muñoz Cabrera Velásquez Cervantes "
        "Zamora Vega Ortega Delgado Figueroa Sandoval Carrillo Juárez Estrada "
        "Cortés Ibáñez Valencia Hidalgo Padilla Trujillo Murillo Lozano "
        "Zúñiga Mejía Hurtado Benavides Villegas Cevallos Barrios Montoya "
        "Hinojosa Molina Contreras Guerrero Acosta Soto").split(),
    "gender": {
        "María": "Mario", "Mario": "María", "Gabriel": "Gabriela",
        "Gabriela": "Gabriel", "Martín": "Martina", "Martina": "Martín",
        "Luis": "Luisa", "Luisa": "Luis", "Daniel": "Daniela",
        "Daniela": "Daniel", "Fernando": "Fernanda", "Fernanda": "Fernando",
        "Alejandro": "Alejandra", "Alejandra": "Alejandro",
        "Francisco": "Francisca", "Antonio": "Antonia", "Julio": "Julia",
        "Julia": "Julio", "Juan": "Juana", "Juana": "Juan",
        "Manuel": "Manuela", "Pablo": "Paula", "Paula": "Pablo",
        "Roberto": "Roberta", "Patricia": "Patricio", "Andrés": "Andrea",
        "Andrea": "Andrés"},
    "confuse": [
        ("Hernández", "Fernández"), ("Ramírez", "Ramos"), ("Pérez", "Peña"),
        ("Castillo", "Castro"), ("Morales", "Moreno"), ("Torres", "Flores"),
        ("Medina", "Molina"), ("Gutiérrez", "Guzmán"), ("Salazar", "Salinas"),
        ("Mendoza", "Méndez"), ("Vargas", "Vega"), ("Rivera", "Rivas"),
        ("Ortiz", "Ortega"), ("Sánchez", "Suárez"), ("Aguilar", "Aguirre"),
        ("Cabrera", "Contreras"), ("Romero", "Rosales"),
        ("Martínez", "Marín"), ("García", "Garza"), ("Cruz", "Cortés"),
        ("Reyes", "Ríos"), ("López", "Lozano"), ("Estrada", "Espinoza"),
        ("Navarro", "Narváez"), ("Figueroa", "Fuentes"), ("Soto", "Sosa"),
        ("Díaz", "Durán"), ("Domínguez", "Delgado"), ("Rojas", "Rosas"),
        ("Gómez", "Gil")],
}

_PT = {
    "countries": ["BR", "BR", "BR", "PT"],
    "given": (
        "João José Antônio Francisco Carlos Paulo Pedro Lucas Luiz Marcos "
        "Gabriel Rafael Daniel Marcelo Bruno Eduardo Felipe Rodrigo Manuel "
        "Tiago Mateus Maria Ana Francisca Adriana Juliana Márcia Fernanda "
        "Patrícia Aline Sandra Camila Amanda Bruna Letícia Júlia Beatriz "
        "Mariana Luciana Vitória Joana Paula").split(),
    "compound": [
        "João Pedro", "Maria Eduarda", "Ana Clara", "Maria Clara",
        "João Victor", "Pedro Henrique", "Luiz Fernando", "Ana Paula",
        "Maria Luiza", "José Carlos", "João Paulo", "Carlos Eduardo"],
    "surn": (
        "Silva Santos Oliveira Souza Sousa Pereira Lima Carvalho Ferreira "
        "Rodrigues Almeida Costa Gomes Martins Araújo Ribeiro Alves Gonçalves "
        "Barbosa Rocha Cardoso Nascimento Lopes Mendes Freitas Correia "
        "Teixeira Moreira Monteiro Azevedo Fernandes Vieira Batista Conceição "
        "Magalhães Assunção Brandão Guimarães Simões Loureiro Cavalcanti "
        "Medeiros Machado").split(),
    "gender": {
        "João": "Joana", "Joana": "João", "Paulo": "Paula", "Paula": "Paulo",
        "Rafael": "Rafaela", "Bruno": "Bruna", "Bruna": "Bruno",
        "Marcelo": "Marcela", "Gabriel": "Gabriela", "Daniel": "Daniela",
        "Francisco": "Francisca", "Francisca": "Francisco",
        "Fernanda": "Fernando", "Luciana": "Luciano", "Mariana": "Mariano",
        "Adriana": "Adriano", "Juliana": "Juliano", "Camila": "Camilo",
        "Antônio": "Antônia", "Eduardo": "Eduarda", "Carlos": "Carla",
        "Júlia": "Júlio", "Patrícia": "Patrício", "Márcia": "Márcio",
        "Maria": "Mário"},
    "confuse": [
        ("Santos", "Santana"), ("Pereira", "Pinheiro"), ("Costa", "Cunha"),
        ("Almeida", "Alves"), ("Lima", "Lopes"), ("Ribeiro", "Rocha"),
        ("Cardoso", "Carvalho"), ("Barbosa", "Batista"),
        ("Moreira", "Monteiro"), ("Ferreira", "Fernandes"),
        ("Mendes", "Medeiros"), ("Gomes", "Guimarães"),
        ("Martins", "Machado"), ("Correia", "Coelho"),
        ("Teixeira", "Tavares"), ("Freitas", "Farias"),
        ("Nascimento", "Neves"), ("Araújo", "Azevedo"), ("Souza", "Soares"),
        ("Rodrigues", "Rezende"), ("Silva", "Siqueira")],
}

# spelling slips of the SAME given name
_GIVEN_VAR = {
    "Héctor": [("Ector", "h dropped, accent dropped")],
    "Hugo": [("Ugo", "h dropped")],
    "Humberto": [("Umberto", "h dropped")],
    "Víctor": [("Bíctor", "v as b")],
    "Verónica": [("Berónica", "v as b")],
    "Valentina": [("Balentina", "v as b")],
    "Silvia": [("Silbia", "v as b")],
    "Isabel": [("Isavel", "b as v")],
    "Javier": [("Jabier", "v as b")],
    "Álvaro": [("Albaro", "v as b, accent dropped")],
    "Gerardo": [("Jerardo", "g as j")],
    "Ángel": [("Anjel", "g as j, accent dropped")],
    "Sergio": [("Serjio", "g as j")],
    "Rogelio": [("Rojelio", "g as j")],
    "Jorge": [("Jorje", "g as j")],
    "Guillermo": [("Guiyermo", "ll as y")],
    "Esperanza": [("Esperansa", "z as s")],
    "Beatriz": [("Beatris", "z as s")],
    "Gonzalo": [("Gonsalo", "z as s")],
    "Luiz": [("Luís", "z as s, same name")],
    "Luiza": [("Luísa", "z as s, same name")],
    "Tiago": [("Thiago", "th spelling, same name")],
    "Mateus": [("Matheus", "th spelling, same name")],
    "Felipe": [("Filipe", "e as i, same name")],
}

# spelling slips of the SAME surname
_SURN_VAR = {
    "Martínez": [("Martines", "-ez as -es, accent dropped")],
    "Hernández": [("Ernández", "h dropped"),
                  ("Hernandes", "-ez as -es, accent dropped")],
    "González": [("Gonzales", "-ez as -es, accent dropped"),
                 ("Gonsález", "z as s")],
    "Ramírez": [("Ramires", "-ez as -es, accent dropped")],
    "Gutiérrez": [("Gutierres", "-ez as -es, accent dropped")],
    "Jiménez": [("Giménez", "j as g"),
                ("Jimenes", "-ez as -es, accent dropped")],
    "Álvarez": [("Alvares", "-ez as -es, accent dropped"),
                ("Álbarez", "v as b")],
    "Suárez": [("Suares", "-ez as -es, accent dropped")],
    "Juárez": [("Juares", "-ez as -es, accent dropped")],
    "Ibáñez": [("Ibanes", "-ez as -es, accent and tilde dropped")],
    "Vázquez": [("Vasquez", "z as s, accent dropped"), ("Bázquez", "v as b")],
    "Vásquez": [("Basquez", "v as b, accent dropped"), ("Vázquez", "s as z")],
    "Velásquez": [("Velázquez", "s as z"), ("Belásquez", "v as b")],
    "Villalobos": [("Billalobos", "v as b"), ("Viyalobos", "ll as y")],
    "Villanueva": [("Billanueva", "v as b"), ("Viyanueva", "ll as y")],
    "Villegas": [("Billegas", "v as b"), ("Viyegas", "ll as y")],
    "Vargas": [("Bargas", "v as b")],
    "Vega": [("Bega", "v as b")],
    "Valencia": [("Balencia", "v as b"), ("Valensia", "c as s")],
    "Valdez": [("Baldez", "v as b")],
    "Sandoval": [("Sandobal", "v as b")],
    "Cervantes": [("Cerbantes", "v as b")],
    "Navarro": [("Nabarro", "v as b")],
    "Cabrera": [("Cavrera", "b as v")],
    "Chávez": [("Chábez", "v as b")],
    "Benavides": [("Venavides", "b as v")],
    "Barrios": [("Varrios", "b as v")],
    "Cevallos": [("Ceballos", "v as b"), ("Cevayos", "ll as y")],
    "Castillo": [("Castiyo", "ll as y")],
    "Carrillo": [("Carriyo", "ll as y")],
    "Padilla": [("Padiya", "ll as y")],
    "Trujillo": [("Trujiyo", "ll as y"), ("Trugillo", "j as g")],
    "Murillo": [("Muriyo", "ll as y")],
    "Montoya": [("Montolla", "y as ll")],
    "Herrera": [("Errera", "h dropped")],
    "Hidalgo": [("Idalgo", "h dropped")],
    "Hurtado": [("Urtado", "h dropped")],
    "Hinojosa": [("Inojosa", "h dropped")],
    "Zamora": [("Samora", "z as s")],
    "Cruz": [("Crus", "z as s")],
    "Ortiz": [("Ortis", "z as s")],
    "Muñoz": [("Muños", "z as s")],
    "Mendoza": [("Mendosa", "z as s")],
    "Salazar": [("Salasar", "z as s")],
    "Lozano": [("Losano", "z as s")],
    "Zúñiga": [("Súñiga", "z as s")],
    "Mejía": [("Megía", "j as g")],
    "Guzmán": [("Gusmán", "z as s")],
    "Souza": [("Sousa", "z as s, same name")],
    "Sousa": [("Souza", "s as z, same name")],
    "Batista": [("Baptista", "p added, same name")],
    "Nascimento": [("Nacimento", "sc as c")],
    "Gonçalves": [("Goncalves", "ç as c")],
    "Conceição": [("Conceicao", "ç as c, tilde dropped")],
    "Assunção": [("Assuncao", "ç as c, tilde dropped")],
    "Magalhães": [("Magalhaes", "tilde dropped")],
    "Araújo": [("Araujo", "accent dropped")],
    "Simões": [("Simoes", "tilde dropped")],
    "Brandão": [("Brandao", "tilde dropped")],
    "Guimarães": [("Guimaraes", "tilde dropped")],
}
_FIRST_DROPPABLE = {"María", "José", "Juan", "Ana", "Maria", "João"}


def _ib_given(rng, L, country):
    if rng.random() < 0.35:
        g = rng.choice(L["compound"])
    else:
        g = rng.choice(L["given"])
    if country == "PT":
        g = g.replace("Antônio", "António")
    return g


def _ib_record(rng, L):
    country = rng.choice(L["countries"])
    given = _ib_given(rng, L, country)
    while True:
        s1, s2 = rng.sample(L["surn"], 2)
        if _clearly_diff(s1, s2):
            return country, given, s1, s2


def _ib_match(rng):
    pt = rng.random() < 0.3
    L = _PT if pt else _ES
    country, given, s1, s2 = _ib_record(rng, L)
    gt, sn = given.split(), [s1, s2]
    cands = ["drop_s2", "accents"]
    if len(gt) == 2:
        cands.append("drop_given")
    if any(t in _GIVEN_VAR for t in gt):
        cands += ["given_var"] * 2
    if any(s in _SURN_VAR for s in sn):
        cands += ["surn_var"] * 3
    chosen = set()
    for _ in range(1 if rng.random() < 0.6 else 2):
        chosen.add(rng.choice(cands))
    notes = []
    if "drop_given" in chosen:
        if gt[0] in _FIRST_DROPPABLE and rng.random() < 0.5:
            gt = gt[1:]
            notes.append("first given name dropped")
        else:
            gt = gt[:1]
            notes.append("second given name dropped")
    if "drop_s2" in chosen:
        if pt and rng.random() < 0.35:
            sn = [s2]
            notes.append("first (maternal) surname dropped, Portuguese order")
        else:
            sn = [s1]
            notes.append("second surname dropped")
    if "given_var" in chosen:
        idx = [i for i, t in enumerate(gt) if t in _GIVEN_VAR]
        if idx:
            i = rng.choice(idx)
            gt[i], n = rng.choice(_GIVEN_VAR[gt[i]])
            notes.append(n)
    if "surn_var" in chosen:
        idx = [i for i, t in enumerate(sn) if t in _SURN_VAR]
        if idx:
            i = rng.choice(idx)
            sn[i], n = rng.choice(_SURN_VAR[sn[i]])
            notes.append(n)
    qg, qf = " ".join(gt), " ".join(sn)
    if "accents" in chosen:
        a, b = _strip(qg), _strip(qf)
        if (a, b) != (qg, qf):
            notes.append("accents dropped" +
                         (", ç as c" if "ç" in qg + qf else ""))
            qg, qf = a, b
    if not notes:
        return None
    note = "; ".join(notes)
    qg, qf, note = _lower(rng, qg, qf, note, 0.08)
    return country, given, s1 + " " + s2, qg, qf, note


def _ib_nomatch(rng):
    pt = rng.random() < 0.3
    L = _PT if pt else _ES
    country, given, s1, s2 = _ib_record(rng, L)
    kind = rng.choices(("pair", "gender", "second", "given", "surname"),
                       (35, 25, 18, 11, 11))[0]
    qgiven, qs = given, [s1, s2]
    if kind == "pair":
        a, b = rng.choice(L["confuse"])
        if rng.random() < 0.5:
            a, b = b, a
        pos = 1 if pt and rng.random() < 0.6 else 0
        other = s2 if pos == 0 else s1
        if not (_clearly_diff(other, a) and _clearly_diff(other, b)):
            return None
        rec = [a, other] if pos == 0 else [other, a]
        s1, s2 = rec
        qs = list(rec)
        qs[pos] = b
        if not pt and rng.random() < 0.3:
            qs = [b]
        note = "different surname %s vs %s" % (a, b)
    elif kind == "gender":
        given = rng.choice(list(L["gender"]))
        qgiven = L["gender"][given]
        if country == "PT":
            given = given.replace("ô", "ó")
            qgiven = qgiven.replace("ô", "ó")
        note = "different given %s vs %s" % (given, qgiven)
    elif kind == "second":
        s3 = rng.choice(L["surn"])
        if not (_clearly_diff(s3, s2) and _clearly_diff(s3, s1)):
            return None
        qs = [s1, s3]
        note = "different second surname %s vs %s" % (s2, s3)
    elif kind == "given":
        g2 = _ib_given(rng, L, country)
        if not all(_clearly_diff(x, y)
                   for x in given.split() for y in g2.split()):
            return None
        qgiven = g2
        note = "different given %s vs %s" % (given, g2)
    else:
        s3 = rng.choice(L["surn"])
        if not (_clearly_diff(s3, s1) and _clearly_diff(s3, s2)):
            return None
        qs = [s3, s2]
        note = "different first surname %s vs %s" % (s1, s3)
    qf = " ".join(qs)
    if rng.random() < 0.3:
        a, b = _strip(qgiven), _strip(qf)
        if (a, b) != (qgiven, qf):
            qgiven, qf = a, b
            note += "; accents dropped"
    return country, given, s1 + " " + s2, qgiven, qf, note


# ---------------------------------------------------------------- exact
_RU_M = ["Александр", "Сергей", "Дмитрий", "Андрей", "Алексей", "Иван",
         "Михаил", "Николай", "Владимир", "Павел", "Евгений", "Юрий"]
_RU_F = ["Ольга", "Елена", "Татьяна", "Наталья", "Ирина", "Светлана", "Анна",
         "Мария", "Екатерина", "Юлия", "Галина", "Людмила"]
_RU_FAM = ["Иванов", "Смирнов", "Кузнецов", "Попов", "Васильев", "Петров",
           "Соколов", "Михайлов", "Новиков", "Морозов", "Волков", "Лебедев",
           "Козлов", "Егоров", "Павлов", "Степанов", "Николаев", "Орлов",
           "Андреев"]
_AR_GIVEN = ["Mohammed", "Ahmed", "Ali", "Omar", "Youssef", "Khaled",
             "Hassan", "Ibrahim", "Mustafa", "Abdullah", "Tariq", "Karim",
             "Samir", "Walid", "Fatima", "Aisha", "Mariam", "Layla", "Huda",
             "Zainab", "Salma", "Rania", "Nadia", "Amira"]
_AR_FAM = ["Haddad", "Khalil", "Nasser", "Hamdan", "Saleh", "Mansour",
           "Abboud", "Darwish", "Qasim", "Aziz", "Farouk", "El-Sayed",
           "Hijazi", "Barakat", "Yassin", "Othman", "Al-Masri", "Al-Amin"]
_EN_GIVEN = ["James", "John", "Robert", "Michael", "William", "David",
             "Richard", "Joseph", "Thomas", "Charles", "Mary", "Patricia",
             "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
             "Sarah", "Karen"]
_EN_FAM = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Miller",
           "Davis", "Wilson", "Anderson", "Taylor", "Moore", "Jackson",
           "White", "Harris", "Clark", "Lewis", "Walker", "Young", "Allen",
           "Wright"]
_FR_GIVEN = ["Jean", "Pierre", "Michel", "Philippe", "Alain", "Nicolas",
             "Christophe", "Laurent", "François", "Stéphane", "Marie",
             "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise",
             "Sophie", "Céline", "Émilie", "Valérie"]
_FR_FAM = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard",
           "Petit", "Durand", "Leroy", "Moreau", "Simon", "Lefebvre",
           "Michel", "David", "Bertrand", "Roux", "Vincent", "Fournier",
           "Girard", "Lambert"]
# combinations that name well-known people; never generated
_FORBID = {"Michael Jackson", "James Brown", "Elizabeth Taylor",
           "James Taylor", "John Williams", "Michael Moore", "John Lewis",
           "Richard Harris"}

_ROMAN = {}
for _g in CN_GIVEN:
    _ROMAN[_g[0]] = _ROMAN[_trad(_g[0])] = _py(_g[1])
for _s in CN_SURN:
    _ROMAN[_s[0]] = _ROMAN[_trad(_s[0])] = _s[1]
for _g in KR_GIVEN:
    _ROMAN[_g[0]] = _py(_g[1])
for _s in KR_SURN:
    _ROMAN[_s[0]] = _s[2][0]


def _diff(a, b):
    ra, rb = _ROMAN.get(a, a), _ROMAN.get(b, b)
    if {ra, rb} == {"Hu", "Wu"}:  # 胡 is Wu in Cantonese
        return False
    return _clearly_diff(a, b) and _clearly_diff(ra, rb)


_EX_LABEL = {"es": "Hispanic", "pt": "Portuguese",
             "cn": "Chinese characters", "py": "Chinese pinyin",
             "kr": "Korean Hangul", "ru": "Russian Cyrillic",
             "ar": "Arabic name, Latin script", "en": "English",
             "fr": "French"}
_EX_CULT = [("es", 18), ("pt", 10), ("cn", 12), ("py", 10), ("kr", 10),
            ("ru", 10), ("ar", 10), ("en", 10), ("fr", 10)]


def _ex_pools(rng, cul):
    """(country, given pool, family pool, two surnames?)"""
    if cul in ("es", "pt"):
        L = _ES if cul == "es" else _PT
        c = rng.choice(L["countries"] + (["AO", "MZ"] if cul == "pt" else []))
        return c, L["given"] + L["compound"], L["surn"], True
    if cul == "cn":
        return (rng.choice(("CN", "CN", "SG", "TW", "HK")),
                [g[0] for g in CN_GIVEN], [s[0] for s in CN_SURN], False)
    if cul == "py":
        return ("CN", [_py(g[1]) for g in CN_GIVEN],
                list(dict.fromkeys(s[1] for s in CN_SURN)), False)
    if cul == "kr":
        return "KR", [g[0] for g in KR_GIVEN], [s[0] for s in KR_SURN], False
    if cul == "ru":
        if rng.random() < 0.5:
            return "RU", _RU_M, _RU_FAM, False
        return "RU", _RU_F, [f + "а" for f in _RU_FAM], False
    if cul == "ar":
        return (rng.choice(("EG", "SY", "JO", "LB", "IQ", "SA", "MA", "YE")),
                _AR_GIVEN, _AR_FAM, False)
    if cul == "en":
        return rng.choice(("US", "GB", "CA", "AU")), _EN_GIVEN, _EN_FAM, False
    return rng.choice(("FR", "FR", "BE", "HT")), _FR_GIVEN, _FR_FAM, False


def _ex_show(cul, country, g, f1, f2):
    if cul == "cn":
        return _cn_chars(g, country), _cn_chars(f1, country)
    if cul == "pt" and country == "PT":
        g = g.replace("Antônio", "António")
    return g, f1 + (" " + f2 if f2 else "")


def _ex_bad(cul, g, f):
    return (g == f or "%s %s" % (g, f) in _FORBID
            or (cul == "kr" and (f, g) in _KR_FORBID))


def _ex_row(rng, nomatch):
    cul = _pick(rng, [(lambda r, c=c: c, w) for c, w in _EX_CULT])
    country, gp, fp, two = _ex_pools(rng, cul)
    g, f1, f2 = rng.choice(gp), rng.choice(fp), ""
    if two:
        f2 = rng.choice(fp)
        if not _diff(f1, f2):
            return None
    if _ex_bad(cul, g, f1):
        return None
    rg, rf = _ex_show(cul, country, g, f1, f2)
    if not nomatch:
        return country, rg, rf, rg, rf, "identical (%s)" % _EX_LABEL[cul]
    if rng.random() < 0.5:
        g2 = rng.choice(gp)
        if not all(_diff(x, y) for x in g.split() for y in g2.split()):
            return None
        g, what = g2, "given name"
    else:
        f3 = rng.choice(fp)
        if not _diff(f3, f1) or (two and not _diff(f3, f2)):
            return None
        f1, what = f3, "first surname" if two else "family name"
    if _ex_bad(cul, g, f1):
        return None
    qg, qf = _ex_show(cul, country, g, f1, f2)
    return (country, rg, rf, qg, qf,
            "different %s (%s)" % (what, _EX_LABEL[cul]))


# ---------------------------------------------------------------- assembly
def _fill(rng, gen, n, fam, label):
    out, seen, tries = [], set(), 0
    while len(out) < n and tries < n * 60:
        tries += 1
        r = gen(rng)
        if r is None:
            continue
        country, rg, rf, qg, qf, note = r
        if fam != "exact" and (qg, qf) == (rg, rf):
            continue
        key = (rg, rf, qg, qf)
        if key in seen:
            continue
        seen.add(key)
        out.append((fam, label, rg, rf, country, qg, qf, note))
    return out


def rows(rng):
    out = []
    out += _fill(rng, lambda r: _pick(r, _HAN_MATCH), 420, "han", "match")
    out += _fill(rng, lambda r: _pick(r, _HAN_NOMATCH), 420, "han", "nomatch")
    out += _fill(rng, _ib_match, 420, "iberian", "match")
    out += _fill(rng, _ib_nomatch, 420, "iberian", "nomatch")
    out += _fill(rng, lambda r: _ex_row(r, False), 320, "exact", "match")
    out += _fill(rng, lambda r: _ex_row(r, True), 320, "exact", "nomatch")
    for row in out:
        assert len(row) == 8, row
        for x in row:
            assert isinstance(x, str) and x.strip() and x == x.strip(), row
            assert "\t" not in x and "\n" not in x, row
    return out
