-- Rows of the history tables as the server keeps them, without reading the tables: the live
-- rows it counts on every insert and delete (pg_stat_user_tables.n_live_tup; 0 after a
-- statistics reset), else the last VACUUM or ANALYZE's count (pg_class.reltuples; -1: never).
-- fired: the entries of the partial index of fired milestones, as the last VACUUM or ANALYZE
-- of milestone counted them (NULL without the index or before the first one). paths: the rows
-- of exec_path, read the same way as cases.
SELECT /* wfctl:metrics_estimates */ coalesce((SELECT CASE WHEN s.n_live_tup > 0 THEN s.n_live_tup::float8
                             ELSE greatest(c.reltuples, 0)::float8 END
                 FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
                 WHERE c.oid = to_regclass('workflow_info')), 0)::float8 AS cases,
       coalesce((SELECT CASE WHEN s.n_live_tup > 0 THEN s.n_live_tup::float8
                             ELSE greatest(c.reltuples, 0)::float8 END
                 FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
                 WHERE c.oid = to_regclass('exec_path')), 0)::float8 AS paths,
       (SELECT c.reltuples::float8 FROM pg_class c
        WHERE c.oid = to_regclass('idx_milestone_fired') AND c.reltuples >= 0) AS fired
