"""German quote knowledge, as data for `transforms.analysis.reported_speech`.

Only constants: quote marks, verbs and phrases of saying, the Konjunktiv forms that mark reported speech,
pronouns with their gender, titles and roles, heads of organisation names. The finder reads them; it knows
nothing German itself.
"""

# ------------------------------------------------------------------ quote marks
# Opening mark -> the marks that may close it. German print uses „…“ (and the closer typed as ”),
# books and magazines »…«, Swiss text «…»; plain-text sources use "…".
QUOTE_PAIRS = {
    "„": "“”\"",
    "»": "«",
    "«": "»",
    "\"": "\"“”",
    "“": "”\"",
}
# Single marks: quotations inside quotations (‚…‘, ›…‹); never a quotation of their own.
INNER_QUOTE_PAIRS = {"‚": "‘’'", "›": "‹", "‹": "›"}

# ------------------------------------------------------------------ sentences
# Words ending in a full stop that do not end the sentence ("Dr. Müller", "z. B.", "Nr. 5").
ABBREVIATIONS = frozenset("""
dr prof mr mrs st nr hr fr bzw bspw ca ggf inkl evtl usw vgl z b d h u a o v gen abs art bd geb gest jh jhd mio mrd
min max tsd sog str tel abt dipl ing med phil jur rer nat chr jan feb febr apr aug sept okt nov dez
""".split())
# A full stop after a number of one or two digits is an ordinal ("am 4. Dezember"), not a sentence end.
ORDINAL_DOT = True

# ------------------------------------------------------------------ verbs of saying
# Finite forms (3rd person singular and plural, present and past; Konjunktiv), participles for the perfect
# ("hat gesagt"). Weak verbs are listed by stem and expanded below; strong ones by hand.
_WEAK_STEMS = """
sag erklär beton warn ergänz berichte meld erläuter bestätig kritisier forder antworte mahn behaupte versicher
unterstreich beklag bemerk klag bilanzier verkünd schilder argumentier erinner resümier frag beteuer bekräftig
präzisier twitter erzähl signalisier zitier informier äußer kommentier appellier rechtfertig begründe mutmaß
spekulier vermute prognostizier befürchte bedauer verteidig dementier bezweifel urteile würdig hoff glaub
kritisier lob ermahn prangerte
melde verkünde urteil erwähn konstatier skandier veröffentlich laute
""".split()
_STRONG = """
schrieb schrieben schreibt schreiben geschrieben
rief riefen ruft gerufen
verwies verwiesen verweist verwiesen
wies wiesen weist
hieß heißt
sprach sprachen spricht gesprochen
befand befanden befindet
entgegnete entgegneten entgegnet
empfahl empfahlen empfiehlt empfohlen
gestand gestanden gesteht
versprach versprachen verspricht versprochen
beschrieb beschrieben beschreibt
bezeichnete bezeichneten bezeichnet
nannte nannten nennt genannt
meinte meinten meint gemeint
riet rieten rät geraten
drohte drohten droht gedroht
bekannte bekannten bekennt bekannt
wusste wussten weiß
dachte dachten denkt
räumte räumten räumt
ließ ließen lässt
verglich verglichen vergleicht
bat baten bittet
besagt besagte
""".split()


def _weak(stem: str) -> list[str]:
    """sag -> sagt sagte sagten gesagt sage; berichte -> berichtet berichtete ..."""
    return [stem + "t", stem + "te", stem + "ten", "ge" + stem + "t", stem + ("" if stem.endswith("e") else "e")]


CUE_VERBS = frozenset(f for s in _WEAK_STEMS for f in _weak(s)) | frozenset(_STRONG) - frozenset(
    {"bekannt", "geraten", "räumt", "räumte", "räumten", "wies", "wiesen", "weist", "ließ", "ließen", "lässt",
     "gerufen", "genannt", "weiß", "warnen", "sagen", "fragen", "klagen", "melden", "fordern"})

# Present plural verbs of saying; they look like infinitives, so the finder takes them only as the finite verb
# right after a noun subject ("Die Kläger sagen, ...", "Kritiker befürchten ...").
PLURAL_CUE_VERBS = frozenset("""sagen erklären betonen berichten melden fordern warnen kritisieren befürchten
vermuten bezweifeln behaupten meinen schreiben sprechen verweisen argumentieren bemängeln beklagen klagen
vermelden bestätigen schätzen glauben hoffen""".split())

