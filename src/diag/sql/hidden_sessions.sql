-- Sessions of other roles this role may not look into (state and backend_type are NULL).
SELECT count(*) AS n FROM pg_stat_activity
WHERE backend_type IS NULL AND state IS NULL AND datname IS NOT NULL AND pid <> pg_backend_pid()
