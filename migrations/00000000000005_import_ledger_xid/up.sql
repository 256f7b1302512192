-- The transaction that wrote an imported case's rows (its 32-bit id, as the rows' xmin shows
-- it). A re-run of migrate-files replaces a case only while every row of it still carries this
-- id: any later write (a resume, a psql UPDATE, another application) gives the row a new one.
ALTER TABLE wfctl_import_ledger ADD COLUMN imported_xid BIGINT;

-- Earlier imports wrote each ledger row in the same transaction as its case's rows.
UPDATE wfctl_import_ledger SET imported_xid = xmin::text::bigint WHERE status = 'imported';
