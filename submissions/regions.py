"""The 12 regions of Morocco (2015 division), French name (stored) and Arabic name (shown)."""

REGIONS: tuple[tuple[str, str], ...] = (
    ("Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة"),
    ("L'Oriental", "الشرق"),
    ("Fès-Meknès", "فاس مكناس"),
    ("Rabat-Salé-Kénitra", "الرباط سلا القنيطرة"),
    ("Béni Mellal-Khénifra", "بني ملال خنيفرة"),
    ("Casablanca-Settat", "الدار البيضاء سطات"),
    ("Marrakech-Safi", "مراكش آسفي"),
    ("Drâa-Tafilalet", "درعة تافيلالت"),
    ("Souss-Massa", "سوس ماسة"),
    ("Guelmim-Oued Noun", "كلميم واد نون"),
    ("Laâyoune-Sakia El Hamra", "العيون الساقية الحمراء"),
    ("Dakhla-Oued Ed-Dahab", "الداخلة وادي الذهب"),
)
REGION_NAMES: tuple[str, ...] = tuple(fr for fr, _ in REGIONS)
_ARABIC = dict(REGIONS)


def region_label(name: str, lang: str = "fr") -> str:
    """The region's name in the reader's language (French names double as English ones)."""
    return _ARABIC.get(name, name) if lang == "ar" else name
