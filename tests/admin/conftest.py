import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def _default_language():
    """A request to an /en/ admin page leaves English active in the test's thread; start
    and leave every test in the default language, so reverse() and messages do not depend
    on which test ran before."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
