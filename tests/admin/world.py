"""One object of every province-owned model in a province, for the scoping matrix.

When a model with a province is added to the admin, add one of it here: the matrix test
fails for a scoped admin that has no object to try in the other province."""

import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from companies.models import CompanyMember
from exhibitions.models import IndustrialTown, StaffProvince
from matchmaking.models import Interest, Meeting, Outcome
from needs.models import NeedPhoto
from tests.factories import (
    CompanyFactory,
    ExhibitionFactory,
    MeetingRoomFactory,
    ShelfFactory,
    SupplierFactory,
    TourFactory,
    UserFactory,
    displayed_need,
    province,
)
from tours.models import TourRegistration


def jpeg_bytes(size=(320, 240), colour=(180, 90, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def build_world(slug: str) -> dict:
    """{model class: object} for one province."""
    p = province(slug)
    exhibition = ExhibitionFactory(province=p, slug=f"world-{slug}", title_fa=f"نمایشگاه جهان {p.name_fa}")
    shelf = ShelfFactory(exhibition=exhibition, code=f"W-{slug[:3].upper()}")
    room = MeetingRoomFactory(exhibition=exhibition, name=f"اتاق {p.name_fa}")
    buyer = CompanyFactory(province=p, name_fa=f"خریدار جهان {p.name_fa}")
    supplier = SupplierFactory(province=p, name_fa=f"تامین‌کننده جهان {p.name_fa}")
    member = CompanyMember.objects.create(company=buyer, user=UserFactory(username=f"member-{slug}"), role="owner")
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
    objects = [
        p, town, exhibition, shelf, room, buyer, member, need, photo, tour, registration, interest, meeting,
        booking, outcome, staff,
    ]
    world = {type(obj): obj for obj in objects}
    world["supplier"] = supplier
    return world
