-- Pended cases (not complete, pend_exec_path set) per work basket of the pended exec path,
-- with how long they have been pended (since the case's last write, ts). The basket condition
-- in the join lets it read only pended exec paths (idx_exec_path_workbasket): a path without a
-- basket is "(exec path missing)" either way.
SELECT /* wfctl:diag_pended_by_basket */ coalesce(e.pend_workbasket, '(exec path missing)')::text AS basket,
       count(*) AS cases,
       ((extract(epoch FROM now()) * 1000 - min(w.ts)) / 1000)::float8 AS oldest_seconds,
       ((extract(epoch FROM now()) * 1000
         - percentile_disc(0.5) WITHIN GROUP (ORDER BY w.ts)) / 1000)::float8 AS median_seconds
FROM workflow_info w
LEFT JOIN exec_path e ON e.workflow_info_hibid = w.hibid AND e.name = w.pend_exec_path
  AND e.pend_workbasket IS NOT NULL
WHERE w.is_complete = false AND w.pend_exec_path <> ''
GROUP BY 1
ORDER BY 2 DESC, 1
