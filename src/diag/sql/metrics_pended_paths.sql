-- Pended exec paths per work basket (a resume clears the basket, so a path that has one is
-- pended), and how long the oldest pended case of each basket has waited (since its last
-- write). The baskets are found by skipping through idx_exec_path_workbasket (one descent per
-- basket). A basket's count reads at most $1 of its entries, and none when the statistics
-- ANALYZE keeps of exec_path.pend_workbasket (its most common values, scaled by $2, the rows
-- of exec_path now) already put it at $1 or more: the caller takes the estimate then, so the
-- cost stays flat however many cases are pended. The oldest case of a basket is found by
-- walking the incomplete cases oldest first (idx_wf_info_ts_incomplete) until one is pended
-- there.
WITH RECURSIVE /* wfctl:metrics_pended_paths */ baskets AS (
  (SELECT pend_workbasket AS basket FROM exec_path WHERE pend_workbasket IS NOT NULL
   ORDER BY 1 LIMIT 1)
  UNION ALL
  SELECT (SELECT e.pend_workbasket FROM exec_path e
          WHERE e.pend_workbasket IS NOT NULL AND e.pend_workbasket > b.basket
          ORDER BY 1 LIMIT 1)
  FROM baskets b WHERE b.basket IS NOT NULL
), common AS (
  SELECT v.basket, v.freq * $2 AS estimate
  FROM pg_stats s,
       unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS v(basket, freq)
  WHERE s.schemaname = current_schema() AND s.tablename = 'exec_path'
    AND s.attname = 'pend_workbasket'
), counted AS (
  SELECT b.basket, c.estimate,
         CASE WHEN c.estimate >= $1 THEN NULL
              ELSE (SELECT count(*) FROM (SELECT 1 FROM exec_path e
                                          WHERE e.pend_workbasket = b.basket LIMIT $1) x) END AS counted
  FROM baskets b LEFT JOIN common c ON c.basket = b.basket
  WHERE b.basket IS NOT NULL
)
SELECT b.basket::text AS basket,
       b.counted AS counted,
       b.estimate::float8 AS estimate,
       coalesce((extract(epoch FROM now()) * 1000 - o.ts) / 1000, 0)::float8 AS oldest_seconds
FROM counted b
LEFT JOIN LATERAL (
  SELECT w.ts FROM workflow_info w
  JOIN exec_path e ON e.workflow_info_hibid = w.hibid AND e.name = w.pend_exec_path
  WHERE e.pend_workbasket = b.basket AND w.is_complete = FALSE AND w.pend_exec_path <> ''
  ORDER BY w.ts LIMIT 1) o ON true
ORDER BY 1
