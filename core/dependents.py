"""Rules a lower app's model cannot see: the higher app that owns the rule registers a check.

An exhibition cannot import the needs shown in it, nor a company the needs it buys for
(the layers of docs/architecture.md), yet closing the exhibition or moving the company may
break a rule of those needs. So the lower model keeps a registry and runs it from its
``clean()``; the higher app, which owns the rule, registers a check from its
``AppConfig.ready()``::

    # exhibitions/models.py
    exhibition_checks = DependentChecks()

    class Exhibition(models.Model):
        def clean(self):
            ...  # the exhibition's own rules
            exhibition_checks.run(self)

    # needs/checks.py (imported by NeedsConfig.ready)
    @exhibition_checks.register
    def needs_stay_on_display(exhibition, stored):
        ...  # raise ValidationError({"status": ...})

Each check is called as ``check(obj, stored)``: ``stored`` is the row as saved (None for a
new object), loaded once for all checks, so a check sees what is being changed. Every path
that validates the model (admin forms and inlines, site forms, imports, ``full_clean``)
then keeps the rule, and the rule is still written once, by its owner.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import router, transaction

Check = Callable[[object, object], None]


class DependentChecks:
    """The checks higher apps hang on one lower model; ``run`` raises them as one error."""

    def __init__(self) -> None:
        self._checks: list[Check] = []

    def register(self, check: Check) -> Check:
        """Add ``check`` (usable as a decorator); registering one twice keeps one."""
        if check not in self._checks:
            self._checks.append(check)
        return check

    def run(self, obj) -> None:
        """Call every check with ``obj`` and its stored row; raise one ValidationError
        holding all their errors (each raises a dict by field, or a list for the form)."""
        if not self._checks:
            return
        stored = self._stored(obj)
        errors: dict = {}
        for check in self._checks:
            try:
                check(obj, stored)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _stored(obj):
        """The saved row, in one query; locked when a transaction is open (the admin's save
        is one), so a writer that takes the same lock (tour scheduling locks its exhibition)
        cannot slip in between the checks and the save."""
        if obj.pk is None:
            return None
        model = type(obj)
        using = router.db_for_write(model, instance=obj)
        rows = model._base_manager.using(using).filter(pk=obj.pk).order_by()
        if transaction.get_connection(using).in_atomic_block:
            rows = rows.select_for_update()
        return next(iter(rows), None)
