"""Shared test fixtures: the shipped framework, a few real postcodes, and users for each role."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction

from skillspassport.accounts.models import OrganisationKind, Role
from skillspassport.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from skillspassport.areas.models import LocalAuthority, Lsoa, Postcode, Ward
from skillspassport.skills.framework_files import framework_files
from skillspassport.skills.services import framework_load

# Real rows from the shipped lookup (Sefton: Linacre and Derby wards, Bootle; Knowsley).
POSTCODES = [
    ("L20 1AD", "E01007009", "Sefton 037D", "E05000942", "Linacre", "E08000014", "Sefton"),
    ("L20 0AH", "E01007019", "Sefton 035A", "E05000937", "Derby", "E08000014", "Sefton"),
    ("L10 0AD", "E01006508", "Knowsley 004D", "E05010935", "Cherryfield", "E08000011", "Knowsley"),
]


def _load_reference_data() -> None:
    """The shipped framework and the test postcodes, unless already there."""
    from skillspassport.skills.models import FrameworkVersion

    if not FrameworkVersion.objects.exists():
        for path in framework_files():
            framework_load(path=path)
    for pc, lsoa, lsoa_name, ward, ward_name, la, la_name in POSTCODES:
        LocalAuthority.objects.get_or_create(code=la, defaults={"name": la_name})
        Ward.objects.get_or_create(
            code=ward, defaults={"name": ward_name, "vintage": "WD24", "local_authority_id": la}
        )
        Lsoa.objects.get_or_create(
            code=lsoa, defaults={"name": lsoa_name, "local_authority_id": la}
        )
        Postcode.objects.get_or_create(
            postcode=pc, defaults={"lsoa_id": lsoa, "ward_id": ward, "local_authority_id": la}
        )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_reference_data()


class DemoScheme:
    """The demo scheme (`seed_demo`), built once per test session and shared by the tests that
    ask for the `demo` fixture.

    It is seeded inside a transaction that stays open while those tests run; each of them runs
    in a savepoint inside it (pytest-django's usual per-test transaction), so they all see the
    same records and none can leave a change behind. Before any other test the transaction is
    rolled back, so every other test still starts from the clean database; should a demo test
    come after one of those, the scheme is seeded again. The demo tests are collected first
    (below), so that happens once per session, or once per worker under pytest-xdist.
    """

    residents = 120  # enough for every kind of record in every report

    def __init__(self) -> None:
        self.blocker = None
        self.atomic = None

    def open(self) -> None:
        if self.atomic is not None:
            return
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            # Like Django's TestCase's own: durable blocks inside the tests are still allowed.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
            _load_reference_data()  # an earlier transactional test may have flushed it
            call_command("load_postcodes", verbosity=0)
            call_command("seed_demo", residents=self.residents, verbosity=0)

    def close(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
        # Nor what the demo tests' requests left in the cache (throttle counts, for one).
        cache.clear()


DEMO = DemoScheme()


@pytest.fixture(scope="session")
def _demo_scheme(django_db_setup, django_db_blocker):
    """Session-scoped, so that it is set up before any test's own transaction begins."""
    DEMO.blocker = django_db_blocker
    DEMO.open()
    yield DEMO
    DEMO.close()


@pytest.fixture
def demo(_demo_scheme, db):
    """The demo scheme, shared (read it, change it: the changes are rolled back after the
    test). Returns Sefton Council."""
    from skillspassport.accounts.models import Organisation

    return Organisation.objects.get(name="Sefton Council")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Open the shared demo transaction for a test that uses it, roll it back before one that
    does not (before any of the test's fixtures are set up)."""
    if DEMO.blocker is None:
        return
    if "_demo_scheme" in item.fixturenames:
        marker = item.get_closest_marker("django_db")
        if marker is not None and marker.kwargs.get("transaction"):
            raise pytest.UsageError(f"{item.nodeid}: the shared demo cannot be transactional")
        DEMO.open()
    else:
        DEMO.close()


@pytest.fixture
def council(db):
    return OrganisationFactory(name="Sefton Council", kind=OrganisationKind.COUNCIL)


@pytest.fixture
def other_council(db):
    return OrganisationFactory(name="Knowsley Council", kind=OrganisationKind.COUNCIL)


@pytest.fixture
def staff(council):
    """One user per role in `council`."""
    users = {}
    for role in Role:
        user = UserFactory(email=f"{role.value}@council.test", full_name=f"{role.label} User")
        MembershipFactory(user=user, organisation=council, role=role)
        users[role.value] = user
    return users


@pytest.fixture
def adviser(staff):
    return staff["adviser"]


@pytest.fixture
def other_staff(other_council):
    users = {}
    for role in Role:
        user = UserFactory(email=f"{role.value}@other.test", full_name=f"Other {role.label}")
        MembershipFactory(user=user, organisation=other_council, role=role)
        users[role.value] = user
    return users


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests run with empty tables once an earlier one has flushed them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("_django_db_helper")
        request.getfixturevalue("reference_data")


def pytest_collection_modifyitems(config, items):
    """Tests of the shared demo run first, so that it is seeded once (and once per worker
    under pytest-xdist, whose workers run their tests in collection order, each group of them
    on one worker). `postgres_only`
    tests (row locks, concurrency) are skipped on SQLite."""
    from django.conf import settings

    items.sort(key=lambda item: "_demo_scheme" not in item.fixturenames)
    for item in items:
        if "_demo_scheme" in item.fixturenames:
            # Under `--dist loadgroup` (make test) the input sweep, the longest test, goes to one
            # worker and the other demo tests to another, so neither waits for the other;
            # each worker seeds the demo once. The rest are shared out as they finish.
            sweep = item.module is not None and item.module.__name__.endswith("test_input_sweep")
            item.add_marker(pytest.mark.xdist_group("demo-sweep" if sweep else "demo-others"))
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (row locks, concurrency)")
    for item in items:
        if item.get_closest_marker("postgres_only"):
            item.add_marker(skip)


@pytest.fixture
def reference_data():
    """The shipped framework and test postcodes, reloaded if a transactional test emptied the
    tables (pytest-django flushes them after each `transaction=True` test)."""
    _load_reference_data()


@pytest.fixture
def operator_client(db, client):
    """A client signed in to the Django admin as a platform operator: a superuser whose
    session was verified by a TOTP device, as the admin's own sign-in leaves it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from skillspassport.accounts.models import User

    operator = User.objects.create_superuser(
        "operator@platform.test", "an-operators-passphrase", full_name="Platform Operator"
    )
    device = TOTPDevice.objects.create(user=operator, name="Authenticator app", confirmed=True)
    client.force_login(operator)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client
