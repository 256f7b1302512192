-- migrate-files reads and rewrites the ledger rows of a batch's cases by case id.
CREATE INDEX IF NOT EXISTS idx_import_ledger_case_id ON wfctl_import_ledger(case_id);
