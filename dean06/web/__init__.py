"""The user-facing shell: login, navigation per role, landing dashboard, error pages and the pages that
sit on top of every domain. Thin views only: they call selectors and services of the domains below."""
