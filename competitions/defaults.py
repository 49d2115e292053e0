"""The default rubric, centred on the mission: social and economic impact first."""

# The default rubric's name, per language (migration names_in_languages writes it out too).
DEFAULT_RUBRIC_NAME = {
    "fr": "Grille idéathon coopératives",
    "ar": "شبكة تقييم أفكار التعاونيات",
    "en": "Cooperatives ideathon rubric",
}

# key, weight, tie-break order, {lang: name}, {lang: description}, {low/high: {lang: text}}
DEFAULT_CRITERIA = [
    {
        "key": "social_impact",
        "weight": 3,
        "tiebreak_order": 1,
        "name": {"fr": "Impact social", "ar": "الأثر الاجتماعي", "en": "Social impact"},
        "description": {
            "fr": "Inclusion des femmes, des jeunes et des personnes vulnérables ; bénéficiaires touchés.",
            "ar": "إدماج النساء والشباب والفئات الهشة؛ عدد المستفيدين.",
            "en": "Inclusion of women, young people and vulnerable people; beneficiaries reached.",
        },
        "descriptors": {
            "low": {
                "fr": "Peu de bénéficiaires, aucun effet d'inclusion.",
                "ar": "مستفيدون قليلون ولا أثر إدماجي.",
                "en": "Few beneficiaries, no inclusion effect.",
            },
            "high": {
                "fr": "Transforme la vie de nombreux bénéficiaires vulnérables.",
                "ar": "يغيّر حياة عدد كبير من المستفيدين الهشّين.",
                "en": "Changes the lives of many vulnerable beneficiaries.",
            },
        },
    },
    {
        "key": "economic_impact",
        "weight": 3,
        "tiebreak_order": 2,
        "name": {
            "fr": "Impact économique (emplois, revenus)",
            "ar": "الأثر الاقتصادي (مناصب الشغل، المداخيل)",
            "en": "Economic impact (jobs, income)",
        },
        "description": {
            "fr": "Emplois créés, revenus pour les membres, effet sur l'économie locale.",
            "ar": "مناصب الشغل المحدثة، مداخيل الأعضاء، الأثر على الاقتصاد المحلي.",
            "en": "Jobs created, income for members, effect on the local economy.",
        },
        "descriptors": {
            "low": {
                "fr": "Aucun emploi durable.",
                "ar": "لا مناصب شغل دائمة.",
                "en": "No lasting job.",
            },
            "high": {
                "fr": "Nombreux emplois durables et revenus réguliers.",
                "ar": "مناصب شغل دائمة عديدة ومداخيل منتظمة.",
                "en": "Many lasting jobs and regular income.",
            },
        },
    },
    {
        "key": "innovation",
        "weight": 2,
        "tiebreak_order": None,
        "name": {"fr": "Innovation", "ar": "الابتكار", "en": "Innovation"},
        "description": {
            "fr": "Nouveauté du produit, du service ou de l'organisation.",
            "ar": "جدة المنتوج أو الخدمة أو التنظيم.",
            "en": "Novelty of the product, service or organisation.",
        },
        "descriptors": {
            "low": {
                "fr": "Copie d'une activité existante.",
                "ar": "نسخة من نشاط قائم.",
                "en": "Copy of an existing activity.",
            },
            "high": {
                "fr": "Approche nouvelle dans la région.",
                "ar": "مقاربة جديدة في الجهة.",
                "en": "A new approach in the region.",
            },
        },
    },
    {
        "key": "feasibility",
        "weight": 2,
        "tiebreak_order": None,
        "name": {"fr": "Faisabilité", "ar": "قابلية الإنجاز", "en": "Feasibility"},
        "description": {
            "fr": "Compétences de l'équipe, budget réaliste, marché identifié.",
            "ar": "كفاءات الفريق، ميزانية واقعية، سوق محدد.",
            "en": "Team skills, realistic budget, identified market.",
        },
        "descriptors": {
            "low": {
                "fr": "Irréaliste en l'état.",
                "ar": "غير واقعي في صيغته الحالية.",
                "en": "Unrealistic as it stands.",
            },
            "high": {
                "fr": "Prêt à démarrer avec un appui modeste.",
                "ar": "جاهز للانطلاق بدعم بسيط.",
                "en": "Ready to start with modest support.",
            },
        },
    },
    {
        "key": "sustainability",
        "weight": 1,
        "tiebreak_order": None,
        "name": {
            "fr": "Durabilité environnementale",
            "ar": "الاستدامة البيئية",
            "en": "Environmental sustainability",
        },
        "description": {
            "fr": "Effet sur l'eau, les sols, l'énergie et les déchets.",
            "ar": "الأثر على الماء والتربة والطاقة والنفايات.",
            "en": "Effect on water, soil, energy and waste.",
        },
        "descriptors": {
            "low": {
                "fr": "Pression forte sur les ressources.",
                "ar": "ضغط كبير على الموارد.",
                "en": "Heavy pressure on resources.",
            },
            "high": {
                "fr": "Préserve ou restaure les ressources.",
                "ar": "يحافظ على الموارد أو يجددها.",
                "en": "Preserves or restores resources.",
            },
        },
    },
    {
        "key": "local_resources",
        "weight": 1,
        "tiebreak_order": None,
        "name": {
            "fr": "Valorisation des ressources locales",
            "ar": "تثمين الموارد المحلية",
            "en": "Use of local resources",
        },
        "description": {
            "fr": "Produits du terroir, savoir-faire et matières premières de la région.",
            "ar": "منتوجات مجالية، مهارات ومواد أولية محلية.",
            "en": "Local products, know-how and raw materials of the region.",
        },
        "descriptors": {
            "low": {"fr": "Intrants importés.", "ar": "مدخلات مستوردة.", "en": "Imported inputs."},
            "high": {
                "fr": "Filière entièrement locale.",
                "ar": "سلسلة محلية بالكامل.",
                "en": "A fully local value chain.",
            },
        },
    },
]