# Separable verbs: the finite part, and the particle that closes the clause ("fügte ... hinzu").
SEPARABLE_CUES = {
    "hinzu": "fügte fügten fügt",
    "mit": "teilte teilten teilt",
    "fest": "stellte stellten stellt hielt hielten hält",
    "klar": "stellte stellten stellt machte machten macht",
    "zu": "gab gaben gibt räumte sicherte sicherten sichert",
    "ein": "räumte räumten räumt gestand gestanden gesteht wandte wandten schränkte schränkten schränkt",
    "aus": "führte führten führt sagte sagten sagt",
    "hervor": "hob hoben hebt geht ging gehen gingen",
    "heraus": "stellte stellten stellt strich strichen streicht",
    "bekannt": "gab gaben gibt",
    "zurück": "wies wiesen weist",
    "vor": "warf warfen wirft werfen schlug schlugen schlägt schlagen",
    "verlauten": "ließ ließen lässt",
    "dar": "legte legten legt stellte stellten stellt",
    "auf": "rief riefen ruft forderte forderten fordert",
    "ab": "lehnte lehnten lehnt",
    "hin": "wies wiesen weist",
    "davon": "ging gingen geht gehen",
    "entgegen": "setzte setzten setzt hielt hielten hält",
    "an": "kündigte kündigten kündigt gab gaben gibt deutete deuteten prangerte prangerten prangert",
    # phrases of opinion and attitude that take a reported clause ("zeigte sich zuversichtlich, dass ...",
    # "hält es für möglich, dass ...", "ist der Ansicht, dass ...", "geht aus dem Bericht hervor, dass ...")
    "zuversichtlich": "zeigte zeigten zeigt", "optimistisch": "zeigte zeigten zeigt",
    "überzeugt": "zeigte zeigten zeigt", "besorgt": "zeigte zeigten zeigt", "erfreut": "zeigte zeigten zeigt",
    "enttäuscht": "zeigte zeigten zeigt", "zufrieden": "zeigte zeigten zeigt", "skeptisch": "zeigte zeigten zeigt",
    "für": "hält hielt halten hielten",
    "meinung": "ist sind war waren", "ansicht": "ist sind war waren",
    "auffassung": "ist sind war waren vertrat vertritt vertraten",
    "überzeugung": "ist sind war waren",
    "stellung": "nahm nahmen nimmt",
}

# In a verb-final clause the particle is joined to the verb ("wie der Sprecher mitteilte", "als er hinzufügte").
CUE_VERBS = CUE_VERBS | frozenset(p + f for p, forms in SEPARABLE_CUES.items() for f in forms.split())

# Words between a cue verb and the speaker that follows it ("sagte am Montag der Sprecher").
CUE_FILLERS = frozenset("""am im in auf bei beim vor nach gegenüber dazu dann auch noch zudem später bereits
heute gestern morgen damals weiter weiterhin außerdem ebenfalls jedoch aber allerdings nun dort hier den der dem
des einer einem einen ein eine zum zur""".split())

# ------------------------------------------------------------------ cue phrases
# "so X": "„…“, so der Sprecher"; "laut X" / "X zufolge" / "nach Angaben von X" / "wie X mitteilte".
SO_WORDS = frozenset({"so"})
ACCORDING_PREFIXES = ("laut", "nach angaben von", "nach angaben des", "nach angaben der", "nach angaben",
                      "nach aussage von", "nach aussagen von", "nach aussage des", "nach aussagen des",
                      "nach aussage der", "nach aussagen der", "nach informationen von", "nach informationen des",
                      "nach informationen der", "nach informationen", "nach auffassung von",
                      "nach ansicht von", "nach ansicht des", "nach ansicht der", "nach einschätzung von",
                      "nach einschätzung des", "nach einschätzung der", "nach darstellung von",
                      "nach darstellung des", "nach darstellung der", "nach meinung von", "nach meinung des",
                      "nach meinung der", "gemäß", "wie")
