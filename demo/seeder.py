"""Deterministic demo data that reproduces the programme's published figures (docs/design.md §1).

Every object has a natural key (exhibition slug, shelf code, national ID, a buyer's need
title, ...) and is created only when missing, so a second run changes nothing. Needs are
bulk-inserted, so `--needs 100000` takes minutes, not hours."""

import csv
import datetime
import random
import uuid
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import jdatetime
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from companies.models import Company, Sector
from companies.validators import national_id_check_digit
from demo import photos as demo_photos
from demo.bulk import insert_rows
from exhibitions.models import Exhibition, IndustrialTown, MeetingRoom, Province, Shelf
from matchmaking.models import ExchangeRate, Interest, Meeting, Outcome
from needs.models import Need, NeedPhoto, NeedStatus
from tours.models import Tour, TourRegistration

DATA_DIR = Path(settings.BASE_DIR) / "data"

PUBLISHED_NEEDS = 1293
PUBLISHED_BUYERS = 1204
PUBLISHED_FX_USD = Decimal("1086400000")  # "more than one billion dollars a year"
SUPPLIERS_PER_NEED = 0.25

# 12 pilot provinces: 11 opened within two weeks, the 12th is still equipping.
PILOTS_OPEN = [
    "east-azerbaijan", "isfahan", "alborz", "razavi-khorasan", "fars", "khuzestan",
    "markazi", "yazd", "semnan", "zanjan", "qazvin",
]
PILOT_EQUIPPING = "mazandaran"
JOINED_LATER = ["tehran", "north-khorasan", "south-khorasan", "kerman", "qom"]
OPEN_PROVINCES = PILOTS_OPEN + JOINED_LATER
FIRST_OPENING = datetime.date(2025, 10, 4)

# How many of the needs each province identified (relative weights).
PROVINCE_WEIGHT = {
    "tehran": 14, "isfahan": 12, "alborz": 9, "razavi-khorasan": 8, "east-azerbaijan": 8, "markazi": 7,
    "fars": 6, "qazvin": 6, "khuzestan": 6, "yazd": 5, "semnan": 5, "zanjan": 4, "qom": 5,
    "kerman": 4, "north-khorasan": 2, "south-khorasan": 2, "mazandaran": 3,
}

COMPANY_PREFIXES = [
    ("صنایع", "Sanaye"), ("شرکت تولیدی", "Toulidi Co."), ("گروه صنعتی", "Industrial Group"),
    ("کارخانجات", "Karkhanejat"), ("مجتمع صنعتی", "Industrial Complex"),
]
COMPANY_CORES = [
    ("پارس", "Pars"), ("البرز", "Alborz"), ("سپاهان", "Sepahan"), ("آریا", "Arya"), ("کاوه", "Kaveh"),
    ("توس", "Toos"), ("زاگرس", "Zagros"), ("دماوند", "Damavand"), ("خزر", "Khazar"), ("نگین", "Negin"),
    ("سهند", "Sahand"), ("سبلان", "Sabalan"), ("کویر", "Kavir"), ("هامون", "Hamoun"), ("پویا", "Pouya"),
    ("نوین", "Novin"), ("پیشگامان", "Pishgaman"), ("مهرآذین", "Mehrazin"), ("فراز", "Faraz"),
    ("ستاره", "Setareh"), ("آذرخش", "Azarakhsh"), ("بهاران", "Baharan"), ("تابان", "Taban"), ("رویان", "Royan"),
]
SECTOR_WORDS = {
    "textile": ("نساجی", "Textile"), "cellulose": ("سلولزی", "Cellulose"), "metal": ("فلزی", "Metal"),
    "auto-parts": ("قطعه‌سازی", "Auto Parts"), "cosmetics-hygiene": ("بهداشتی", "Hygiene"),
    "chemical": ("شیمیایی", "Chemical"), "food": ("غذایی", "Food"),
    "electrical-electronics": ("الکترونیک", "Electronics"), "oil-gas": ("تجهیزات نفت", "Oil Equipment"),
    "steel-mining": ("فولاد", "Steel"),
}
ORIGINS = ["CN", "CN", "CN", "DE", "IT", "TR", "IN", "KR", "JP", "AE", "RU", "FR", "TW", "MY"]
SHELF_POSITIONS = 12
# Needs in talks or under contract get declarations and meetings one by one, through the
# database's booking rules; a large benchmark set keeps the rest on display.
TALKING_CAP = 2000


