"""The demo generator's banks: fictional names, places, titles and bio phrases."""

from __future__ import annotations

# --- Name banks ------------------------------------------------------------------------------
# (first name, grammatical gender used for French agreement: "f" or "m")
FIRST_NAMES: tuple[tuple[str, str], ...] = (
    ("Agnès", "f"),
    ("Aminata", "f"),
    ("Anaïs", "f"),
    ("Astrid", "f"),
    ("Béatrice", "f"),
    ("Bérénice", "f"),
    ("Camille", "f"),
    ("Chloé", "f"),
    ("Clémence", "f"),
    ("Dominique", "m"),
    ("Élodie", "f"),
    ("Éloïse", "f"),
    ("Fatou", "f"),
    ("Françoise", "f"),
    ("Gaëlle", "f"),
    ("Hélène", "f"),
    ("Inès", "f"),
    ("Ingrid", "f"),
    ("Joëlle", "f"),
    ("Léa", "f"),
    ("Leïla", "f"),
    ("Maëlys", "f"),
    ("Marie-José", "f"),
    ("Nadia", "f"),
    ("Noémie", "f"),
    ("Océane", "f"),
    ("Rozenn", "f"),
    ("Solène", "f"),
    ("Thérèse", "f"),
    ("Zoé", "f"),
    ("Adrien", "m"),
    ("Alexis", "m"),
    ("André", "m"),
    ("Benoît", "m"),
    ("Cédric", "m"),
    ("Diego", "m"),
    ("Émile", "m"),
    ("Erwan", "m"),
    ("François", "m"),
    ("Gaël", "m"),
    ("Grégoire", "m"),
    ("Gwenaël", "m"),
    ("Hervé", "m"),
    ("Jean-Baptiste", "m"),
    ("Jérôme", "m"),
    ("Joël", "m"),
    ("Kwame", "m"),
    ("Loïc", "m"),
    ("Lukas", "m"),
    ("Marius", "m"),
    ("Mathis", "m"),
    ("Noël", "m"),
    ("Raphaël", "m"),
    ("Rachid", "m"),
    ("Søren", "m"),
    ("Théo", "m"),
    ("Yann", "m"),
    ("Youssef", "m"),
    ("Zoltán", "m"),
    ("Łukasz", "m"),
)
LAST_NAMES: tuple[str, ...] = (
    "Abgrall",
    "Aït Ouali",
    "Álvarez",
    "Andrieu",
    "Bénard",
    "Berthelot",
    "Bouchard",
    "Caradec",
    "Carvalho",
    "Castañeda",
    "Chevallier",
    "Coëffic",
    "Da Silva",
    "Delacroix",
    "Desbois",
    "Dubois",
    "Dupré-Lagarde",
    "Ebrard",
    "Fabre",
    "Ferré",
    "Gagnon",
    "Guéguen",
    "Guillou",
    "Haddad",
    "Haugen",
    "Hoffmann",
    "Jégou",
    "Kerjean",
    "Kowalska",
    "Lainé",
    "Le Goff",
    "Le Bihan",
    "Lefèvre",
    "Lindqvist",
    "Marchand",
    "Mensah",
    "Morvan",
    "Müller",
    "Nguyễn",
    "Ndiaye",
    "Okafor",
    "Ortega",
    "Pérez",
    "Poirier",
    "Quéméner",
    "Riou",
    "Rolland",
    "Salaün",
    "Schäfer",
    "Sørensen",
    "Tanguy",
    "Thébault",
    "Tremblay",
    "Vasseur",
    "Vidal",
    "Wiśniewska",
    "Yilmaz",
    "Zaïdi",
    "Ødegaard",
    "Éveno",
)
#: letters that Unicode NFKD does not decompose into an ASCII base letter

