-- Which of the given tables exist and whether the role may read them.
SELECT t AS table_name,
       to_regclass(t) IS NOT NULL AS present,
       CASE WHEN to_regclass(t) IS NULL THEN false
            ELSE has_table_privilege(current_user, t, 'SELECT') END AS readable
FROM unnest($1::text[]) t
