-- How many arguments pg_stat_statements_reset takes here: 3+ (1.7+) can reset one database.
SELECT coalesce(max(p.pronargs), 0)::int AS args
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname = 'pg_stat_statements_reset' AND n.nspname = $1
