"""The national population database adapter: one protocol, a local-mirror and an HTTP implementation, and a
SANDBOX HTTP service that serves the local mirror in that protocol."""
