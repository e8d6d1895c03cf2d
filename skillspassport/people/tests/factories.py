from datetime import date

import factory

from skillspassport.accounts.tests.factories import OrganisationFactory, UserFactory
from skillspassport.people.models import ContactMethod, Resident
from skillspassport.people.services import resident_register


class ResidentFactory(factory.Factory):
    """Residents are made through the registration service, as the app makes them."""

    class Meta:
        model = Resident

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    date_of_birth = date(1985, 3, 27)
    email = factory.Sequence(lambda n: f"resident{n}@example.org")
    phone = ""
    postcode = "L20 1AD"
    preferred_contact = ContactMethod.EMAIL
    consents = factory.LazyFunction(lambda: {"scheme": "consent"})

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return resident_register(**kwargs)

    _build = _create
