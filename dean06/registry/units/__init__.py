"""Administrative units: loading the official lists and resolving old addresses to today's communes."""
