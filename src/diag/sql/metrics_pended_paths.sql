-- Pended exec paths per work basket (a resume clears the basket, so a path that has one is
-- pended), counted in idx_exec_path_workbasket without visiting the table; and how long the
-- oldest pended case of each basket has waited (since its last write), found by walking the
-- incomplete cases oldest first (idx_wf_info_ts_incomplete) until one is pended there.
SELECT /* wfctl:metrics_pended_paths */ b.basket::text AS basket,
       b.cases,
       coalesce((extract(epoch FROM now()) * 1000 - o.ts) / 1000, 0)::float8 AS oldest_seconds
FROM (SELECT pend_workbasket AS basket, count(*) AS cases
      FROM exec_path WHERE pend_workbasket IS NOT NULL GROUP BY 1) b
LEFT JOIN LATERAL (
  SELECT w.ts FROM workflow_info w
  JOIN exec_path e ON e.workflow_info_hibid = w.hibid AND e.name = w.pend_exec_path
  WHERE e.pend_workbasket = b.basket AND w.is_complete = FALSE AND w.pend_exec_path <> ''
  ORDER BY w.ts LIMIT 1) o ON true
ORDER BY 1