@dataclass(frozen=True)
class NeedTemplate:
    sector: str
    title_fa: str
    title_en: str
    hs_code: str
    unit: str


def load_templates() -> list[NeedTemplate]:
    with open(DATA_DIR / "need_examples.csv", encoding="utf-8") as fh:
        return [NeedTemplate(r["sector"], r["title_fa"], r["title_en"], r["hs_code"], r["unit"]) for r in csv.DictReader(fh)]


def _companies(national_ids: list[str], *, light: bool = False) -> list:
    """The companies with these national ids, in their order: model instances, or for `light`
    a record of the columns the seeder reads (a million instances would cost more than the
    rows themselves). In chunks, as SQLite caps a query's parameters."""
    found = {}
    for start in range(0, len(national_ids), 5000):
        chunk = Company.objects.filter(national_id__in=national_ids[start:start + 5000])
        if light:
            for pk, nid, province_id, name_fa, name_en in chunk.values_list("pk", "national_id", "province_id", "name_fa", "name_en"):
                found[nid] = SimpleNamespace(pk=pk, national_id=nid, province_id=province_id, name_fa=name_fa, name_en=name_en)
        else:
            found.update((company.national_id, company) for company in chunk)
    return [found[nid] for nid in national_ids if nid in found]


def _company_row(**row) -> dict:
    """A company's row with the search column Company.save derives, from the model's own rule."""
    row["search_text"] = Company.build_search_text(SimpleNamespace(**{"capabilities": "", **row}))
    return row


def national_id(series: int, index: int) -> str:
    first_ten = f"{series:02d}{index:08d}"
    return first_ten + str(national_id_check_digit(first_ten))


