"""Staff login hardening: TOTP second factor with recovery codes, lockout, idle timeout."""
