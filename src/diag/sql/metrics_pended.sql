-- Pended cases per work basket, and how long the oldest has waited (since its last write).
SELECT /* wfctl:metrics_pended */ coalesce(e.pend_workbasket, '')::text AS basket,
       count(*) AS cases,
       coalesce(((extract(epoch FROM now()) * 1000 - min(w.ts)) / 1000), 0)::float8 AS oldest_seconds
FROM workflow_info w
LEFT JOIN exec_path e ON e.workflow_info_hibid = w.hibid AND e.name = w.pend_exec_path
WHERE w.is_complete = false AND w.pend_exec_path <> ''
GROUP BY 1
ORDER BY 1