def _scaled(n: int, total: int, weights: dict[str, int]) -> dict[str, int]:
    """Split `total` over the keys in proportion to `weights`, largest remainders first."""
    weight_sum = sum(weights.values())
    raw = {k: total * w / weight_sum for k, w in weights.items()}
    out = {k: int(v) for k, v in raw.items()}
    for k in sorted(raw, key=lambda k: (raw[k] - out[k], k), reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


class DemoSeeder:
    def __init__(self, *, needs: int = PUBLISHED_NEEDS, photos: bool = True, stdout=None):
        self.n_needs = needs
        self.n_buyers = PUBLISHED_BUYERS if needs == PUBLISHED_NEEDS else max(1, round(needs * PUBLISHED_BUYERS / PUBLISHED_NEEDS))
        self.n_suppliers = max(10, int(needs * SUPPLIERS_PER_NEED))
        self.total_fx = PUBLISHED_FX_USD * needs / PUBLISHED_NEEDS
        self.photos = photos
        self.stdout = stdout
        self.templates = load_templates()
        self.today = timezone.localdate()

    def log(self, message: str) -> None:
        if self.stdout:
            self.stdout.write(message)

    def run(self) -> None:
        with transaction.atomic():
            self.provinces = {p.slug: p for p in Province.objects.all()}
            self.sectors = {s.slug: s for s in Sector.objects.all()}
            self.seed_users()
            self.seed_exhibitions()
            self.seed_buyers()
            self.seed_suppliers()
            self.seed_needs()
        if self.photos:
            self.seed_photos()
        with transaction.atomic():
            self.seed_exchange_rates()
            self.seed_matchmaking()

    # --- people -------------------------------------------------------------------------
    def seed_users(self) -> None:
        User = get_user_model()
        self.organiser, created = User.objects.get_or_create(
            username="demo-organiser", defaults={"first_name": "سارا", "last_name": "احمدی", "email": "organiser@example.com"}
        )
        if created:
            self.organiser.set_unusable_password()
            self.organiser.save(update_fields=["password"])

    # --- exhibitions --------------------------------------------------------------------
    def seed_exhibitions(self) -> None:
        towns: dict[str, list[IndustrialTown]] = {}
        for town in IndustrialTown.objects.order_by("id"):
            towns.setdefault(town.province_id, []).append(town)
        existing = set(Exhibition.objects.values_list("slug", flat=True))
        new = []
        for i, (slug, province) in enumerate(sorted(self.provinces.items())):
            if slug in existing:
                continue
            town = towns[province.pk][0]
            if slug in PILOTS_OPEN:
                status, opened_on = Exhibition.Status.OPEN, FIRST_OPENING + datetime.timedelta(days=PILOTS_OPEN.index(slug))
            elif slug in JOINED_LATER:
                status = Exhibition.Status.OPEN
                opened_on = datetime.date(2025, 11, 15) + datetime.timedelta(days=9 * JOINED_LATER.index(slug))
            elif slug == PILOT_EQUIPPING:
                status, opened_on = Exhibition.Status.EQUIPPING, None
            else:
                status, opened_on = Exhibition.Status.PLANNED, None
            new.append(
                Exhibition(
                    slug=slug,
                    province=province,
                    town=town,
                    title_fa=f"نمایشگاه دائمی ساخت داخل استان {province.name_fa}",
                    title_en=f"{province.name_en} Permanent Domestic-Manufacturing Exhibition",
                    venue_fa=f"مرکز خدمات کسب و کار و فناوری {town.name_fa}",
                    venue_en=f"Business and Technology Service Centre, {town.name_en}",
                    address_fa=f"{town.name_fa}، بلوار اصلی، ساختمان مرکز خدمات کسب و کار و فناوری",
                    address_en=f"Service Centre Building, Main Boulevard, {town.name_en}",
                    opening_hours_fa="شنبه تا چهارشنبه، ساعت ۸ تا ۱۶",
                    opening_hours_en="Saturday to Wednesday, 8:00 to 16:00",
                    opens_at=datetime.time(8, 0),
                    closes_at=datetime.time(16, 0),
                    status=status,
                    opened_on=opened_on,
                    is_pilot=slug in PILOTS_OPEN or slug == PILOT_EQUIPPING,
                    visitor_capacity=40 + (i * 7) % 60,
                    phone=f"0{21 + i % 70}-3{(i * 7919) % 10000000:07d}",
                )
            )
        Exhibition.objects.bulk_create(new)
        self.exhibitions = {e.province.slug: e for e in Exhibition.objects.select_related("province")}
        rooms = [
            MeetingRoom(exhibition=self.exhibitions[slug], name=name, seats=seats, has_video=video)
            for slug in OPEN_PROVINCES
            for name, seats, video in (("اتاق جلسات ۱", 8, True), ("اتاق جلسات ۲", 6, False))
        ]
        MeetingRoom.objects.bulk_create(rooms, ignore_conflicts=True)

    # --- companies ----------------------------------------------------------------------
    def _company_name(self, rng: random.Random, sector_slug: str, index: int) -> tuple[str, str]:
        prefix = COMPANY_PREFIXES[index % len(COMPANY_PREFIXES)]
        core = COMPANY_CORES[(index // len(COMPANY_PREFIXES)) % len(COMPANY_CORES)]
        word = SECTOR_WORDS[sector_slug]
        round_ = index // (len(COMPANY_PREFIXES) * len(COMPANY_CORES))
        suffix_fa = f" {round_ + 1}" if round_ else ""
        return f"{prefix[0]} {word[0]} {core[0]}{suffix_fa}", f"{core[1]} {word[1]} {prefix[1]}{suffix_fa}".strip()

    def buyer_plan(self) -> list[tuple[str, str]]:
        """(province slug, sector slug) per buyer company, deterministic."""
        per_province = _scaled(self.n_buyers, self.n_buyers, PROVINCE_WEIGHT)
        rng = random.Random(1404)
        sectors = sorted(self.sectors)
        plan = []
        for slug in sorted(per_province):
            for _ in range(per_province[slug]):
                plan.append((slug, rng.choice(sectors)))
        return plan

    def seed_buyers(self) -> None:
        plan = self.buyer_plan()
        ids = [national_id(14, i + 1) for i in range(len(plan))]
        existing = {company.national_id for company in _companies(ids, light=True)}
        towns = {}
        for town in IndustrialTown.objects.order_by("id"):
            towns.setdefault(town.province_id, []).append(town)
        rng = random.Random(7)

        def rows():
            for i, ((province_slug, sector_slug), nid) in enumerate(zip(plan, ids)):
                province = self.provinces[province_slug]
                name_fa, name_en = self._company_name(rng, sector_slug, i)  # drawn for every id, so names stay put
                if nid in existing:
                    continue
                yield _company_row(
                    name_fa=name_fa, name_en=name_en, national_id=nid, is_buyer=True, is_supplier=False,
                    province_id=province.pk, town_id=towns[province.pk][i % len(towns[province.pk])].pk,
                    phone=f"09{12 + i % 8}{(i * 104729) % 10000000:07d}", email=f"buyer{i + 1}@example.com",
                    is_verified=True,
                )

        new = insert_rows(Company, rows())
        self._link_sectors(ids, [s for _, s in plan])
        self.buyers = _companies(ids, light=True)
        self.buyer_sector = dict(zip(ids, [s for _, s in plan]))
        self.log(f"buyer companies: {len(self.buyers)} ({new} new)")

    def _link_sectors(self, ids: list[str], sector_slugs: list[str]) -> None:
        through = Company.sectors.through
        pk_by_nid = {company.national_id: company.pk for company in _companies(ids, light=True)}
        linked = set(through.objects.filter(sector_id__in=[s.pk for s in self.sectors.values()]).values_list("company_id", flat=True))
        insert_rows(through, (
            {"company_id": pk_by_nid[nid], "sector_id": self.sectors[s].pk}
            for nid, s in zip(ids, sector_slugs) if pk_by_nid[nid] not in linked
        ))

    def seed_suppliers(self) -> None:
        rng = random.Random(11)
        slugs = sorted(self.provinces)
        sectors = sorted(self.sectors)
        ids, plan = [], []
        for i in range(self.n_suppliers):
            ids.append(national_id(15, i + 1))
            plan.append((rng.choice(slugs if i % 3 else OPEN_PROVINCES), rng.choice(sectors)))
        existing = {company.national_id for company in _companies(ids, light=True)}
        towns = {}
        for town in IndustrialTown.objects.order_by("id"):
            towns.setdefault(town.province_id, []).append(town)
        by_sector = {}
        for t in self.templates:
            by_sector.setdefault(t.sector, []).append(t)

        def rows():
            for i, ((province_slug, sector_slug), nid) in enumerate(zip(plan, ids)):
                province = self.provinces[province_slug]
                name_fa, name_en = self._company_name(rng, sector_slug, i + 7)
                if nid in existing:
                    continue
                makes = by_sector[sector_slug][i % len(by_sector[sector_slug])]
                also = by_sector[sector_slug][(i + 3) % len(by_sector[sector_slug])]
                yield _company_row(
                    name_fa=name_fa.replace("صنایع", "تولیدی", 1), name_en=name_en, national_id=nid,
                    is_buyer=False, is_supplier=True, province_id=province.pk,
                    town_id=towns[province.pk][i % len(towns[province.pk])].pk,
                    capabilities=f"تولید {makes.title_fa} و {also.title_fa}؛ ظرفیت تولید انبوه، آزمایشگاه کنترل کیفیت. "
                    f"Makes {makes.title_en.lower()} and {also.title_en.lower()}.",
                    phone=f"0{21 + i % 60}-4{(i * 7907) % 10000000:07d}",
                    email=f"supplier{i + 1}@example.com", is_verified=i % 10 != 9,
                )

        new = insert_rows(Company, rows())
        self._link_sectors(ids, [s for _, s in plan])
        self.suppliers = _companies(ids)
        self.log(f"supplier companies: {len(self.suppliers)} ({new} new)")

    # --- needs --------------------------------------------------------------------------
    def seed_needs(self) -> None:
        rng = random.Random(1293)
        by_sector: dict[str, list[NeedTemplate]] = {}
        for t in self.templates:
            by_sector.setdefault(t.sector, []).append(t)
        # The first (n_needs - n_buyers) buyers get a second need.
        extra = self.n_needs - len(self.buyers)
        owners = self.buyers + self.buyers[: max(0, extra)]
        owners = owners[: self.n_needs]
        # Log-normal FX values scaled to the published total, rounded to thousands.
        raw = [rng.lognormvariate(0, 1.1) for _ in owners]
        scale = self.total_fx / Decimal(sum(raw))
        fx = [max(Decimal(5000), (Decimal(r) * scale / 1000).quantize(Decimal(1)) * 1000) for r in raw]

        existing = set(Need.objects.values_list("buyer_id", "title"))
        used_places = set(Need.objects.filter(shelf__isnull=False).values_list("shelf_id", "shelf_position"))
        shelves_needed: dict[str, int] = {}
        plans = []
        seen_per_buyer: dict[int, int] = {}
        talking = 0
        slug_by_province_id = {p.pk: slug for slug, p in self.provinces.items()}
        for i, (buyer, value) in enumerate(zip(owners, fx)):
            sector_slug = self.buyer_sector[buyer.national_id]
            nth = seen_per_buyer.get(buyer.pk, 0)
            seen_per_buyer[buyer.pk] = nth + 1
            templates = by_sector[sector_slug]
            template = templates[(buyer.pk * 3 + nth * 5) % len(templates)]
            province_slug = slug_by_province_id[buyer.province_id]
            roll = rng.random()
            is_open = province_slug in OPEN_PROVINCES
            if not is_open or roll < 0.09:
                status = NeedStatus.IDENTIFIED
            elif roll < 0.95 or talking >= TALKING_CAP:
                status = NeedStatus.ON_DISPLAY
            elif roll < 0.99:
                status = NeedStatus.IN_TALKS
            else:
                status = NeedStatus.CONTRACTED
            talking += status in (NeedStatus.IN_TALKS, NeedStatus.CONTRACTED)
            consent = status != NeedStatus.IDENTIFIED or rng.random() < 0.5
            plans.append((i, buyer, template, value, province_slug, status, consent, rng.random() < 0.15, rng))
            if status != NeedStatus.IDENTIFIED:
                shelves_needed[province_slug] = shelves_needed.get(province_slug, 0) + 1

        self.seed_shelves(shelves_needed)
        province_by_id = {p.pk: p for p in self.provinces.values()}
        shelf_cursor = {slug: 0 for slug in shelves_needed}
        quantity_factor = {"ton": 0.0012, "kg": 1.3, "piece": 0.9, "set": 0.08, "m": 2.2, "m2": 1.6, "litre": 1.1}

        def rows():
            for i, buyer, template, value, province_slug, status, consent, anonymous, _ in plans:
                place = {}
                if status != NeedStatus.IDENTIFIED:
                    slot = shelf_cursor[province_slug]
                    shelf_cursor[province_slug] += 1
                    shelf = self.shelves[province_slug][slot // SHELF_POSITIONS]
                    place = {"exhibition_id": self.exhibitions[province_slug].pk, "shelf_id": shelf.pk,
                             "shelf_position": slot % SHELF_POSITIONS + 1}
                if (buyer.pk, template.title_fa) in existing:
                    continue
                if place and (place["shelf_id"], place["shelf_position"]) in used_places:
                    continue
                identified_on = min(FIRST_OPENING + datetime.timedelta(days=(i * 37) % 400), self.today)
                need = SimpleNamespace(
                    buyer=buyer, province=province_by_id[buyer.province_id], title=template.title_fa,
                    title_en=template.title_en,
                    description=(
                        f"واحد تولیدی برای خط تولید خود سالانه {template.title_fa} وارد می‌کند و به دنبال "
                        f"تأمین‌کننده داخلی با کیفیت و قیمت رقابتی است. نمونه کالا در نمایشگاه موجود است."
                    ),
                    description_en=(
                        f"The manufacturer imports {template.title_en.lower()} for its production line every year "
                        "and seeks a domestic supplier of comparable quality and price. A sample is on display."
                    ),
                    sector=self.sectors[template.sector], hs_code=template.hs_code, is_anonymous=anonymous,
                )
                yield {
                    "buyer_id": buyer.pk, "province_id": buyer.province_id, "title": need.title,
                    "title_en": need.title_en, "description": need.description, "description_en": need.description_en,
                    "sector_id": need.sector.pk, "hs_code": need.hs_code,
                    "annual_quantity": Decimal(int(float(value) * quantity_factor.get(template.unit, 1) / 10) + 1),
                    "unit": template.unit, "annual_fx_usd": value, "origin_country": ORIGINS[i % len(ORIGINS)],
                    "display_consent": consent, "is_anonymous": anonymous, "status": status,
                    "identified_on": identified_on, **place,
                    "displayed_at": self._displayed_at(identified_on, i) if place else None,
                    # Need.save's derived column, from the model's own rule.
                    "search_text": Need.build_search_text(need),
                }

        new = insert_rows(Need, rows())
        self.log(f"needs: {len(plans)} ({new} new)")

    def _displayed_at(self, identified_on: datetime.date, i: int) -> datetime.datetime:
        """When a need's sample first went on its shelf: 3 to 12 days after it was identified
        (before its meetings, which start 20 days on), never after today."""
        day = min(identified_on + datetime.timedelta(days=3 + (i * 7) % 10), self.today)
        return datetime.datetime.combine(day, datetime.time(11, 0), timezone.get_default_timezone())

    def seed_shelves(self, needed: dict[str, int]) -> None:
        new = []
        for slug, count in needed.items():
            exhibition = self.exhibitions[slug]
            for n in range((count + SHELF_POSITIONS - 1) // SHELF_POSITIONS):
                row, col = divmod(n, 20)
                new.append(Shelf(exhibition=exhibition, code=f"{chr(65 + row % 26)}{row // 26 or ''}-{col + 1:02d}",
                                 positions=SHELF_POSITIONS))
        Shelf.objects.bulk_create(new, batch_size=5000, ignore_conflicts=True)
        self.shelves = {}
        for shelf in Shelf.objects.filter(exhibition__province__slug__in=list(needed)).select_related("exhibition__province").order_by("id"):
            self.shelves.setdefault(shelf.exhibition.province.slug, []).append(shelf)

    def seed_photos(self) -> None:
        """One generated photo per need. Large benchmark sets share one picture per
        template instead of drawing 100,000 files."""
        shared = self.n_needs > 5000
        # Read before the rows are written: a COPY holds the connection until it ends.
        needs = list(Need.objects.filter(photos__isnull=True).order_by("id").values_list(
            "pk", "sector__slug", "sector__colour", "hs_code", "title"))
        made = {}

        def rows():
            for pk, sector_slug, colour, hs_code, title in needs:
                key = (sector_slug, hs_code, title) if shared else pk
                if key not in made:
                    stem = f"needs/demo/{sector_slug}-{hs_code}" if shared else f"needs/demo/need-{pk}"
                    image = demo_photos.draw_sample(
                        title=title, hs_code=hs_code, colour=colour, shape=int(hs_code[:4]) + len(title), number=pk,
                    )
                    if not default_storage.exists(f"{stem}.jpg"):
                        default_storage.save(f"{stem}.jpg", ContentFile(demo_photos.encode_jpeg(image)))
                        default_storage.save(f"{stem}-thumb.jpg", ContentFile(demo_photos.encode_jpeg(image, demo_photos.THUMB_SIZE, 75)))
                    made[key] = stem
                stem = made[key]
                yield {"need_id": pk, "image": f"{stem}.jpg", "thumbnail": f"{stem}-thumb.jpg", "caption": title,
                       "order": 0, "is_primary": True}

        self.log(f"photos: {insert_rows(NeedPhoto, rows())} new")

    # --- tours, declarations, meetings --------------------------------------------------
    def seed_past_tours(self, suppliers) -> None:
        """A weekly series at Qom and at Tehran that has run for three weeks (and runs once
        more): its groups checked in at the door, some seats unused, so the organiser's desk
        and the series page show no-shows. Found again by their titles: idempotent."""
        tehran_tz = timezone.get_default_timezone()
        for k, slug in enumerate(["qom", "tehran"]):
            exhibition = self.exhibitions[slug]
            series = uuid.uuid5(uuid.NAMESPACE_URL, f"demo-tour-series/{slug}")
            local = [s for s in suppliers if s.province_id == exhibition.province_id][:5] or suppliers[:5]
            for week in range(4):
                day = self.today + datetime.timedelta(days=7 * (week - 2) - 1 - k)  # three weeks past, one ahead
                starts = datetime.datetime.combine(day, datetime.time(10, 0), tehran_tz)
                title = f"تور هفتگی قطعه‌سازان در {exhibition.title_fa} - هفته {week + 1}"
                tour, created = Tour.objects.get_or_create(
                    exhibition=exhibition, series=series, title=title,
                    defaults=dict(
                        organiser=self.organiser, organiser_name="خانه صنعت، معدن و تجارت",
                        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2), capacity=15,
                        meeting_point=f"ورودی اصلی {exhibition.venue_fa}",
                        registration_deadline=starts - datetime.timedelta(days=1),
                        status=Tour.Status.HELD if week < 3 else Tour.Status.SCHEDULED,
                    ),
                )
                if not created:
                    continue
                for j, company in enumerate(local):
                    seats = 1 + (j + week) % 3
                    # Ahead: no one yet. Held: most came (some fewer than registered), one in four did not.
                    came = None if week == 3 or (j + week + k) % 4 == 0 else max(1, seats - (j % 2))
                    TourRegistration.objects.get_or_create(
                        tour=tour, company=company,
                        defaults={
                            "attendees": seats, "attendee_names": "نماینده فنی",
                            "attended": came,
                            "checked_in_at": starts + datetime.timedelta(minutes=5 + j) if came else None,
                        },
                    )

    # --- the exchange-rate table ------------------------------------------------------------
    # Illustrative figures, not published rates: one rate on the first day of each Jalali
    # month from Farvardin 1404, starting at 700,000 rials per US dollar and rising 1.5% a
    # month, so the demo's contracts (signed from late 1404) convert to dollars.
    FIRST_RATE_MONTH = (1404, 1)
    FIRST_RATE_RIALS = 700_000
    RATE_MONTHLY_RISE = Decimal("1.015")

    def seed_exchange_rates(self) -> None:
        year, month = self.FIRST_RATE_MONTH
        rials = Decimal(self.FIRST_RATE_RIALS)
        while (day := jdatetime.date(year, month, 1).togregorian()) <= self.today:
            ExchangeRate.objects.get_or_create(
                effective_on=day,
                defaults={"rials_per_usd": int(rials.quantize(Decimal("1000"))), "source": "illustrative demo rate"},
            )
            rials *= self.RATE_MONTHLY_RISE
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        self.log(f"exchange rates: {ExchangeRate.objects.count()}")

    def seed_matchmaking(self) -> None:
        tehran_tz = timezone.get_default_timezone()
        suppliers = [s for s in self.suppliers if s.is_verified]
        base_day = self.today + datetime.timedelta(days=7)
        for k, slug in enumerate(["qom", "tehran", "isfahan", "alborz", "razavi-khorasan", "fars"]):
            exhibition = self.exhibitions[slug]
            for week in range(2):
                day = base_day + datetime.timedelta(days=7 * week + k)
                starts = datetime.datetime.combine(day, datetime.time(9, 30), tehran_tz)
                title = f"تور بازدید تأمین‌کنندگان از {exhibition.title_fa} - نوبت {week + 1}"
                tour, created = Tour.objects.get_or_create(
                    exhibition=exhibition, title=title,
                    defaults=dict(
                        organiser=self.organiser, organiser_name="اتاق بازرگانی، صنایع، معادن و کشاورزی",
                        starts_at=starts, ends_at=starts + datetime.timedelta(hours=2, minutes=30),
                        capacity=12 + 4 * week, meeting_point=f"ورودی اصلی {exhibition.venue_fa}",
                        registration_deadline=starts - datetime.timedelta(days=1),
                    ),
                )
                if created:
                    tour.sectors.set([self.sectors[s] for s in sorted(self.sectors)[k : k + 3]])
                    local = [s for s in suppliers if s.province_id == exhibition.province_id][:3] or suppliers[k:k + 3]
                    for j, company in enumerate(local):
                        TourRegistration.objects.get_or_create(
                            tour=tour, company=company,
                            defaults={"attendees": 1 + j % 3, "attendee_names": "نماینده فنی\nمدیر بازرگانی"[: 40]},
                        )

        self.seed_past_tours(suppliers)

        talking = Need.objects.filter(status__in=[NeedStatus.IN_TALKS, NeedStatus.CONTRACTED]).select_related(
            "exhibition", "buyer").order_by("id")
        rooms = {r.exhibition_id: r for r in MeetingRoom.objects.order_by("id")}
        for n, need in enumerate(talking):
            supplier = suppliers[(need.pk * 7) % len(suppliers)]
            interest, _ = Interest.objects.get_or_create(
                need=need, supplier=supplier,
                defaults=dict(annual_capacity=need.annual_quantity, lead_time_days=30 + n % 60,
                              indicative_price_rials=None, certifications="ISO 9001",
                              message="آماده تأمین با کیفیت مشابه نمونه هستیم.",
                              status=Interest.Status.SHORTLISTED,
                              shortlisted_at=min(timezone.now(), datetime.datetime.combine(
                                  need.identified_on + datetime.timedelta(days=12 + n % 7), datetime.time(11, 0),
                                  tehran_tz))),
            )
            if interest.meetings.exists():
                continue
            day = need.identified_on + datetime.timedelta(days=20 + n % 30)
            starts = datetime.datetime.combine(day, datetime.time(9 + n % 6, 0), tehran_tz)
            in_person = n % 2 == 0 and need.exhibition_id in rooms
            try:
                # The database books both companies and the room, and refuses a clash.
                with transaction.atomic():
                    meeting = Meeting.objects.create(
                        interest=interest, buyer=need.buyer, supplier=supplier,
                        mode=Meeting.Mode.IN_PERSON if in_person else Meeting.Mode.VIDEO,
                        room=rooms.get(need.exhibition_id) if in_person else None,
                        video_url="" if in_person else settings.VIDEO_MEETING_URL_TEMPLATE.format(room=f"isipo-demo-{need.pk}"),
                        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=30), status=Meeting.Status.CONFIRMED,
                    )
            except IntegrityError:
                continue
            if need.status == NeedStatus.CONTRACTED:
                Outcome.objects.create(
                    meeting=meeting, result=Outcome.Result.CONTRACT_SIGNED,
                    contract_value_rials=int(need.annual_fx_usd) * 600_000, annual_quantity=need.annual_quantity,
                    signed_on=day + datetime.timedelta(days=14), notes="",
                )
        self.seed_event_day(suppliers)
        self.log(f"tours: {Tour.objects.count()}, declarations: {Interest.objects.count()}, meetings: {Meeting.objects.count()}")

    # Meetings at one exhibition on the day of its next tour, so the staff agenda (rooms by
    # time slots, door sheets) has a full day to show: both rooms busy, one proposal still
    # waiting, a video meeting. Idempotent: a declaration that has a meeting is left alone.
    EVENT_DAY_SLOTS = ((0, 9, 0, 60), (1, 9, 30, 30), (0, 10, 30, 30), (1, 11, 0, 60), (0, 13, 0, 30),
                       (1, 13, 30, 30), (0, 14, 0, 60), (None, 12, 0, 30))

    def seed_event_day(self, suppliers) -> None:
        tehran_tz = timezone.get_default_timezone()
        exhibition = self.exhibitions["tehran"]
        tour = Tour.objects.filter(exhibition=exhibition, starts_at__gt=timezone.now()).order_by("starts_at").first()
        rooms = list(MeetingRoom.objects.filter(exhibition=exhibition).order_by("id"))
        if tour is None or len(rooms) < 2:
            return
        day = timezone.localtime(tour.starts_at).date()
        needs = Need.objects.filter(exhibition=exhibition, status=NeedStatus.ON_DISPLAY).order_by("id")
        needs = list(needs[: len(self.EVENT_DAY_SLOTS)])
        for n, (need, (room, hour, minute, minutes)) in enumerate(zip(needs, self.EVENT_DAY_SLOTS)):
            supplier = suppliers[(n * 11 + 3) % len(suppliers)]
            interest, _ = Interest.objects.get_or_create(
                need=need, supplier=supplier,
                defaults=dict(annual_capacity=need.annual_quantity, lead_time_days=45, certifications="ISO 9001",
                              message="نمونه را دیدیم و برای جلسه حضوری آماده‌ایم.", status=Interest.Status.SHORTLISTED,
                              shortlisted_at=datetime.datetime.combine(
                                  self.today - datetime.timedelta(days=2), datetime.time(11, 0), tehran_tz)),
            )
            if interest.meetings.exists():
                continue
            starts = datetime.datetime.combine(day, datetime.time(hour, minute), tehran_tz)
            try:
                with transaction.atomic():
                    Meeting.objects.create(
                        interest=interest, buyer=need.buyer, supplier=supplier,
                        mode=Meeting.Mode.VIDEO if room is None else Meeting.Mode.IN_PERSON,
                        room=None if room is None else rooms[room],
                        video_url="" if room is not None
                        else settings.VIDEO_MEETING_URL_TEMPLATE.format(room=f"isipo-demo-{need.pk}"),
                        starts_at=starts, ends_at=starts + datetime.timedelta(minutes=minutes),
                        status=Meeting.Status.PROPOSED if n == 3 else Meeting.Status.CONFIRMED,
                    )
            except IntegrityError:
                continue
