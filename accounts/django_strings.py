"""Persian for sentences of Django and of the third-party apps that their own Persian
catalogues leave out or word wrongly ("Please correct the error below." in English on a
Persian admin page, "حذف  نیازها های انتخاب شده").

Nothing imports this module: it only marks the sentences, so that `make messages` extracts
them into the accounts catalogue, where their Persian lives (without it they appear in no
source of ours and `makemessages --no-obsolete` would drop their translations). The
accounts catalogue is the one that wins: Django looks a sentence up in LOCALE_PATHS, then
in the apps in INSTALLED_APPS order, and accounts comes first, before django.contrib.admin;
the other project apps come after the admin, so only a catalogue here can overrule the
admin's own translation. tests/portal/test_admin_persian.py checks that it does.

Every msgid is copied exactly from the app that uses it; the comment names where."""

from django.utils.translation import gettext_noop, ngettext_lazy

# django.contrib.admin (its Persian catalogue has these empty, or wrong)
gettext_noop("Select this object for an action - {}")  # the changelist's row checkboxes
gettext_noop("Breadcrumbs")  # the <nav> of every admin page
gettext_noop("Model name")  # the app list's column
ngettext_lazy("Please correct the error below.", "Please correct the errors below.", "count")  # a failed save
gettext_noop("Delete selected %(verbose_name_plural)s")  # wrong: a plural suffix after the plural name
gettext_noop("This action will <strong>enable</strong> password-based authentication for this user.")
gettext_noop("In case you’ve forgotten, you are:")  # the password-reset mail
ngettext_lazy("entry", "entries", "count")  # the history page

# django (forms and validators the admin's forms use)
gettext_noop("Enter a valid domain name.")
gettext_noop("Enter a valid %(protocol)s address.")
gettext_noop("Ensure this value is a multiple of step size %(limit_value)s.")
gettext_noop(
    "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, e.g. "
    "%(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
)
gettext_noop("Constraint “%(name)s” is violated.")
gettext_noop("%(model)s instance with %(field)s %(value)r is not a valid choice.")
ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms.", "num")
ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms.", "num")

# django-import-export (the import and export pages)
gettext_noop("No valid data to import. Ensure your file has the correct headers or data for import.")
gettext_noop("export failed due to IllegalCharacterError")
gettext_noop("This exporter will export the following fields: ")
gettext_noop("Select all")

# django-auditlog (its admin of all entries, for superusers; it has no Persian catalogue)
gettext_noop("Audit log")
gettext_noop("Changes")
gettext_noop("Created")
gettext_noop("User")
gettext_noop("Resource")
gettext_noop("Resource Type")
gettext_noop("create")
gettext_noop("update")
gettext_noop("delete")
gettext_noop("access")

# django-tasks-db (the task results, for superusers)
gettext_noop("Task Result")
gettext_noop("Task Results")
