-- Estimated btree index bloat, after ioguix/pgsql-bloat-estimation's btree query: the pages the
-- entries would need (from pg_stats' widths) against the pages on disk. A statistical
-- estimate; indexes whose columns have no pg_stats rows are left out (is_na when partial).
SELECT nspname::text AS schema_name, tblname::text AS table_name, idxname::text AS index_name,
       (bs * relpages)::bigint AS real_bytes,
       CASE WHEN relpages > est_pages_ff THEN (bs * (relpages - est_pages_ff))::bigint ELSE 0 END
         AS bloat_bytes,
       CASE WHEN relpages > 0 AND relpages > est_pages_ff
            THEN 100 * (relpages - est_pages_ff)::float8 / relpages ELSE 0 END AS bloat_percent,
       is_na
FROM (
  SELECT coalesce(1 + ceil(reltuples / floor((bs - pageopqdata - pagehdr) * fillfactor
                                             / (100 * (4 + nulldatahdrwidth)::float))), 0) AS est_pages_ff,
         bs, nspname, tblname, idxname, relpages, is_na
  FROM (
    SELECT maxalign, bs, nspname, tblname, idxname, reltuples, relpages, fillfactor,
           (index_tuple_hdr_bm + maxalign
              - CASE WHEN index_tuple_hdr_bm % maxalign = 0 THEN maxalign ELSE index_tuple_hdr_bm % maxalign END
              + nulldatawidth + maxalign
              - CASE WHEN nulldatawidth = 0 THEN 0
                     WHEN nulldatawidth::integer % maxalign = 0 THEN maxalign
                     ELSE nulldatawidth::integer % maxalign END
           )::numeric AS nulldatahdrwidth,
           pagehdr, pageopqdata, is_na
    FROM (
      SELECT n.nspname, i.tblname, i.idxname, i.reltuples, i.relpages, i.fillfactor,
             current_setting('block_size')::numeric AS bs,
             CASE WHEN version() ~ 'mingw32' OR version() ~ '64-bit|x86_64|ppc64|ia64|amd64|aarch64'
                  THEN 8 ELSE 4 END AS maxalign,
             24 AS pagehdr, 16 AS pageopqdata,
             CASE WHEN max(coalesce(s.null_frac, 0)) = 0 THEN 8 ELSE 8 + ((32 + 8 - 1) / 8) END
               AS index_tuple_hdr_bm,
             sum((1 - coalesce(s.null_frac, 0)) * coalesce(s.avg_width, 1024)) AS nulldatawidth,
             max(CASE WHEN i.atttypid = 'pg_catalog.name'::regtype THEN 1 ELSE 0 END) > 0
               OR count(s.attname) < max(i.natts) AS is_na
      FROM (
        SELECT ct.relname AS tblname, ct.relnamespace, ic.idxname, ic.attpos, ic.reltuples,
               ic.relpages, ic.fillfactor, ic.natts,
               coalesce(a1.attname, a2.attname) AS attname,
               coalesce(a1.atttypid, a2.atttypid) AS atttypid,
               CASE WHEN a1.attnum IS NULL THEN ic.idxname ELSE ct.relname END AS attrelname
        FROM (
          SELECT ci.relname AS idxname, ci.reltuples, ci.relpages, i.indrelid AS tbloid,
                 i.indexrelid AS idxoid, i.indnatts AS natts,
                 coalesce(substring(array_to_string(ci.reloptions, ' ') FROM 'fillfactor=([0-9]+)')::smallint, 90)
                   AS fillfactor,
                 i.indkey::int2[] AS indkey,
                 generate_series(1, i.indnatts) AS attpos
          FROM pg_index i
          JOIN pg_class ci ON ci.oid = i.indexrelid
          WHERE ci.relam = (SELECT oid FROM pg_am WHERE amname = 'btree') AND ci.relpages > 0
        ) ic
        JOIN pg_class ct ON ct.oid = ic.tbloid
        LEFT JOIN pg_attribute a1 ON ic.indkey[ic.attpos - 1] <> 0
                                 AND a1.attrelid = ic.tbloid AND a1.attnum = ic.indkey[ic.attpos - 1]
        LEFT JOIN pg_attribute a2 ON ic.indkey[ic.attpos - 1] = 0
                                 AND a2.attrelid = ic.idxoid AND a2.attnum = ic.attpos
      ) i
      JOIN pg_namespace n ON n.oid = i.relnamespace
      LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = i.attrelname
                          AND s.attname = i.attname
      WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ) rows_data_stats
  ) rows_hdr_pdg_stats
) relation_stats
ORDER BY bloat_bytes DESC, schema_name, index_name
