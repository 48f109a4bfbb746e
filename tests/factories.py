import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from companies.models import Company, Sector
from companies.validators import national_id_check_digit
from exhibitions.models import Exhibition, IndustrialTown, MeetingRoom, Province, Shelf
from needs.models import Need, NeedStatus


def valid_national_id(n: int) -> str:
    first_ten = f"{90000000 + n:010d}"
    return first_ten + str(national_id_check_digit(first_ten))


def province(slug: str) -> Province:
    """Provinces come from the data migration; tests look them up, never create them."""
    return Province.objects.get(slug=slug)


def sector(slug: str) -> Sector:
    return Sector.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct horse battery staple")


class ExhibitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exhibition

    province = factory.LazyFunction(lambda: province("qom"))
    town = factory.LazyAttribute(lambda e: IndustrialTown.objects.filter(province=e.province).first())
    slug = factory.Sequence(lambda n: f"exhibition-{n}")
    title_fa = factory.LazyAttribute(lambda e: f"نمایشگاه دائمی ساخت داخل استان {e.province.name_fa}")
    title_en = factory.LazyAttribute(lambda e: f"{e.province.name_en} exhibition")
    venue_fa = "مرکز خدمات کسب و کار و فناوری"
    status = Exhibition.Status.OPEN
    opened_on = datetime.date(2025, 10, 4)


class ShelfFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shelf

    exhibition = factory.SubFactory(ExhibitionFactory)
    code = factory.Sequence(lambda n: f"A-{n:02d}")
    positions = 12


class MeetingRoomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingRoom

    exhibition = factory.SubFactory(ExhibitionFactory)
    name = factory.Sequence(lambda n: f"اتاق {n}")


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name_fa = factory.Sequence(lambda n: f"شرکت نمونه {n}")
    name_en = factory.Sequence(lambda n: f"Sample Co {n}")
    national_id = factory.Sequence(valid_national_id)
    is_buyer = True
    province = factory.LazyFunction(lambda: province("qom"))
    is_verified = True


class SupplierFactory(CompanyFactory):
    is_buyer = False
    is_supplier = True


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Need

    buyer = factory.SubFactory(CompanyFactory)
    province = factory.LazyAttribute(lambda n: n.buyer.province)
    title = "لنت ترمز"
    title_en = "Brake pads"
    sector = factory.LazyFunction(lambda: sector("auto-parts"))
    hs_code = "870830"
    annual_quantity = Decimal("1000")
    unit = "set"
    annual_fx_usd = Decimal("250000")
    identified_on = datetime.date(2025, 10, 10)
    status = NeedStatus.IDENTIFIED


def displayed_need(**kwargs) -> Need:
    """A need on display at the next free place of a shelf in an open exhibition of its province."""
    buyer = kwargs.pop("buyer", None) or CompanyFactory(province=kwargs.pop("province", None) or province("qom"))
    shelf = kwargs.pop("shelf", None) or ShelfFactory(
        exhibition=ExhibitionFactory(province=buyer.province)
    )
    position = kwargs.pop("shelf_position", None) or shelf.needs.count() + 1
    return NeedFactory(
        buyer=buyer, exhibition=shelf.exhibition, shelf=shelf, shelf_position=position,
        display_consent=True, status=NeedStatus.ON_DISPLAY, **kwargs,
    )


def next_week_at(hour: int, minute: int = 0) -> datetime.datetime:
    from zoneinfo import ZoneInfo

    day = datetime.date.today() + datetime.timedelta(days=7)
    return datetime.datetime.combine(day, datetime.time(hour, minute), ZoneInfo("Asia/Tehran"))


class TourFactory(factory.django.DjangoModelFactory):
    """A scheduled tour next week, 10:00 to 12:00 Tehran time, at an open exhibition."""

    class Meta:
        model = "tours.Tour"

    exhibition = factory.SubFactory(ExhibitionFactory)
    organiser = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"تور بازدید {n}")
    starts_at = factory.LazyFunction(lambda: next_week_at(10))
    ends_at = factory.LazyAttribute(lambda t: t.starts_at + datetime.timedelta(hours=2))
    registration_deadline = factory.LazyAttribute(lambda t: t.starts_at - datetime.timedelta(days=1))
    capacity = 10
    meeting_point = "ورودی اصلی"
