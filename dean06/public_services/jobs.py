"""Background jobs of the public-services app (ADR-0008): thin wrappers around the services of the same name."""

from __future__ import annotations

from django.tasks import task

from dean06.public_services.payments.sandbox import sandbox_ipn_send


@task()
def sandbox_ipn_send_job(*, ipn_url: str, params: dict[str, str]) -> str:
    """The SANDBOX gateway's server-to-server IPN: POST the signed result to `ipn_url`; the merchant's RspCode.

    The URL travels with the job (it was signed into the payment request) rather than being derived here: the
    worker has no request to build it from, and a test's live server has a port only it knows.
    """
    return sandbox_ipn_send(ipn_url=ipn_url, params=params)
