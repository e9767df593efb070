"""Public services and the one-stop shop (issue #5): the procedure catalogue, e-forms prefilled from what the state
already holds, dossiers filed online or at the counter and their workflow, deadlines in working days, results
signed as PDF and kept in the citizen's document store, fees, ratings and petitions, and what Decision 766 counts.

It does not own persons or units (registry), logins (identity) or the index itself (monitoring reads it)."""
