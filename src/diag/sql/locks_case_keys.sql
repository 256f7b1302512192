-- The cases whose wfctl case lock key (wfctl_case_lock_key, a migration) is among the given
-- advisory keys.
SELECT /* wfctl:diag_case_lock_keys */ case_id::text AS case_id, wfctl_case_lock_key(case_id) AS key
FROM workflow_info
WHERE wfctl_case_lock_key(case_id) = ANY($1)
