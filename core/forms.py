"""Showing a service's refusal where the user reads it: on the form, or as one sentence."""

from django.core.exceptions import ValidationError


def attach_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: field errors beside their fields (when
    the form has that field), everything else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def refusal(check, *args, **kwargs) -> str:
    """The message a policy's `ensure_*` check gives, or "" when it lets the user act:
    pages show the very sentence the service would refuse with."""
    try:
        check(*args, **kwargs)
    except ValidationError as error:
        return " ".join(error.messages)
    return ""
