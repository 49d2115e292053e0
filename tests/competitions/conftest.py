import pytest

from competitions import services
from tests.builders import make_user


@pytest.fixture
def organiser(login):
    """A signed-in organiser."""
    return login(make_user("organiser"))


@pytest.fixture
def clean_registries():
    """Guards and providers a test registers are removed afterwards."""
    saved = (
        list(services._transition_guards),
        list(services._stats_providers),
        list(services._link_providers),
        list(services._notice_providers),
    )
    yield
    services._transition_guards[:] = saved[0]
    services._stats_providers[:] = saved[1]
    services._link_providers[:] = saved[2]
    services._notice_providers[:] = saved[3]


@pytest.fixture
def lifecycle_rules_only(clean_registries):
    """The tour's own transition table, without the guards higher floors register (e.g. judging
    refuses publishing before the minutes are validated: tested in tests/judging)."""
    services._transition_guards.clear()
