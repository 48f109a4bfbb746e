"""Factories and builders for every test: one way to make a user, a company, a need on a
shelf, a tour, a declaration, a meeting slot, or a whole province's worth of objects."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model

from companies.models import Company, CompanyMember, Sector
from companies.validators import national_id_check_digit
from exhibitions.models import Exhibition, IndustrialTown, MeetingRoom, Province, Shelf
from matchmaking.models import Interest
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


TEHRAN = ZoneInfo("Asia/Tehran")
STAFF_PASSWORD = "Gol-Sorkh-8841"


def isfahan_need(shelf, **kwargs) -> Need:
    """A displayed need of an Isfahan buyer on `shelf` (the isfahan_shelf fixture)."""
    buyer = kwargs.pop("buyer", None) or CompanyFactory(province=province("isfahan"))
    return displayed_need(buyer=buyer, shelf=shelf, **kwargs)


def next_week_at(hour: int, minute: int = 0) -> datetime.datetime:
    day = datetime.date.today() + datetime.timedelta(days=7)
    return datetime.datetime.combine(day, datetime.time(hour, minute), TEHRAN)


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


# --- people -------------------------------------------------------------------------------------
def member(company, username: str, **user_fields):
    """A user acting for `company`: its approved owner."""
    user = UserFactory(username=username, **user_fields)
    CompanyMember.objects.create(company=company, user=user, role="owner", is_approved=True)
    return user


def province_staff(username: str, slug: str):
    """Provincial staff, made the way operators make them (the add_province_staff command)."""
    from django.core.management import call_command

    call_command("add_province_staff", username, "--province", slug, "--password", STAFF_PASSWORD, stdout=io.StringIO())
    return get_user_model().objects.get(username=username)


# --- matchmaking --------------------------------------------------------------------------------
def slot(days: int = 3, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A grid slot on the `days`-th open day ahead, never on a Friday (exhibitions are
    closed), so different `days` are always different days whatever today is."""
    day, counted = datetime.date.today(), 0
    while counted < days:
        day += datetime.timedelta(days=1)
        counted += day.weekday() != 4
    return datetime.datetime.combine(day, datetime.time(hour, minute), TEHRAN)


def declaration(*, need=None, supplier=None, status=Interest.Status.SHORTLISTED) -> Interest:
    """A supplier's declaration of readiness for a displayed need (shortlisted by default)."""
    need = need or displayed_need()
    supplier = supplier or SupplierFactory()
    return Interest.objects.create(
        need=need, supplier=supplier, annual_capacity=Decimal("500"), lead_time_days=30, status=status
    )


def parties(interest: Interest):
    """A user for the buyer and one for the supplier of a declaration."""
    buyer = member(interest.need.buyer, f"buyer{interest.pk}", email=f"buyer{interest.pk}@example.com")
    supplier = member(interest.supplier, f"supplier{interest.pk}", email=f"supplier{interest.pk}@example.com")
    return buyer, supplier


# --- files --------------------------------------------------------------------------------------
def jpeg_bytes(size=(320, 240), colour=(180, 90, 40)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


# --- a whole province ---------------------------------------------------------------------------
def build_world(slug: str) -> dict:
    """{model class: object}: one object of every province-owned model in a province, for the
    scoping matrix (tests/exhibitions/test_scoping.py). When a model with a province is added
    to the admin, add one of it here: the matrix fails for a scoped admin that has no object
    to try in the other province."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from exhibitions.models import StaffProvince
    from matchmaking.models import Meeting, Outcome
    from needs.models import NeedPhoto
    from tours.models import TourRegistration

    p = province(slug)
    exhibition = ExhibitionFactory(province=p, slug=f"world-{slug}", title_fa=f"نمایشگاه جهان {p.name_fa}")
    shelf = ShelfFactory(exhibition=exhibition, code=f"W-{slug[:3].upper()}")
    room = MeetingRoomFactory(exhibition=exhibition, name=f"اتاق {p.name_fa}")
    buyer = CompanyFactory(province=p, name_fa=f"خریدار جهان {p.name_fa}")
    supplier = SupplierFactory(province=p, name_fa=f"تامین‌کننده جهان {p.name_fa}")
    member_ = CompanyMember.objects.create(company=buyer, user=UserFactory(username=f"member-{slug}"), role="owner")
    need = displayed_need(buyer=buyer, shelf=shelf, title=f"نیاز جهان {p.name_fa}", hs_code="840820")
    photo = NeedPhoto.objects.create(need=need, image=SimpleUploadedFile("p.jpg", jpeg_bytes()), is_primary=True)
    tour = TourFactory(exhibition=exhibition, title=f"تور جهان {p.name_fa}")
    registration = TourRegistration.objects.create(tour=tour, company=supplier, attendees=2)
    interest = Interest.objects.create(
        need=need, supplier=supplier, annual_capacity=Decimal("100"), lead_time_days=20
    )
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=5)
    meeting = Meeting.objects.create(
        interest=interest, buyer=buyer, supplier=supplier, mode=Meeting.Mode.IN_PERSON, room=room,
        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=30),
    )
    booking = meeting.bookings.get(company=buyer)  # written by the database with the meeting
    outcome = Outcome.objects.create(meeting=meeting, result=Outcome.Result.FOLLOW_UP)
    staff = StaffProvince.objects.create(user=UserFactory(username=f"colleague-{slug}"), province=p)
    town = IndustrialTown.objects.filter(province=p).first()
    from companies.models import Product

    product = Product.objects.create(company=supplier, name_fa=f"محصول جهان {p.name_fa}", name_en="World product")
    objects = [
        p, town, exhibition, shelf, room, buyer, member_, need, photo, tour, registration, interest, meeting,
        booking, outcome, staff, product,
    ]
    world = {type(obj): obj for obj in objects}
    world["supplier"] = supplier
    return world