ACCORDING_SUFFIXES = ("zufolge",)
# Single words opening an "according to" phrase ("laut X", "gemäß X"), and the prepositions that open one
# with a noun of ACCORDING_NOUNS ("nach Angaben der Polizei", "nach eigenen Angaben").
ACCORDING_WORDS = frozenset({"laut", "gemäß"})
ACCORDING_PREPOSITIONS = frozenset({"nach"})
# "nach eigenen Angaben": the source is the clause's own subject.
OWN_WORDS = frozenset({"eigenen", "eigener"})
# Adverbs standing for a source named before ("Die Polizei gab Einzelheiten bekannt. Demnach sei ...",
# "ein Bericht, wonach ..."): the rest of the clause is reported, its speaker is not named there.
ACCORDING_PRONOUNS = frozenset({"demnach", "wonach"})
# Determiners that attach a genitive owner to a noun ("der Sprecher des Ministeriums", "Angaben seines Anwalts").
GENITIVE_DETERMINERS = frozenset("des der eines einer seines seiner ihres ihrer dieses dieser".split())
# Pronouns that refer back to the reported content ("Dies berichtete die Zeitung"): a one-word quote span.
ANAPHORIC_CONTENT = frozenset({"dies", "das"})
# How many plain sentences before such a pronoun it stands for.
ANAPHORIC_REACH = 1
# "Wie X mitteilte/sagte, ..." uses the cue verbs; "hieß es" names no speaker.
IMPERSONAL_CUES = ("hieß es", "heißt es", "hiess es", "wurde mitgeteilt", "verlautete", "verlautet")
# Nouns heading a "nach Angaben"-style phrase whose owner follows ("nach Angaben der Polizei").
ACCORDING_NOUNS = frozenset("angaben aussage aussagen informationen auffassung ansicht einschätzung darstellung "
                            "meinung worten berichten bericht erkenntnissen informationen schätzungen schätzung einschätzung "
                            "darstellung auskunft auskünften berechnungen planungen recherchen idee darstellungen "
                            "überzeugung vorstellung vorstellungen sicht bewertung vermutung "
                            "schilderung schilderungen beobachtungen zeugenaussagen studie studien stellungnahme "
                            "erfahrungen umfrage umfragen untersuchung untersuchungen gutachten prognose prognosen "
                            "hochrechnung hochrechnungen statistik zählung ermittlungen unterlagen dokumenten "
                            "vernehmen".split())

# ------------------------------------------------------------------ reported speech
# Konjunktiv I/II forms that mark a clause as reported ("er habe", "man werde", "es gebe").
KONJUNKTIV = frozenset("""
sei seien seiest habe hätte hätten werde würde würden wäre wären könne könnte könnten müsse müsste müssten
solle wolle wollen dürfe dürfte dürften möge möchte gebe gäbe gäben komme käme kämen stehe stünde liege läge
gehe ginge bleibe bliebe lasse ließe sehe sähe wisse wüsste brauche fehle plane handle handele gelte bestehe
erwarte trage zeige diene führe arbeite lebe denke glaube halte mache nehme finde helfe spiele befinde verfüge
stamme drohe reiche hänge treffe biete betrage beruhe bedeute entspreche wachse steige sinke sitze laufe
habest seist verlange benötige lehne kenne rechne wünsche hoffe fordere prüfe unterstütze bereite erfolge
""".split())
# Konjunktiv II forms, also common in plain narration ("hätte", "würde"): they do not carry reported
# speech on without a cue of their own.
KONJUNKTIV_II = frozenset("""hätte hätten würde würden wäre wären könnte könnten müsste müssten dürfte dürften
möchte gäbe gäben käme kämen stünde läge ginge bliebe ließe sähe wüsste""".split())
# Hearsay: "sollen" with a perfect infinitive ending the sentence passes on a claim ("Der Täter soll geflohen
# sein", "Dabei sollen drei Menschen verletzt worden sein"): the modal, the auxiliaries that end such a
# sentence, and the endings of the participle before them.
HEARSAY_MODALS = frozenset({"soll", "sollen"})
PERFECT_AUXILIARIES = frozenset({"haben", "sein"})
PARTICIPLE_ENDINGS = ("t", "en")
# A participle ending a passive clause ("wurde als „…“ bezeichnet"): a weak one ends in "-t" ("kritisiert"); one
# in "-en" only with a prefix ("gezogen", "verboten", "erhoben"), else it is an infinitive ("werden ... tun").
WEAK_PARTICIPLE_ENDINGS = ("t",)
PARTICIPLE_PREFIXES = ("ge", "be", "ver", "er", "zer", "ent", "emp")
# Participles without a prefix ("kritisiert", "informiert").
BARE_PARTICIPLE_ENDINGS = ("iert",)
# How many sentences after the last attributed one a Konjunktiv I sentence still counts as reported speech
# (beyond the next one without a speaker: the speaker is not sure any more).
KONJUNKTIV_REACH = 5
# The pronoun whose present indicative looks like the Konjunktiv I ("ich habe", "ich denke"): not reported.
FIRST_PERSON = frozenset({"ich"})
# Pronouns of the speaker and the one spoken to: a speaker written so is nobody the article names ("Wir gehen
# davon aus"), and a capitalised word right before "du"/"ihr" is the verb of a question ("Glaubst du, ...").
PERSONAL_PRONOUNS = frozenset("ich wir du ihr".split())
SECOND_PERSON = frozenset("du ihr".split())
# A pronoun that is only ever a subject: right after the finite verb it is the subject, and the word before
# the verb is not ("Kurz dachte er daran", "Den Vorschlag nannte er").
NOMINATIVE_PRONOUNS = frozenset({"er"})
# Konjunktiv forms that are also indicative plural; reported only after a singular subject: too weak alone.
AMBIGUOUS_KONJUNKTIV = frozenset("wollen".split())
# An infinitive clause after a verb of saying is reported too ("kündigte an, das Werk zu schließen"):
# its marker, the endings of an infinitive, and the prefixes of separable verbs that take the marker inside
# ("vorzugehen", "einzureichen").
INFINITIVE_MARKER = "zu"
# Words opening an infinitive clause of purpose or manner ("um ... zu", "ohne ... zu"): not reported content.
PURPOSE_WORDS = frozenset("um ohne statt anstatt".split())
INFINITIVE_ENDINGS = ("en", "ern", "eln", "sein", "tun")
SEPARABLE_PREFIXES = ("ab", "an", "auf", "aus", "bei", "ein", "fest", "fort", "her", "heraus", "hin", "mit",
                      "nach", "vor", "vorbei", "weg", "weiter", "zurück", "zusammen", "durch", "um", "los",
                      "teil", "statt", "bekannt", "frei", "offen", "fern", "dar")
