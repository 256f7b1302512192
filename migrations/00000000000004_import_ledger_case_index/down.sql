DROP INDEX IF EXISTS idx_import_ledger_case_id;
