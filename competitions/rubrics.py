"""Rubrics: criteria with their weights and scales; locked once scored, then versioned."""

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from audit.services import record
from competitions.errors import RubricConflict, RubricError, RubricLocked
from competitions.models import Competition, Criterion, Event, Rubric
from extensions import db, utcnow
from fieldtypes import FieldError, Integer, Number, Text, parse_fields

LANGS = ("fr", "ar", "en")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
SCALE_LOW, SCALE_HIGH = 0, 100  # the widest scale a criterion may use
MAX_WEIGHT = 100


def rubric_in_use(rubric: Rubric) -> bool:
    """True once any score exists for one of the rubric's criteria.

    Judging calls `lock_rubric` with its first score; this reads the scores table as a safety
    net through the shared metadata (the tour does not import the judging package)."""
    if rubric.locked_at is not None:
        return True
    scores = db.metadata.tables.get("scores")
    if scores is None or rubric.id is None:
        return False
    criterion_ids = select(Criterion.id).where(Criterion.rubric_id == rubric.id)
    return bool(db.session.scalar(select(exists().where(scores.c.criterion_id.in_(criterion_ids)))))


def lock_rubric(rubric: Rubric) -> Rubric:
    """Freeze the rubric (judging calls this when the first score is recorded)."""
    if rubric.locked_at is None:
        rubric.locked_at = utcnow()
        db.session.flush()
    return rubric


def ensure_editable(rubric: Rubric) -> None:
    """Refuse in-place changes to a rubric that scores already use."""
    if rubric_in_use(rubric):
        raise RubricLocked(
            _l(
                "This rubric is locked: scores have already been given with it. "
                "Create a new version to change it."
            )
        )


# A criterion's texts, per language, and their limits; a level's descriptor is a DESCRIPTOR.
TEXT_TYPES = {"name": Text(200), "description": Text(2000)}
DESCRIPTOR = Text(1000)
TYPES = {
    "weight": Number(0, MAX_WEIGHT, required=True),
    "scale_min": Integer(SCALE_LOW, SCALE_HIGH, required=True),
    "scale_max": Integer(SCALE_LOW, SCALE_HIGH, required=True),
    "tiebreak_order": Integer(1, 1000),
}
KEY = Text.of(Criterion.key)


def _texts(data: dict, group: str, errors: dict, kind: Text | None = None) -> dict:
    """{lang: text} of one group (name, description, level_3…); errors go to `<group>_<lang>`."""
    given = data.get(group) or {}
    texts = {}
    for lang in LANGS:
        try:
            text = (kind or TEXT_TYPES[group]).parse(given.get(lang))
        except FieldError as error:
            errors.setdefault(f"{group}_{lang}", error.message)
            continue
        if text:
            texts[lang] = text
    return texts


def _key(data: dict, name: dict, rubric: Rubric) -> str:
    """The given key, or one made from the English (or French) name."""
    value = (KEY.parse(data.get("key")) or "").lower()
    if not value:
        value = re.sub(r"[^a-z0-9]+", "_", _ascii(name.get("en") or name.get("fr") or ""))
        value = value.strip("_")[:40]
        value = value if value and value[0].isalpha() else f"criterion_{len(rubric.criteria) + 1}"
    if not _KEY.match(value):
        raise FieldError(
            _l(
                "The key may only hold lower-case letters, digits and underscores, "
                "starting with a letter."
            )
        )
    return value


def clean_criterion(rubric: Rubric, data: dict, criterion: Criterion | None = None) -> dict:
    """Validate a criterion's data. Every problem is reported at once (RubricError.errors),
    each naming its field, in the user's language."""
    clean, errors = parse_fields(TYPES, data)
    texts = {group: _texts(data, group, errors) for group in TEXT_TYPES}
    clean["half_points"] = bool(data.get("half_points"))
    clean["name"] = texts["name"]
    clean["description"] = texts["description"]
    clean["descriptors"] = _descriptors(data.get("descriptors") or {}, clean, errors)
    if not texts["name"] and not any(key.startswith("name_") for key in errors):
        errors["name_fr"] = _l("Give the criterion a name in at least one language.")
    others = [other for other in rubric.criteria if other is not criterion]
    try:
        clean["key"] = _key(data, texts["name"], rubric)
    except FieldError as error:
        errors["key"] = error.message
    else:
        if any(other.key == clean["key"] for other in others):
            errors["key"] = _l(
                "Another criterion of this rubric already uses the key %(key)s.", key=clean["key"]
            )
    low, high = clean.get("scale_min"), clean.get("scale_max")
    if low is not None and high is not None and low >= high:
        errors["scale_max"] = _l(
            "The top of the scale must be greater than its bottom (e.g. 1 to 5)."
        )
    order = clean.get("tiebreak_order")
    if order is not None and any(other.tiebreak_order == order for other in others):
        errors["tiebreak_order"] = _l(
            "Another criterion already has tie-break order %(n)d.", n=order
        )
    if errors:
        field, message = next(iter(errors.items()))
        raise RubricError(message, field, errors)
    return clean


