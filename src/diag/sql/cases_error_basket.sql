-- Cases pended in the error work basket ($1), oldest first, with the error on the path; $2 = how many.
SELECT /* wfctl:diag_error_basket */ w.case_id::text AS case_id,
       e.name::text AS exec_path,
       coalesce(e.step, '')::text AS step,
       e.error_code,
       coalesce(e.error_desc, '')::text AS error,
       e.error_retryable AS retryable,
       ((extract(epoch FROM now()) * 1000 - w.ts) / 1000)::float8 AS pended_seconds,
       count(*) OVER () AS total
FROM exec_path e
JOIN workflow_info w ON w.hibid = e.workflow_info_hibid AND w.pend_exec_path = e.name
WHERE e.pend_workbasket = $1 AND w.is_complete = false
ORDER BY w.ts
LIMIT $2
