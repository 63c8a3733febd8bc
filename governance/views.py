from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from governance.navigation import landing_url


@login_required
def home(request):
    """Send each user to the page of their role; a user without any role is told so."""
    url = landing_url(request.user)
    if url:
        return redirect(url)
    return render(request, "governance/no_role.html", status=200)


def csrf_failure(request, reason=""):
    """A Swedish page instead of Django's technical one when a form's CSRF token is stale."""
    return render(request, "403_csrf.html", status=403)