def form_levels(raw_min, raw_max, criterion: Criterion | None = None) -> list[int]:
    """The whole levels a criterion form describes: those of the scale typed, when it reads as
    one, else of the criterion's saved scale, else 1 to 5 (the default scale)."""
    scale = Integer(SCALE_LOW, SCALE_HIGH, required=True)
    try:
        low, high = scale.parse(raw_min), scale.parse(raw_max)
    except FieldError:
        low = high = None
    if low is None or high is None or low >= high:
        low, high = (criterion.scale_min, criterion.scale_max) if criterion else (1, 5)
    return list(range(low, high + 1))


def _descriptors(given: dict, clean: dict, errors: dict) -> dict:
    """{"3": {lang: text}} for each whole level of the scale that has a text in some language;
    levels outside the scale are dropped. Errors go to `level_<n>_<lang>`."""
    low, high = clean.get("scale_min"), clean.get("scale_max")
    descriptors = {}
    for level, texts in given.items():
        try:
            number = int(level)
        except (TypeError, ValueError):
            continue
        if low is not None and high is not None and not low <= number <= high:
            continue
        parsed = _texts({f"level_{number}": texts}, f"level_{number}", errors, DESCRIPTOR)
        if parsed:
            descriptors[str(number)] = parsed
    return dict(sorted(descriptors.items(), key=lambda item: int(item[0])))


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def criterion_data(criterion: Criterion) -> dict:
    """A criterion's values in the shape `clean_criterion` takes (to fill a form, or copy)."""
    return {
        "key": criterion.key,
        "name": dict(criterion.name or {}),
        "description": dict(criterion.description or {}),
        "descriptors": {
            level: dict(texts) for level, texts in (criterion.descriptors or {}).items()
        },
        "weight": criterion.weight,
        "scale_min": criterion.scale_min,
        "scale_max": criterion.scale_max,
        "half_points": criterion.half_points,
        "tiebreak_order": criterion.tiebreak_order,
    }


def add_criterion(rubric: Rubric, data: dict, by=None) -> Criterion:
    ensure_editable(rubric)
    clean = clean_criterion(rubric, data)
    criterion = Criterion(position=len(rubric.criteria), **clean)
    rubric.criteria.append(criterion)
    db.session.flush()
    record("rubric", rubric.id, "criterion_add", by=by, new={"key": criterion.key})
    return criterion


def update_criterion(criterion: Criterion, data: dict, by=None) -> Criterion:
    rubric = criterion.rubric
    ensure_editable(rubric)
    clean = clean_criterion(rubric, data, criterion)
    old = criterion_data(criterion)
    for key, value in clean.items():
        setattr(criterion, key, value)
    db.session.flush()
    record("rubric", rubric.id, "criterion_edit", by=by, old=old, new=criterion_data(criterion))
    return criterion


# A rubric's name per language (French required); a name does not change a score, so a locked
# rubric may be renamed too.
NAME_TYPES = {
    "name": Text.of(Rubric.name, required=True),
    "name_ar": Text.of(Rubric.name_ar, empty=None),
    "name_en": Text.of(Rubric.name_en, empty=None),
}


def rename_rubric(rubric: Rubric, data: dict, by=None) -> Rubric:
    """Name the rubric in French, Arabic and English (each problem named by its field)."""
    clean, errors = parse_fields(NAME_TYPES, data)
    if errors:
        field, message = next(iter(errors.items()))
        raise RubricError(message, field, errors)
    old = {key: getattr(rubric, key) for key in clean}
    for key, value in clean.items():
        setattr(rubric, key, value)
    db.session.flush()
    record("rubric", rubric.id, "rename", by=by, old=old, new=clean)
    return rubric


