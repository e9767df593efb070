"""The SANDBOX provider's OpenID Connect endpoints under /sandbox/eid/o/ (namespace `identity:sandbox_eid`).

Only what a relying party needs: discovery, JWKS, authorize, token, userinfo (django-oauth-toolkit's views and
URL names). No application-management or dynamic-registration pages. All answer 404 unless DEAN06_SANDBOX.
"""

from django.urls import URLPattern, path, re_path
from oauth2_provider import views as dot

from dean06.identity.eid.sandbox_idp import views
from dean06.identity.eid.sandbox_idp.views import sandbox_only

app_name = "sandbox_eid"
urlpatterns: list[URLPattern] = [
    re_path(
        r"^\.well-known/openid-configuration/?$",
        sandbox_only(views.SandboxDiscoveryView.as_view()),
        name="oidc-connect-discovery-info",
    ),
    path(".well-known/jwks.json", sandbox_only(dot.JwksInfoView.as_view()), name="jwks-info"),
    path("authorize/", sandbox_only(views.SandboxAuthorizationView.as_view()), name="authorize"),
    path("token/", sandbox_only(dot.TokenView.as_view()), name="token"),
    path("userinfo/", sandbox_only(dot.UserInfoView.as_view()), name="user-info"),
]