# --- Profile banks ---------------------------------------------------------------------------
LOCATIONS: tuple[str, ...] = (
    "Brest",
    "Lorient",
    "Concarneau",
    "Douarnenez",
    "Saint-Malo",
    "Cherbourg-en-Cotentin",
    "Granville",
    "Dieppe",
    "Calais",
    "Dunkerque",
    "Boulogne-sur-Mer",
    "Fécamp",
    "Quiberon",
    "Vannes",
    "Saint-Nazaire",
    "Pornic",
    "La Rochelle",
    "Rochefort",
    "Royan",
    "Arcachon",
    "Biarritz",
    "Hendaye",
    "Sète",
    "Marseille",
    "Toulon",
    "Cassis",
    "Nice",
    "Ajaccio",
    "Bastia",
    "Ouessant",
    "Camaret-sur-Mer",
    "Plouguerneau",
    "Paimpol",
    "Saint-Pierre",
    "Nantes",
    "Paris",
)
#: (feminine, masculine) job titles; combined with a service
TITLES: tuple[tuple[str, str], ...] = (
    ("Cheffe du service", "Chef du service"),
    ("Responsable du pôle", "Responsable du pôle"),
    ("Adjointe au chef du service", "Adjoint au chef du service"),
    ("Ingénieure au service", "Ingénieur au service"),
    ("Chargée de mission au service", "Chargé de mission au service"),
    ("Inspectrice au service", "Inspecteur au service"),
    ("Directrice du service", "Directeur du service"),
    ("Cheffe de projet au service", "Chef de projet au service"),
)
SERVICES: tuple[str, ...] = (
    "des phares de l'Iroise",
    "du balisage de la Manche",
    "de la signalisation maritime",
    "des ressources humaines",
    "des systèmes d'information",
    "des affaires juridiques",
    "des bouées de l'Atlantique",
    "de la maintenance des feux",
    "des données maritimes",
    "de la formation continue",
    "des achats et de la logistique",
    "du patrimoine des phares",
    "de la sécurité des navires baliseurs",
    "de la communication",
)
#: (feminine, masculine) roles of external coaches
EXTERNAL_ROLES: tuple[tuple[str, str], ...] = (
    ("Coach professionnelle certifiée", "Coach professionnel certifié"),
    ("Coach de dirigeants et d'équipes", "Coach de dirigeants et d'équipes"),
    ("Consultante et coach en organisation", "Consultant et coach en organisation"),
    ("Coach et médiatrice professionnelle", "Coach et médiateur professionnel"),
    ("Coach en transitions professionnelles", "Coach en transitions professionnelles"),
)
PROVIDERS: tuple[str, ...] = (
    "Cabinet Marée Haute (fictif)",
    "Cabinet Cap Horizon (fictif)",
    "Atelier Boréal Accompagnement (fictif)",
    "Nordlys Coaching (fictif)",
    "Consultores Faro Sur (fictif)",
    "Fjordlys Rådgivning (fictif)",
    "Vent d'Ouest Conseil (fictif)",
    "Amers & Cie Coaching (fictif)",
    "Les Sémaphores Associés (fictif)",
    "Écume RH (fictif)",
)
GENDER_DESCRIPTIONS: tuple[str, ...] = ("genderqueer", "agenre", "genre fluide")
PRONOUNS: dict[str, tuple[str, ...]] = {
    "woman": ("elle", "elle", "elle / she", "she/her"),
    "man": ("il", "il", "il / he", "he/him"),
    "non-binary": ("iel", "iel / they", "they/them"),
}
ISSUERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("icf-training", ("Institut Cap Ouest (fictif)", "École Mareterra de coaching (fictif)")),
    (
        "internal-training",
        (
            "École nationale des gardiens de phare",
            "Centre de formation des Phares et Balises (fictif)",
        ),
    ),
    ("icf", ("International Coaching Federation",)),
    ("ilm", ("Institute of Leadership and Management",)),
    ("emcc", ("European Mentoring and Coaching Council",)),
)
TRAINING_ISSUERS: tuple[str, ...] = ("Institut Cap Ouest (fictif)", "Académie des Amers (fictif)")
OTHER_ISSUERS: tuple[str, ...] = ("Organisme certificateur Hauturier (fictif)",)

