/* wfctl:diag_case_lock_keys */
-- The cases whose wfctl case lock key (conventions: hashtextextended('wfctl-case:' || case_id, 0))
-- is among the given advisory keys.
SELECT case_id::text AS case_id, hashtextextended('wfctl-case:' || case_id, 0) AS key
FROM workflow_info
WHERE hashtextextended('wfctl-case:' || case_id, 0) = ANY($1)
