"""The default rubric, centred on the mission: social and economic impact first."""

# The default rubric's name, per language (migration names_in_languages writes it out too).
DEFAULT_RUBRIC_NAME = {
    "fr": "Grille idéathon coopératives",
    "ar": "شبكة تقييم أفكار التعاونيات",
    "en": "Cooperatives ideathon rubric",
}

# key, weight, tie-break order, {lang: name}, {lang: description}, {level: {lang: text}} (1 to 5)
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
            "1": {
                "fr": "Peu de bénéficiaires, aucun effet d'inclusion.",
                "ar": "مستفيدون قليلون ولا أثر إدماجي.",
                "en": "Few beneficiaries, no inclusion effect.",
            },
            "2": {
                "fr": "Quelques bénéficiaires, inclusion limitée.",
                "ar": "مستفيدون محدودون وإدماج ضعيف.",
                "en": "Some beneficiaries, limited inclusion.",
            },
            "3": {
                "fr": "Bénéficiaires identifiés, inclusion de femmes ou de jeunes.",
                "ar": "مستفيدون محددون وإدماج للنساء أو الشباب.",
                "en": "Identified beneficiaries, women or young people included.",
            },
            "4": {
                "fr": "Nombreux bénéficiaires, inclusion réelle des personnes vulnérables.",
                "ar": "مستفيدون كثيرون وإدماج فعلي للفئات الهشة.",
                "en": "Many beneficiaries, real inclusion of vulnerable people.",
            },
            "5": {
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
            "1": {
                "fr": "Aucun emploi durable.",
                "ar": "لا مناصب شغل دائمة.",
                "en": "No lasting job.",
            },
            "2": {
                "fr": "Quelques emplois saisonniers.",
                "ar": "بعض مناصب الشغل الموسمية.",
                "en": "A few seasonal jobs.",
            },
            "3": {
                "fr": "Quelques emplois durables, revenus modestes.",
                "ar": "بعض مناصب الشغل الدائمة ومداخيل متواضعة.",
                "en": "A few lasting jobs, modest income.",
            },
            "4": {
                "fr": "Plusieurs emplois durables, revenus stables pour les membres.",
                "ar": "عدة مناصب شغل دائمة ومداخيل مستقرة للأعضاء.",
                "en": "Several lasting jobs, stable income for members.",
            },
            "5": {
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
            "1": {
                "fr": "Copie d'une activité existante.",
                "ar": "نسخة من نشاط قائم.",
                "en": "Copy of an existing activity.",
            },
            "2": {
                "fr": "Petite amélioration d'une activité existante.",
                "ar": "تحسين بسيط لنشاط قائم.",
                "en": "A small improvement on an existing activity.",
            },
            "3": {
                "fr": "Adaptation utile d'une idée connue ailleurs.",
                "ar": "تكييف مفيد لفكرة معروفة في مكان آخر.",
                "en": "A useful adaptation of an idea known elsewhere.",
            },
            "4": {
                "fr": "Nouveauté nette pour la province.",
                "ar": "جدة واضحة على مستوى الإقليم.",
                "en": "Clearly new for the province.",
            },
            "5": {
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
            "1": {
                "fr": "Irréaliste en l'état.",
                "ar": "غير واقعي في صيغته الحالية.",
                "en": "Unrealistic as it stands.",
            },
            "2": {
                "fr": "Des lacunes importantes (budget, compétences ou marché).",
                "ar": "ثغرات كبيرة (الميزانية أو الكفاءات أو السوق).",
                "en": "Major gaps (budget, skills or market).",
            },
            "3": {
                "fr": "Faisable avec un accompagnement soutenu.",
                "ar": "قابل للإنجاز بمواكبة مكثفة.",
                "en": "Feasible with sustained support.",
            },
            "4": {
                "fr": "Plan solide, quelques points à préciser.",
                "ar": "خطة متينة مع بعض النقط للتدقيق.",
                "en": "A sound plan, a few points to settle.",
            },
            "5": {
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
            "1": {
                "fr": "Pression forte sur les ressources.",
                "ar": "ضغط كبير على الموارد.",
                "en": "Heavy pressure on resources.",
            },
            "2": {
                "fr": "Pression notable, peu de mesures pour la réduire.",
                "ar": "ضغط ملحوظ وتدابير قليلة للحد منه.",
                "en": "Notable pressure, few steps to reduce it.",
            },
            "3": {
                "fr": "Effet neutre sur les ressources.",
                "ar": "أثر محايد على الموارد.",
                "en": "Neutral effect on resources.",
            },
            "4": {
                "fr": "Économise l'eau ou l'énergie, ou réduit les déchets.",
                "ar": "يقتصد في الماء أو الطاقة أو يقلل النفايات.",
                "en": "Saves water or energy, or reduces waste.",
            },
            "5": {
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
            "1": {"fr": "Intrants importés.", "ar": "مدخلات مستوردة.", "en": "Imported inputs."},
            "2": {
                "fr": "Surtout des intrants importés.",
                "ar": "مدخلات مستوردة في الغالب.",
                "en": "Mostly imported inputs.",
            },
            "3": {
                "fr": "Moitié locale, moitié importée.",
                "ar": "نصفها محلي ونصفها مستورد.",
                "en": "Half local, half imported.",
            },
            "4": {
                "fr": "Surtout des produits et savoir-faire locaux.",
                "ar": "منتوجات ومهارات محلية في الغالب.",
                "en": "Mostly local products and know-how.",
            },
            "5": {
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