# Conjunction of a reported clause ("sagte, dass ...", "fragte, ob ...").
THAT_WORDS = frozenset({"dass", "daß", "ob"})
# Verbs that report a clause after a comma but are not verbs of saying for a direct quote.
CLAUSE_CUE_VERBS = frozenset("""kündigte kündigten betonte betonten versicherte versicherten vermutete vermuteten
befürchtete befürchteten hoffte hofften glaubte glaubten bezweifelte bezweifelten
angekündigt vorgeworfen aufgefordert hingewiesen bestritten eingeräumt zugegeben abgelehnt vorgeschlagen
beschuldigt beschuldigte beschuldigten mitgeteilt bekanntgegeben angegeben zugesichert zugesagt eingewandt
bestreitet bestreiten bestritt bestritten erwartet erwartete erwarteten verlangt verlangte verlangten
beschlossen beschloss beschlossen entschieden entschied befürchtet behauptet zugestimmt
verweigert verweigerte weigerte weigerten weigert kritisiert
festgestellt angeboten gebeten vermutet bekräftigt gewarnt gefordert beteuert
schätzt schätzte schätzten""".split())

# Words before a capitalised quoted word that make it a quoted judgement, not a name
# ("nannte es einen „Wortbruch“", "bezeichnete ihn als „Verräter“").
NAMING_WORDS = frozenset("als einen eine einer ein".split())

# ------------------------------------------------------------------ speakers
# Prepositions: a sentence opening with one opens with an adverbial, its subject follows the verb.
PREPOSITIONS = frozenset("""in im ins am an auf aus bei beim mit nach seit von vom vor zu zum zur über unter für gegen
ohne um durch während wegen trotz neben zwischen hinter gegenüber laut gemäß angesichts aufgrund infolge
innerhalb außerhalb bis ab""".split())
# Words opening a sentence before its subject ("Auch der Minister sagte ...").
LEADING_PARTICLES = frozenset("auch doch und aber denn jedoch zudem".split())
# "Wie X mitteilte, ...": the word that opens such a clause.
AS_WORDS = frozenset({"wie"})
# Auxiliaries and modals between a subject and a participle of saying ("Er hatte gesagt").
AUXILIARIES = frozenset("""hat hatte hatten haben habe hätte ist war waren sind sei wird wurde wurden werden würde
soll sollte sollen will wollte wollen kann konnte können muss musste müssen darf durfte ließ lässt""".split())
# Articles that open a subject noun phrase ("Der Sprecher sagte"); dative/genitive ones do not.
NOMINATIVE_DETERMINERS = frozenset("der die das ein eine einer dieser diese dieses sein seine ihr ihre unser unsere".split())
# Lower-case words inside names ("Ursula von der Leyen", "Karl-Theodor zu Guttenberg").
NAME_PARTICLES = frozenset("von van der de del zu vom bin al da di la le".split())
# Endings of sentence-initial adverbs and participles that are not speakers ("Unmissverständlich sagte ...").
ADVERB_ENDINGS = ("lich", "weise", "end", "ig", "erweise", "mals", "falls", "dings", "seits", "halb", "wärts")
PRONOUNS = {"er": "m", "sie": "f", "es": "n", "man": "x"}
POSSESSIVES = {"sein": "m", "seine": "m", "seiner": "m", "seinem": "m", "seinen": "m",
               "ihr": "f", "ihre": "f", "ihrer": "f", "ihrem": "f", "ihren": "f"}
