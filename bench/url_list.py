"""Prints the benchmark's URL sets as JSON, drawn from the database it runs against:
at least 200 distinct catalogue, search and need URLs, so caches cannot hide the work."""

import json
import random
from urllib.parse import urlencode

from companies.models import Sector
from exhibitions.models import Exhibition, Province
from needs.models import Need

rng = random.Random(42)
sectors = list(Sector.objects.values_list("slug", flat=True))
provinces = list(Province.objects.filter(exhibitions__in=Exhibition.objects.open()).values_list("slug", flat=True).distinct())
exhibitions = list(Exhibition.objects.open().values_list("slug", flat=True))
titles = list(Need.objects.public().values_list("title", flat=True).distinct()[:500])
words = sorted({w for t in titles for w in t.replace("\u200c", " ").split() if len(w) > 2})
sorts = ["", "fx", "-fx", "newest", "title"]

catalogue = ["/needs/"]
for page in range(2, 40):
    catalogue.append(f"/needs/?{urlencode({'page': page})}")
while len(catalogue) < 220:
    params = {}
    roll = rng.random()
    if roll < 0.4:
        params["sector"] = rng.choice(sectors)
    if rng.random() < 0.4:
        params["province"] = rng.choice(provinces)
    if rng.random() < 0.2:
        params["exhibition"] = rng.choice(exhibitions)
    if rng.random() < 0.3:
        params["fx_min"] = rng.choice([100000, 500000, 1000000])
    sort = rng.choice(sorts)
    if sort:
        params["sort"] = sort
    if rng.random() < 0.2:
        params["page"] = rng.randint(2, 5)
    url = f"/needs/?{urlencode(params)}" if params else "/needs/"
    if url not in catalogue:
        catalogue.append(url)

search = []
while len(search) < 220:
    url = f"/needs/?{urlencode({'q': rng.choice(words), 'sector': rng.choice(sectors)})}"
    if url not in search:
        search.append(url)

ids = list(Need.objects.public().values_list("pk", flat=True))
need = [f"/needs/{pk}/" for pk in rng.sample(ids, min(220, len(ids)))]

print(json.dumps({
    "healthz": ["/healthz"],
    "catalogue": catalogue,
    "search": search,
    "need": need,
    "stats": ["/stats/", "/en/stats/"],
}, ensure_ascii=False))