def build_default_rubric():
    """A new (unsaved) Rubric with the default criteria, scale 1–5."""
    from competitions.models import Criterion, Rubric

    rubric = Rubric(
        name=DEFAULT_RUBRIC_NAME["fr"],
        name_ar=DEFAULT_RUBRIC_NAME["ar"],
        name_en=DEFAULT_RUBRIC_NAME["en"],
        version=1,
    )
    for position, spec in enumerate(DEFAULT_CRITERIA):
        rubric.criteria.append(
            Criterion(position=position, scale_min=1, scale_max=5, half_points=False, **spec)
        )
    return rubric


# The 12 regions of Morocco (French name → Arabic name); events store the French name.
REGIONS = {
    "Tanger-Tétouan-Al Hoceïma": "طنجة تطوان الحسيمة",
    "L'Oriental": "الشرق",
    "Fès-Meknès": "فاس مكناس",
    "Rabat-Salé-Kénitra": "الرباط سلا القنيطرة",
    "Béni Mellal-Khénifra": "بني ملال خنيفرة",
    "Casablanca-Settat": "الدار البيضاء سطات",
    "Marrakech-Safi": "مراكش آسفي",
    "Drâa-Tafilalet": "درعة تافيلالت",
    "Souss-Massa": "سوس ماسة",
    "Guelmim-Oued Noun": "كلميم واد نون",
    "Laâyoune-Sakia El Hamra": "العيون الساقية الحمراء",
    "Dakhla-Oued Ed-Dahab": "الداخلة وادي الذهب",
}
REGION_NAMES: tuple[str, ...] = tuple(REGIONS)


def region_label(name: str, lang: str = "fr") -> str:
    """The region's name in the reader's language (French names double as English ones)."""
    return REGIONS.get(name, name) if lang == "ar" else name