DETERMINERS = frozenset("""der die das des dem den ein eine einer eines einem einen dieser diese dieses
sein seine seiner seinem seinen ihr ihre ihrer ihrem ihren zwei drei mehrere viele einige""".split())
MALE_DETERMINERS = frozenset("der ein dieser".split())
FEMALE_DETERMINERS = frozenset("die eine diese".split())
# Role nouns (also the end of compounds: "Regierungssprecher", "Ministerpräsidentin").
ROLE_SUFFIXES = ("sprecher", "sprecherin", "minister", "ministerin", "präsident", "präsidentin", "kanzler",
                 "kanzlerin", "chef", "chefin", "leiter", "leiterin", "vorsitzende", "vorsitzender", "direktor",
                 "direktorin", "sekretär", "sekretärin", "bürgermeister", "bürgermeisterin", "vorstand",
                 "experte", "expertin", "anwalt", "anwältin", "richter", "richterin", "trainer", "trainerin",
                 "politiker", "politikerin", "abgeordnete", "abgeordneter", "beauftragte", "beauftragter",
                 "kommissar", "kommissarin", "botschafter", "botschafterin", "führer", "führerin",
                 "manager", "managerin", "sprecherinnen", "sprechers", "kandidat", "kandidatin", "autor",
                 "autorin", "forscher", "forscherin", "wissenschaftler", "wissenschaftlerin", "gründer",
                 "gründerin", "vertreter", "vertreterin", "premier", "premierminister", "könig", "königin",
                 "papst", "bischof", "kardinal", "general", "oberst", "offizier", "sprecherin", "staatsanwalt",
                 "staatsanwältin", "verteidiger", "verteidigerin", "zeuge", "zeugin", "augenzeuge",
                 "augenzeugin", "chefredakteur", "chefredakteurin", "analyst", "analystin", "ökonom",
                 "ökonomin", "aktivist", "aktivistin", "mitglied", "funktionär", "funktionärin")
