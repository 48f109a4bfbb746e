import pytest


@pytest.fixture
def sms_outbox(settings):
    """SMS kept in notices.sms.outbox (the locmem backend), empty at the start."""
    from notices import sms

    settings.SMS_BACKEND = "notices.sms.LocmemSmsBackend"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()
