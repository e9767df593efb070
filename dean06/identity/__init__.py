"""Who is this person: 12-digit personal ID and old 9-digit ID rules, chip ID-card QR parsing and decoding,
the national population database adapter (local mirror, HTTP client, SANDBOX service), citizen e-ID login
over OpenID Connect with assurance levels (and the SANDBOX identity provider), and staff second factor."""