FEMALE_ROLE_ENDINGS = ("in",)
# Nouns for people and groups of people that are no title ("die Anwohner", "Kritiker", "die Demonstranten"),
# also as the end of compounds ("Klimaforscher"); with ROLE_SUFFIXES and ORG_HEADS they tell a speaker from
# an abstract noun ("Seine Zuversicht gründet sich auf ...:" has no speaker).
PERSON_NOUNS = ("bewohner", "einwohner", "anwohner", "bürger", "bürgerin", "kritiker", "kritikerin", "befürworter",
                "gegner", "gegnerin", "demonstrant", "demonstranten", "demonstrantin", "experten", "zeugen",
                "aktivisten", "teilnehmer", "teilnehmerin", "mitarbeiter", "mitarbeiterin", "beamte", "beamten",
                "beamter", "polizist", "polizisten", "polizistin", "ermittler", "ermittlerin", "veranstalter",
                "organisatoren", "initiatoren", "kläger", "klägerin", "angeklagte", "angeklagter", "angehörige",
                "angehörigen", "opfer", "fans", "wähler", "wählerin", "schüler", "schülerin", "studenten",
                "student", "studentin", "lehrer", "lehrerin", "arzt", "ärzte", "ärztin", "mediziner",
                "medizinerin", "juristen", "jurist", "juristin", "ökonomen", "analysten", "forscher", "forscherin",
                "wissenschaftler", "abgeordneten", "politiker", "vertreter", "sprecher", "hacker", "hersteller",
                "betreiber", "betreiberin", "eigentümer", "eigentümerin", "besitzer", "investoren", "aktionäre",
                "gewerkschafter", "unternehmer", "unternehmerin", "journalist", "journalisten", "journalistin",
                "redakteur", "redakteure", "kommentator", "kommentatoren", "beobachter", "anhänger", "unterstützer",
                "mitglieder", "nutzer", "nutzerin", "verbraucher", "kunden", "bauern", "arbeiter", "arbeiterin",
                "soldaten", "soldat", "soldatin", "rebellen", "aufständischen", "häftlinge", "flüchtlinge",
                "überlebende", "überlebenden", "passant", "passanten", "nachbar", "nachbarn", "bruder", "schwester",
                "mutter", "vater", "sohn", "tochter", "ehefrau", "ehemann", "witwe", "familie", "eltern", "mann",
                "frau", "männer", "frauen", "kinder", "jugendliche", "jugendlichen", "leute", "menschen",
                "schauspieler", "schauspielerin", "sänger", "sängerin", "musiker", "künstler", "künstlerin",
                "spieler", "spielerin", "fahrer", "fahrerin", "pilot", "piloten", "kapitän", "astronaut",
                "bischöfe", "pfarrer", "priester", "imam", "rabbiner", "staatsoberhaupt", "regierungschef",
                "regierungschefin", "amtsinhaber", "amtsinhaberin", "wahlsieger", "sieger", "siegerin", "verlierer",
                "herausforderer", "herausforderin", "nachfolger", "nachfolgerin", "vorgänger", "vorgängerin",
                "kollege", "kollegen", "kollegin", "partner", "partnerin", "verteidigung", "anklage",
                "befragten")
# Written sources that speak in a report as a person does ("das Strafgesetzbuch sieht vor:", "in dem Schreiben
# heißt es"), also as the end of compounds ("Grundgesetz", "Pressemitteilung").
SOURCE_NOUNS = ("gesetz", "gesetzbuch", "vertrag", "urteil", "resolution", "beschluss", "dokument", "brief",
                "schreiben", "aufruf", "kommentar", "artikel", "beitrag", "stellungnahme", "papier", "protokoll",
                "gutachten", "schrift", "homepage", "internetseite", "blog", "erklärung", "mitteilung", "bericht",
                "studie", "meldung", "umfrage", "entwurf", "anklage", "klage", "satzung", "verfassung", "charta")
# Endings of abstract nouns: a subject headed by one is no speaker ("Seine Zuversicht gründet sich auf ...:",
# "Die Äußerungen des Ministers nannte er ...", "Jegliche Verantwortung weist X von sich:"), unless the phrase
# also holds a person, role, organisation or written source ("die Erklärung", "die Regierung").
ABSTRACT_NOUN_ENDINGS = ("ung", "ungen", "heit", "heiten", "keit", "keiten", "tion", "tionen", "tät", "täten",
                         "nis", "nisse", "ismus", "sicht", "pflicht", "pflichten")
# Titles before a name ("Bundeskanzlerin Angela Merkel", "Dr. Klaus Stöhr").
NAME_TITLES = frozenset("""dr dr. prof prof. herr frau sankt st.""".split())
# Heads of organisation and media names ("die Nachrichtenagentur dpa", "das Innenministerium").
ORG_HEADS = ("agentur", "nachrichtenagentur", "ministerium", "polizei", "regierung", "staatsanwaltschaft",
             "unternehmen", "konzern", "firma", "gericht", "behörde", "verband", "partei", "zeitung", "magazin",
             "komitee", "gremium", "parlament", "kabinett", "kammer",
             "sender", "rundfunk", "fernsehen", "verwaltung", "amt", "institut", "kommission", "organisation",
             "armee", "militär", "bundeswehr", "feuerwehr", "gewerkschaft", "verein", "stiftung", "bank",
             "rat", "ausschuss", "fraktion", "bündnis", "union", "bund", "kirche", "vatikan", "uno", "nato",
             "büro", "zentrale", "gruppe", "kreise", "kreisen", "medien", "bericht", "meldung", "mitteilung",
             "studie", "erklärung", "website", "webseite", "blatt", "portal", "dienst", "netzwerk", "club",
             "klub", "team", "mannschaft", "ag", "gmbh", "inc", "ltd", "spiegel", "dpa", "afp", "reuters", "ap",
             "apa", "sda", "ddp", "epd", "kna", "ard", "zdf", "bbc", "cnn", "tagesschau", "welle", "times",
             "post", "bild", "focus", "stern", "taz", "faz", "rtl", "orf", "ministeriums", "regierungen",
             "behörden", "sicherheitskreise", "sicherheitskreisen", "polizeiangaben", "zeitungen",
             # bodies named like abstract nouns ("die Opposition", "die Schulleitung", "die Parteiführung"; not
             # "die Einführung", "die Wasserleitung")
             "opposition", "koalition", "delegation", "redaktion", "administration", "direktion", "vereinigung",
             "vertretung", "versammlung", "gemeinde", "universität", "hochschule", "fakultät", "parteiführung",
             "vereinsführung", "geschäftsführung", "konzernführung", "staatsführung", "militärführung",
             "armeeführung", "unternehmensführung", "parteileitung", "vereinsleitung", "geschäftsleitung",
             "konzernleitung", "schulleitung", "klinikleitung", "einsatzleitung", "armeeleitung",
             "universitätsleitung", "projektleitung", "heimleitung", "anstaltsleitung", "bürgerbewegung",
             "protestbewegung", "widerstandsbewegung", "friedensbewegung", "umweltbewegung")
