-- How many rows an import wrote for the file's case. A re-run of migrate-files replaces a case
-- only while the database still holds exactly those rows: xmin shows a row written since, the
-- count a row deleted since. NULL (imports before this column): only xmin is checked.
ALTER TABLE wfctl_import_ledger ADD COLUMN imported_rows BIGINT;
