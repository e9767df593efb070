"""Citizen login with the national e-ID over OpenID Connect, assurance levels, and the SANDBOX provider."""