# Media a speaker talks to, in the dative right after the name after a verb of saying ("sagte Müller der
# Deutschen Presse-Agentur", "sagte Weber dem Sender"): word endings of the addressee's noun.
ADDRESSEE_NOUNS = ("zeitung", "nachrichtenagentur", "presse-agentur", "presseagentur", "sender", "funk",
                   "fernsehen", "magazin", "blatt", "portal", "redaktion", "zeitschrift", "radio", "dpa", "afp",
                   "reuters", "apa", "sda", "epd", "kna", "ard", "zdf", "bbc", "cnn", "spiegel", "bild", "stern",
                   "welt", "taz", "faz", "tagesschau", "tagesspiegel", "journalisten", "reportern", "medien")
# Common first names with their gender (for "er"/"sie" resolution).
MALE_FIRST = frozenset("""peter michael thomas andreas wolfgang klaus jürgen günter stefan christian uwe werner
horst frank dieter manfred gerhard hans bernd martin helmut matthias joachim ralf karl heinz walter jan markus
rainer sebastian alexander olaf norbert josef johann franz friedrich wilhelm georg paul tobias daniel florian
philipp lukas jonas felix david simon tim max moritz erich kurt otto rudolf heiko guido sigmar gregor cem volker
hubertus jens armin robert boris emmanuel nicolas francois françois jacques vladimir wladimir dmitri donald
george barack joe john bill tony gordon david silvio mario recep benjamin ariel mahmud hamid hassan ali mohammed
muhammad ahmed kofi ban xi hu wen shinzo edmund theo karl-theodor guido frank-walter horst ulrich hermann lothar
oskar roland kurt-georg joschka rudolf jürgen günther edmund markus christian winfried""".split())
FEMALE_FIRST = frozenset("""angela ursula claudia sabine petra andrea monika susanne birgit karin gabriele
renate heike christine stefanie julia anna maria katharina sarah laura lisa lena hannah sophie marie annegret
malu manuela franziska andrea nancy svenja anja julia brigitte ulla renate kristina hillary condoleezza theresa
marine ségolène segolene cristina dilma julia yulia julija benazir aung sahra katja simone ilse edelgard
heidemarie renate ulla christa margot hannelore doris elke ingrid jutta karola marianne marion""".split())
# German capitalises every noun: a word alone is a name only when the article also writes it with another name.
NOUNS_CAPITALISED = True
# Subjects that are never speakers even before a verb of saying.
NOT_SPEAKERS = frozenset("""es das dies dieses was wer wie als wenn dass ob und oder aber doch so da dann
auch noch nun man damit hier zwar bisher derzeit dabei besonders außerdem insbesondere weiterhin später selbst
denn daraus alle dennoch darüber deshalb daher dagegen inzwischen unterdessen zudem jetzt heute gestern ebenfalls
bereits schon erst vielmehr trotzdem stattdessen allerdings also anschließend zunächst schließlich hingegen
indessen seitdem seither künftig zuvor danach davor darauf dazu dafür dort demnach somit jedoch ferner zugleich
gleichzeitig vorher nachher immer oft häufig kürzlich jüngst neulich einst damals sogar gerade vor allem
besonders weiter ebenso genauso dies diese dieser deren dessen folgendes aktuell
zumindest indes immerhin generell nämlich jedenfalls ohnehin mittlerweile derweil freilich offenbar vielleicht
angeblich tatsächlich eigentlich übrigens wohl kaum fast nur bislang längst stets nie niemals manchmal meist
meistens bald sofort zuletzt zuerst erstmals endlich letztlich insgesamt grundsätzlich lediglich erneut wieder
wiederum überdies ansonsten sonst anfangs mitunter vorerst vorab warum wann wieso weshalb weswegen wozu woher
wohin""".split()) | frozenset(
    # pronominal adverbs ("Darin wird ... aufgefordert"): da(r)-, hier-, wo(r)- with a preposition
    p + ("r" + q if p != "hier" and q[0] in "aeiouü" else q) for p in ("da", "hier", "wo")
    for q in "an auf aus bei durch für gegen hinter in mit nach neben über um unter von vor zu zwischen".split())
