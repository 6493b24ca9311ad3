"""The promise ledger: every promise made to a customer, kept or not, with its evidence."""
