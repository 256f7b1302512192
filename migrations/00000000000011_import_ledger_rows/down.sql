ALTER TABLE wfctl_import_ledger DROP COLUMN IF EXISTS imported_rows;