# A preposition opening a sentence with the person whose view it gives ("Für den Minister ist das ein „Fehler“").
OPINION_PREPOSITIONS = frozenset({"für"})
# Prepositions naming the topic after a bare speaker label before a colon ("Ministerin Lang zur Reform: „…“").
TOPIC_PREPOSITIONS = frozenset("zu zum zur über".split())
# Verbs of an impersonal cue ("heißt es in der Mitteilung"): the source is the place named, not "es".
IMPERSONAL_VERBS = frozenset("heißt hieß hiess geheißen".split())
# Prepositions naming the place of a written source ("in der Erklärung", "auf der Website") or the source
# itself ("hieß es vom Ministerium").
SOURCE_PREPOSITIONS = frozenset("in im auf aus von vom".split())

# ------------------------------------------------------------------ clause structure
# Conjunctions opening a verb-final clause: its subject follows them ("wie der Sprecher mitteilte",
# "dass Müller gesagt habe", "nachdem sie erklärt hatte").
SUBORDINATORS = frozenset("""dass daß ob wie weil nachdem als während da wenn obwohl indem wonach zumal sodass
damit bevor seit seitdem""".split())
# Reflexive pronouns between a verb and its subject ("äußerte sich der Minister").
REFLEXIVES = frozenset({"sich"})
# Endings of inflected adjectives inside a noun phrase ("der innenpolitische Sprecher").
ADJECTIVE_ENDINGS = ("e", "en", "er", "es", "em")
# Endings of attributive adjectives inside an "according to" phrase ("behördlichen Angaben zufolge",
# "nach Angaben der afghanischen Regierung"): derived adjectives and the common inflected ones.
ATTRIBUTIVE_ADJECTIVE_ENDINGS = ("ischen", "ischer", "isches", "lichen", "licher", "liches", "igen", "iger", "alen",
                                 "aler", "ellen", "eller", "iven", "iver", "ersten", "eigenen", "anderer", "anderen",
                                 "weiteren", "mehrerer", "mehreren", "verschiedenen", "einiger", "vieler",
                                 "neuesten", "jüngsten", "letzten", "unbestätigten", "übereinstimmenden", "nahen",
                                 "informierten", "gut", "unterrichteter", "unterrichteten")
# Prepositions attaching an owner inside a noun phrase ("ein Sprecher von Tesla").
GENITIVE_PREPOSITIONS = frozenset({"von", "vom"})
# Coordinating conjunctions (never the verb of a clause).
CONJUNCTIONS = frozenset("und oder sowie aber sondern denn".split())
# Articles that after the finite verb open the subject, not an object ("warnte der Moderator", "sagte ein
# Zeuge"): with them the phrase after the verb is preferred to an unlikely first phrase.
SUBJECT_ONLY_DETERMINERS = frozenset("der ein er sie".split())
# Passive: the auxiliary, and the preposition naming the agent ("wird von der Zeitung zitiert").
PASSIVE_AUXILIARIES = frozenset("wird werden wurde wurden worden".split())
# Cues whose passive subject is the one who speaks ("X wird mit den Worten zitiert"); of other cues it is the
# one spoken to or about ("X wurde aufgefordert").
QUOTED_SUBJECT_CUES = frozenset("zitiert wiedergegeben".split())
AGENT_PREPOSITIONS = frozenset("von vom".split())
# Relative pronouns opening a clause after a comma ("Müller, der die Firma leitet, sagte").
RELATIVE_PRONOUNS = frozenset("der die das welcher welche welches dessen deren dem den denen".split())