# --- Bio phrase banks: (French feminine, French masculine, English) ------------------------
Phrase = tuple[str, str, str]
FORMER: tuple[Phrase, ...] = (
    ("ingénieure des phares", "ingénieur des phares", "lighthouse engineer"),
    ("gardienne de phare", "gardien de phare", "lighthouse keeper"),
    ("officière de port", "officier de port", "harbour officer"),
    ("responsable des ressources humaines", "responsable des ressources humaines", "HR manager"),
    ("cheffe de projet informatique", "chef de projet informatique", "IT project manager"),
    ("inspectrice des côtes", "inspecteur des côtes", "coastal inspector"),
    ("formatrice", "formateur", "trainer"),
    ("développeuse", "développeur", "software developer"),
)


def _same(fr: str, en: str) -> Phrase:
    """A phrase whose French text does not depend on grammatical gender."""
    return fr, fr, en


OPENINGS: tuple[Phrase, ...] = (
    _same(
        "Depuis {years} ans dans l'administration maritime, j'accompagne les collègues qui "
        "veulent **prendre du recul** sur leur pratique.",
        "For {years} years in the maritime administration, I have supported colleagues who "
        "want to **step back** from their daily practice.",
    ),
    (
        "Ancienne {former_f}, je suis devenue coach après une formation certifiante.",
        "Ancien {former_m}, je suis devenu coach après une formation certifiante.",
        "A former {former_en}, I became a coach after a certified training course.",
    ),
    (
        "Coach et mentore depuis {years} ans, j'ai travaillé sur le littoral comme dans les "
        "services centraux.",
        "Coach et mentor depuis {years} ans, j'ai travaillé sur le littoral comme dans les "
        "services centraux.",
        "A coach and mentor for {years} years, I have worked on the coast as well as in head "
        "office.",
    ),
    (
        "Installée à {location}, j'accompagne les agents de la façade maritime depuis {years} ans.",
        "Installé à {location}, j'accompagne les agents de la façade maritime depuis {years} ans.",
        "Based in {location}, I have supported staff along the coast for {years} years.",
    ),
    _same(
        "Manager de proximité pendant {years} ans, je sais combien les **premiers mois d'une "
        "prise de poste** comptent.",
        "A line manager for {years} years, I know how much **the first months in a new role** "
        "matter.",
    ),
    (
        "Issue du terrain, j'ai passé {years} ans entre phares, bouées et bureaux avant de me "
        "former à l'accompagnement.",
        "Issu du terrain, j'ai passé {years} ans entre phares, bouées et bureaux avant de me "
        "former à l'accompagnement.",
        "Coming from the field, I spent {years} years between lighthouses, buoys and offices "
        "before training as a coach.",
    ),
)
EXTERNAL_OPENINGS: tuple[Phrase, ...] = (
    (
        "Coach professionnelle depuis {years} ans, j'interviens auprès d'organisations "
        "publiques et privées.",
        "Coach professionnel depuis {years} ans, j'interviens auprès d'organisations "
        "publiques et privées.",
        "A professional coach for {years} years, I work with public and private organisations.",
    ),
    _same(
        "Après {years} ans en entreprise, j'accompagne désormais des **dirigeants et des "
        "équipes** dans les moments de changement.",
        "After {years} years in business, I now support **leaders and teams** through times "
        "of change.",
    ),
    (
        "Consultante indépendante, j'accompagne depuis {years} ans des cadres du secteur public.",
        "Consultant indépendant, j'accompagne depuis {years} ans des cadres du secteur public.",
        "An independent consultant, I have coached public-sector managers for {years} years.",
    ),
)
APPROACHES: tuple[Phrase, ...] = tuple(
    _same(fr, en)
    for fr, en in (
        (
            "Ma conviction : chacun porte déjà **une bonne part des réponses**, et mon rôle est "
            "de l'aider à les formuler.",
            "My conviction: everyone already holds **a good part of the answers**, and my role "
            "is to help put them into words.",
        ),
        (
            "J'aime travailler à partir de situations concrètes, vécues la semaine précédente, "
            "pour en tirer des pistes d'action réalistes.",
            "I like to work from concrete situations, lived the week before, to draw realistic "
            "next steps from them.",
        ),
        (
            "Mon approche est simple : écouter, questionner, puis laisser à chacun le temps de "
            "décider de la suite.",
            "My approach is simple: listen, ask questions, then leave everyone the time to decide "
            "what comes next.",
        ),
        (
            "Je crois aux petits pas : un engagement précis entre deux séances vaut mieux qu'un "
            "grand plan jamais commencé.",
            "I believe in small steps: one precise commitment between two sessions is worth more "
            "than a grand plan never started.",
        ),
        (
            "Les séances sont confidentielles et avancent à votre rythme ; rien n'est rapporté "
            "à votre hiérarchie.",
            "Sessions are confidential and move at your own pace; nothing is reported to your "
            "line management.",
        ),
        (
            "J'utilise volontiers des outils visuels et des mises en situation pour préparer "
            "les échanges délicats.",
            "I readily use visual tools and role play to prepare for difficult conversations.",
        ),
        (
            "Comme un phare, je n'indique pas la route : j'aide à **repérer les écueils** et "
            "à garder le cap choisi.",
            "Like a lighthouse, I do not chart the course: I help you **spot the reefs** and "
            "hold the course you chose.",
        ),
        (
            "J'accompagne aussi bien des agents de terrain que des équipes de direction, sur "
            "le littoral comme en administration centrale.",
            "I work with field staff as well as with leadership teams, on the coast as well as "
            "in head office.",
        ),
        (
            "Chaque accompagnement commence par un entretien préalable pour clarifier votre "
            "objectif et vérifier que nous pouvons travailler ensemble.",
            "Each engagement starts with an introductory meeting to clarify your goal and check "
            "that we can work together.",
        ),
        (
            "Je travaille sous supervision et dans le respect de la charte du programme, en "
            "toute neutralité.",
            "I work under supervision and within the programme's charter, in full neutrality.",
        ),
        (
            "Je partage volontiers mon **expérience de terrain** et mon réseau avec les "
            "personnes que j'accompagne.",
            "I gladly share my **field experience** and my network with the people I support.",
        ),
        (
            "Le silence et les questions ouvertes sont souvent mes meilleurs outils : les "
            "réponses viennent quand on leur laisse de la place.",
            "Silence and open questions are often my best tools: answers come when they are "
            "given room.",
        ),
    )
)
EXPERTISE_SENTENCE = _same(
    "Mes thèmes de prédilection : {items}.", "The themes I work on most: {items}."
)
MODALITY_SENTENCE = _same("Formats possibles : {items}.", "Formats: {items}.")
LANGUAGE_SENTENCE = _same("Langues de travail : {items}.", "Working languages: {items}.")
PAUSED_SENTENCES: tuple[Phrase, ...] = (
    _same(
        "En pause pour le moment : je reprendrai de nouveaux accompagnements l'an prochain.",
        "Paused for now: I will take on new clients next year.",
    ),
    _same(
        "Je ne prends pas de nouvelles demandes ce trimestre, mais n'hésitez pas à revenir "
        "vers moi.",
        "I am not taking new requests this quarter, but feel free to come back to me.",
    ),
)
LINK_SENTENCE = _same(
    "Pour en savoir plus : [mon parcours](https://www.example.org/parcours/{id}).",
    "More about me: [my background](https://www.example.org/parcours/{id}).",
)

#: YAML words that some tools read as booleans or null: always quoted
