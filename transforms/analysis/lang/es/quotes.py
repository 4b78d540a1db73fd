"""Spanish quote knowledge, as data for `transforms.analysis.quote_edges` (the finder this pack names).

Only constants: quote marks, verbs of saying in the forms news writes them (pretérito, present, imperfect,
and the participle after "ha"/"había": "ha dicho"), "según", pronouns with their gender, determiners, and the
words that end a speaker's noun phrase. A cue without a subject (", añadió") goes on with the speaker just
before: Spanish drops the pronoun.
"""

FINDER = "quote_edges"

# ------------------------------------------------------------------ quote marks and sentences
# «…», “…” and "…"; ‘ ’ inside a quotation. The speaker may stand between dashes: «Q» —dijo X—.
QUOTE_PAIRS = {"«": "»", "“": "”\"", "\"": "\"”"}
INNER_QUOTE_PAIRS = {"‘": "’'"}
ABBREVIATIONS = frozenset("sr sra srta dr dra d dña lic ing av avda etc pág núm tel ee uu".split())

# ------------------------------------------------------------------ verbs of saying
# -ar verbs by stem: pretérito (afirmó, afirmaron), present (afirma, afirman), imperfect (afirmaba), participle.
_AR_STEMS = """
afirm asegur explic señal declar indic manifest subray destac apunt agreg coment precis
relat cont record lament critic denunci replic anunci confirm detall valor alert avis sentenci zanj expres
aclar puntualiz calific insinu ironiz reclam recalc remarc reiter enfatiz matiz tild opin evalu
""".split()
# -er/-ir verbs by stem: pretérito (añadió), present (añade), imperfect (añadía), participle (añadido).
_ER_STEMS = "añad respond sosten advirt reconoc admit insist defend conclu escrib tem resum".split()
# Forms the stems above do not give (a changed stem or a "y" for "i").
_IRREGULAR = """
dijo dijeron dice dicen decía decían sostuvo sostuvieron sostiene advierte concluyó concluye defiende cuenta cuentan
""".split()
_IRREGULAR_PARTICIPLES = "dicho escrito sostenido advertido concluido reconocido admitido insistido".split()


def _ar(stem: str) -> list[str]:
    return [stem + "ó", stem + "aron", stem + "a", stem + "an", stem + "aba", stem + "aban"]


def _er(stem: str) -> list[str]:
    return [stem + "ió", stem + "ieron", stem + "e", stem + "en", stem + "ía", stem + "ían"]


CUE_VERBS = frozenset(f for s in _AR_STEMS for f in _ar(s)) | frozenset(f for s in _ER_STEMS for f in _er(s)) | \
    frozenset(_IRREGULAR)
CUE_PARTICIPLES = frozenset(s + "ado" for s in _AR_STEMS) | frozenset(s + "ido" for s in _ER_STEMS) | \
    frozenset(_IRREGULAR_PARTICIPLES)
AUXILIARIES = frozenset("ha han había habían habría hubo".split())
CUE_FILLERS = frozenset("también además luego entonces ya incluso asimismo finalmente".split())
OBJECT_CLITICS = frozenset("me te se nos os le les lo la los las".split())
ACCORDING_WORDS = frozenset("según".split())

# ------------------------------------------------------------------ speakers
PRONOUNS = {"él": "m", "ella": "f", "ellos": "m", "ellas": "f"}
DETERMINERS = frozenset("el la los las un una unos unas del al este esta ese esa su sus dos tres varios varias".split())
MALE_DETERMINERS = frozenset("el un este ese del al".split())
FEMALE_DETERMINERS = frozenset("la una esta esa".split())
ELIDED_DETERMINERS = ()
# A short adjunct may stand between a cue and its subject: "detalló a LA NACION el fiscal de la causa".
ADJUNCT_STARTS = frozenset("a ante en durante tras".split())
# "Para X, ...": X's view; a quotation after it is X's when nothing else names a speaker.
OPINION_WORDS = frozenset(["para"])
NAME_LINKS = frozenset("de del y".split())
NP_STOPS = frozenset("""a en con sin sobre tras ante durante desde hasta para por contra entre hacia ayer hoy mañana
lunes martes miércoles jueves viernes sábado domingo que quien quienes cuyo donde cuando y o pero e u este esta
según preguntado preguntada consultado consultada""".split())
ADVERB_ENDINGS = ("mente",)
ROLES = frozenset("""ministro ministra alcalde alcaldesa presidente presidenta portavoz fiscal director directora
secretario secretaria diputado diputada senador senadora abogado abogada juez jueza entrenador entrenadora
consejero consejera delegado delegada jefe jefa responsable concejal concejala gerente fundador fundadora
coordinador coordinadora médico médica profesor profesora investigador investigadora economista experto experta
sindicalista activista vecino vecina testigo víctima líder dirigente representante capitán capitana general coronel
don doña""".split())
FEMALE_ROLES = frozenset("""ministra alcaldesa presidenta directora secretaria diputada senadora abogada jueza
entrenadora consejera delegada jefa concejala fundadora coordinadora médica profesora investigadora experta
vecina capitana""".split())
ORG_HEADS = frozenset("""gobierno ministerio ayuntamiento policía empresa sociedad grupo sindicato partido
asociación fiscalía tribunal juzgado comisión consejo agencia federación club hospital universidad banco
ejército congreso senado dirección generalitat junta xunta""".split())
