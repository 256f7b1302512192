-- A case's audit counter is named `workflow_audit_log_counter-` + its case id; the guide's
-- VARCHAR(100) refused case ids longer than 73 bytes that the file store keeps. Widening a
-- VARCHAR changes only the catalogue (no table rewrite).
ALTER TABLE workflow_counters ALTER COLUMN name TYPE VARCHAR(255);
