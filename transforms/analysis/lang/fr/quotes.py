"""French quote knowledge, as data for `transforms.analysis.quote_edges` (the finder this pack names).

Only constants: quote marks, verbs of saying in the forms news writes them (present, passé simple,
imparfait, and the participle after an auxiliary: "a déclaré", "a-t-elle ajouté"), "selon", pronouns with
their gender, determiners, and the words that end a speaker's noun phrase.
"""

FINDER = "quote_edges"

# ------------------------------------------------------------------ quote marks and sentences
# « … » (with plain or non-breaking spaces inside), “ … ” and "…"; ‹ › and ‘ ’ inside a quotation.
QUOTE_PAIRS = {"«": "»", "“": "”\"", "\"": "\"”"}
INNER_QUOTE_PAIRS = {"‹": "›", "‘": "’'"}
ABBREVIATIONS = frozenset("m mm mme mmes mlle dr pr me st ste av bd etc cf env hab min max tél".split())

# ------------------------------------------------------------------ verbs of saying
# -er verbs by stem: present (déclare, déclarent), passé simple (déclara), imparfait (déclarait), participle.
_ER_STEMS = """
déclar affirm expliqu ajout indiqu soulign précis estim assur confi racont lanc martel insist comment rappel
dénonc regrett not observ résum répliqu annonc tranch gliss témoign confirm détaill nuanc jug ironis déplor
salu fustig lâch plaid argu avanc relev complèt qualifi évoqu avou concèd raill tempêt pest justifi
souffl murmur signal invoqu félicit amus étonn désol emport agac indign interrog inquièt
""".split()
_IRREGULAR = """
dit disent disait disaient dirent écrit écrivent écrivait reconnaît reconnaissent reconnaissait admet admettent
conclut concluent réagit réagissent prévient préviennent avertit avertissent répond répondent répondait
soutient soutiennent promet promettent poursuit poursuivent répète répètent martèle martèlent sourit
sourient réjouit réjouissent
""".split()
_IRREGULAR_PARTICIPLES = """
dit écrit reconnu admis conclu réagi prévenu averti répondu soutenu promis poursuivi répété martelé souri
""".split()


def _er(stem: str) -> list[str]:
    return [stem + "e", stem + "ent", stem + "a", stem + "ait", stem + "aient"]


CUE_VERBS = frozenset(f for s in _ER_STEMS for f in _er(s)) | frozenset(_IRREGULAR)
CUE_PARTICIPLES = frozenset(s + "é" for s in _ER_STEMS) | frozenset(_IRREGULAR_PARTICIPLES)
# "a déclaré", "a-t-il déclaré", "avait indiqué", "l'a dit", "s'est dit"
AUXILIARIES = frozenset("a ont avait avaient aura auront eut s'est s’est".split())
# Between an auxiliary and its participle ("a encore déclaré") or before a cue's subject.
CUE_FILLERS = frozenset("""encore également aussi ainsi alors pourtant toutefois néanmoins même déjà enfin
notamment simplement ensuite""".split())
# Object pronouns between a subject and its verb ("Il nous a déclaré").
OBJECT_CLITICS = frozenset("me m' te t' se s' nous vous lui leur l' le la les y en".split())
# "« Q », selon la police", "Selon le maire, « Q »", "d'après"
ACCORDING_WORDS = frozenset("selon d'après".split())

# ------------------------------------------------------------------ speakers
PRONOUNS = {"il": "m", "elle": "f", "ils": "m", "elles": "f"}
DETERMINERS = frozenset("le la les un une des du ce cet cette ces son sa ses leur leurs deux trois plusieurs".split())
MALE_DETERMINERS = frozenset("le un ce cet son du".split())
FEMALE_DETERMINERS = frozenset("la une cette sa".split())
ELIDED_DETERMINERS = ("l'", "l’")
ELIDED_LINKS = ("d'", "d’")   # "le météorologue d'Environnement Canada"
# Words inside a name or a complement ("Charles de Gaulle", "le ministre de l'Intérieur").
NAME_LINKS = frozenset("de du des d' van von".split())
# A short adjunct may stand between a cue and its subject: "a déclaré à la tribune le médiateur",
# "a raconté en riant le jeune attaquant".
ADJUNCT_STARTS = frozenset("à au aux devant en lors sur dans".split())
# "Pour X, ...": X's view; a quotation after it is X's when nothing else names a speaker.
OPINION_WORDS = frozenset(["pour"])
# Words that end a speaker's noun phrase after a cue: prepositions, times, relatives, conjunctions.
NP_STOPS = frozenset("""à au aux en dans sur sous lors pendant durant devant derrière après avant avec pour par chez
contre vers depuis jusqu' entre dès hier aujourd'hui demain lundi mardi mercredi jeudi vendredi samedi dimanche
matin soir qui que qu' dont où et ou mais car puis donc ce cet cette ici là-bas selon lorsque quand alors
interrogé interrogée interrogés cité citée joint jointe contacté contactée""".split())
ADVERB_ENDINGS = ("ment",)
ROLES = frozenset("""ministre maire président présidente porte-parole procureur procureure préfet préfète directeur
directrice secrétaire député députée sénateur sénatrice avocat avocate juge entraîneur entraîneuse patron patronne
dirigeant dirigeante responsable conseiller conseillère chef cheffe adjoint adjointe commissaire capitaine
délégué déléguée élu élue maître représentant représentante gérant gérante fondateur fondatrice
coordinateur coordinatrice médecin professeur professeure chercheur chercheuse économiste expert experte
syndicaliste militant militante habitant habitante témoin victime bourgmestre metteur metteuse général générale
colonel docteur""".split())
FEMALE_ROLES = frozenset("""présidente procureure préfète directrice députée sénatrice avocate entraîneuse patronne
dirigeante conseillère cheffe adjointe déléguée élue représentante gérante fondatrice coordinatrice professeure
chercheuse experte militante habitante""".split())
ORG_HEADS = frozenset("""gouvernement ministère préfecture mairie police gendarmerie entreprise société groupe
syndicat parti association parquet tribunal cour commission conseil agence fédération club hôpital université
banque armée élysée matignon assemblée sénat direction""".split())
