-- Client sessions of other roles whose state this role may not see.
SELECT count(*) AS n FROM pg_stat_activity
WHERE backend_type = 'client backend' AND state IS NULL AND pid <> pg_backend_pid()
