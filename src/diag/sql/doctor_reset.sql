-- Whether the role may execute pg_stat_statements_reset in the extension's schema ($1).
SELECT coalesce(bool_or(has_function_privilege(current_user, p.oid, 'EXECUTE')), false) AS allowed
FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname = 'pg_stat_statements_reset' AND n.nspname = $1
