-- Estimated table bloat: the size the rows would need (from pg_stats' average widths and null
-- fractions) against the size on disk. After ioguix/pgsql-bloat-estimation's table query.
-- A statistical estimate: is_na, never-analyzed and stale tables are withheld by bloat.rs.
SELECT schema_name, table_name,
       (bs * tblpages)::bigint AS estimated_from_bytes,
       (pg_relation_size(tblid) + coalesce(pg_relation_size(nullif(toastid, 0)), 0))::bigint AS real_bytes,
       greatest((tblpages - est_tblpages_ff) * bs, 0)::bigint AS bloat_bytes,
       CASE WHEN tblpages > 0 AND tblpages - est_tblpages_ff > 0
            THEN 100 * (tblpages - est_tblpages_ff) / tblpages::float8 ELSE 0 END AS bloat_percent,
       is_na,
       reltuples::float8 AS reltuples,
       coalesce(st.n_mod_since_analyze, 0) AS mod_since_analyze,
       (greatest(st.last_analyze, st.last_autoanalyze) IS NOT NULL) AS analyzed
FROM (
  SELECT ceil(reltuples / ((bs - page_hdr) * fillfactor / (tpl_size * 100))) + ceil(toasttuples / 4)
           AS est_tblpages_ff,
         tblpages, bs, tblid, toastid, schema_name, table_name, is_na, reltuples
  FROM (
    SELECT (4 + tpl_hdr_size + tpl_data_size + (2 * ma)
              - CASE WHEN tpl_hdr_size % ma = 0 THEN ma ELSE tpl_hdr_size % ma END
              - CASE WHEN ceil(tpl_data_size)::int % ma = 0 THEN ma ELSE ceil(tpl_data_size)::int % ma END
           ) AS tpl_size,
           (heappages + toastpages) AS tblpages, reltuples, toasttuples, bs, page_hdr, tblid, toastid,
           schema_name, table_name, fillfactor, is_na
    FROM (
      SELECT tbl.oid AS tblid, tbl.reltoastrelid AS toastid, ns.nspname::text AS schema_name, tbl.relname::text AS table_name,
             greatest(tbl.reltuples, 0) AS reltuples,
             tbl.relpages AS heappages, coalesce(toast.relpages, 0) AS toastpages,
             coalesce(toast.reltuples, 0) AS toasttuples,
             coalesce(substring(array_to_string(tbl.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::smallint, 100)
               AS fillfactor,
             current_setting('block_size')::numeric AS bs,
             CASE WHEN version() ~ 'mingw32' OR version() ~ '64-bit|x86_64|ppc64|ia64|amd64|aarch64'
                  THEN 8 ELSE 4 END AS ma,
             24 AS page_hdr,
             23 + CASE WHEN max(coalesce(s.null_frac, 0)) > 0 THEN (7 + count(s.attname)) / 8 ELSE 0::int END
               AS tpl_hdr_size,
             sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 0)) AS tpl_data_size,
             bool_or(att.atttypid = 'pg_catalog.name'::regtype)
               OR sum(CASE WHEN att.attnum > 0 THEN 1 ELSE 0 END) <> count(s.attname) AS is_na
      FROM pg_attribute att
      JOIN pg_class tbl ON att.attrelid = tbl.oid
      JOIN pg_namespace ns ON ns.oid = tbl.relnamespace
      LEFT JOIN pg_stats s ON s.schemaname = ns.nspname AND s.tablename = tbl.relname
                           AND s.inherited = false AND s.attname = att.attname
      LEFT JOIN pg_class toast ON tbl.reltoastrelid = toast.oid
      WHERE NOT att.attisdropped AND att.attnum > 0
        AND tbl.relkind IN ('r', 'm')
        AND ns.nspname NOT IN ('pg_catalog', 'information_schema')
        AND ns.nspname NOT LIKE 'pg\_toast%'
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    ) s
  ) s2
) s3
LEFT JOIN pg_stat_all_tables st ON st.relid = s3.tblid
ORDER BY bloat_bytes DESC, schema_name, table_name
