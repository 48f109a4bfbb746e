"""One account acts for one company: at most one CompanyMember row per user.

The admin once let staff give a user a second membership. Before the constraint is added,
this migration looks for such users and, if it finds any, stops with their names, so an
operator decides which membership each keeps (delete the other in the admin's "company
members" list) and runs `migrate` again. Nothing is deleted for them."""

from django.db import migrations, models
from django.db.models import Count


def refuse_users_with_two_memberships(apps, schema_editor):
    CompanyMember = apps.get_model("companies", "CompanyMember")
    doubled = (
        CompanyMember.objects.values("user_id").annotate(rows=Count("id")).filter(rows__gt=1).values_list("user_id", flat=True)
    )
    rows = CompanyMember.objects.filter(user_id__in=list(doubled)).select_related("user", "company").order_by("user_id", "id")
    if not rows:
        return
    listed = "\n".join(
        f"  user {row.user.username!r} (id {row.user_id}): membership id {row.id} in company "
        f"{row.company.national_id} ({'approved' if row.is_approved else 'pending'}, {row.role})"
        for row in rows
    )
    raise RuntimeError(
        "companies.0003: these users have more than one company membership, and an account may act for one "
        "company only. Delete all but one membership of each (admin: Companies > Company members), then run "
        f"migrate again.\n{listed}"
    )


class Migration(migrations.Migration):
    dependencies = [("companies", "0002_sectors")]

    operations = [
        migrations.RunPython(refuse_users_with_two_memberships, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="companymember", name="company_member_unique"),
        migrations.AddConstraint(
            model_name="companymember",
            constraint=models.UniqueConstraint(fields=("user",), name="company_member_one_per_user"),
        ),
    ]