def delete_criterion(criterion: Criterion, by=None) -> None:
    rubric = criterion.rubric
    ensure_editable(rubric)
    if len(rubric.criteria) == 1:
        raise RubricConflict(_l("A rubric needs at least one criterion."))
    record("rubric", rubric.id, "criterion_delete", by=by, old=criterion_data(criterion))
    rubric.criteria.remove(criterion)
    for position, other in enumerate(rubric.criteria):
        other.position = position
    db.session.flush()


NAME_COLUMNS = {"fr": "name", "ar": "name_ar", "en": "name_en"}


def _copy(
    rubric: Rubric, *, names: dict | None = None, version: int = 1, previous_id=None
) -> Rubric:
    """A copy of the rubric and its criteria, under `names` ({column: text}) or its own."""
    names = names or {column: getattr(rubric, column) for column in NAME_COLUMNS.values()}
    copy = Rubric(**names, version=version, previous_id=previous_id)
    for criterion in rubric.criteria:
        copy.criteria.append(
            Criterion(
                position=criterion.position,
                **{
                    "key": criterion.key,
                    "name": dict(criterion.name or {}),
                    "description": dict(criterion.description or {}),
                    "descriptors": {k: dict(v) for k, v in (criterion.descriptors or {}).items()},
                    "weight": criterion.weight,
                    "scale_min": criterion.scale_min,
                    "scale_max": criterion.scale_max,
                    "half_points": criterion.half_points,
                    "tiebreak_order": criterion.tiebreak_order,
                },
            )
        )
    db.session.add(copy)
    return copy


def new_rubric_version(rubric: Rubric, by=None) -> Rubric:
    """An editable copy (version + 1, previous_id = this one), adopted where it changes no score.

    A competition using this rubric switches to the new version; its events that have started
    judging keep the old one (pinned as their own rubric), so scores already given never change
    meaning. An event using it as its own rubric adopts the new version only before judging."""
    competitions, events = rubric_users(rubric)
    if not competitions and not any(event.before_judging for event in events):
        raise RubricConflict(
            _l(
                "Judging has started with this rubric and nothing else uses it: a new version would serve no one."
            )
        )
    copy = _copy(rubric, version=rubric.version + 1, previous_id=rubric.id)
    db.session.flush()
    for competition in competitions:
        for event in competition.events:
            if event.rubric_id is None and not event.before_judging:
                event.own_rubric = rubric
        competition.rubric = copy
    for event in events:
        if event.before_judging:
            event.own_rubric = copy
    db.session.flush()
    record(
        "rubric",
        copy.id,
        "new_version",
        by=by,
        old={"rubric_id": rubric.id, "version": rubric.version},
        new={"rubric_id": copy.id, "version": copy.version},
    )
    return copy


def copy_rubric_to_event(event: Event, by=None) -> Rubric:
    """Give the event its own editable copy of the competition's rubric (before judging)."""
    if event.own_rubric is not None:
        raise RubricConflict(_l("This event already has its own rubric."))
    if not event.before_judging:
        raise RubricConflict(_l("An event's rubric can only be replaced before judging starts."))
    source = event.competition.rubric
    if source is None:
        raise RubricConflict(_l("The competition has no rubric to copy."))
    limit = Rubric.name.type.length
    names = {
        column: f"{source.name_in(lang)} — {event.city_in(lang)}"[:limit]
        for lang, column in NAME_COLUMNS.items()
        if getattr(source, column)
    }
    copy = _copy(source, names=names)
    event.own_rubric = copy
    db.session.flush()
    record(
        "rubric",
        copy.id,
        "copy_to_event",
        by=by,
        event_id=event.id,
        old={"rubric_id": source.id},
        new={"rubric_id": copy.id},
    )
    return copy


def rubric_users(rubric: Rubric) -> tuple[list[Competition], list[Event]]:
    """The competitions and events (with their own copy) that use this rubric."""
    competitions = list(
        db.session.scalars(select(Competition).where(Competition.rubric_id == rubric.id))
    )
    events = list(db.session.scalars(select(Event).where(Event.rubric_id == rubric.id)))
    return competitions, events
