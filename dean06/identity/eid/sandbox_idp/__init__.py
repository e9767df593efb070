"""The SANDBOX e-ID provider: a real OpenID Connect provider (django-oauth-toolkit) standing in for VNeID.

Available only when DEAN06_SANDBOX is true. It keeps "who is logging in" in its own session keys and never
logs a Django user in, so the relying party (dean06's citizen login) talks to it over HTTP exactly as it
would to the national provider. See docs/eid.md.
"""
