from axes.backends import AxesStandaloneBackend


class LoginAttemptBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins that come in through a request.

    Axes refuses `authenticate()` calls without a request; code paths that have none (the
    shell, management commands, the test client's `login()`) cannot be used to guess a
    password from outside, so they skip the check instead of failing."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
