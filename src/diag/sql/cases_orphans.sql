/* wfctl:diag_orphans */
-- Rows whose case is gone (or never written): exec paths, variables and values, audit rows,
-- milestones, journeys (but not the journey of a case being started: its lock is held). The seed's foreign keys prevent some but allow NULL keys, which NOT
-- EXISTS counts too (NULL matches nothing). Anti-joins, not `IS NULL OR NOT EXISTS`: the OR
-- forces a hashed subplan that degrades to a per-row probe on big tables.
SELECT
  (SELECT count(*) FROM exec_path e
    WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.hibid = e.workflow_info_hibid)) AS exec_paths,
  (SELECT count(*) FROM audit_log a
    WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.case_id = a.case_id)) AS audit_rows,
  (SELECT count(*) FROM workflow_variables v
    WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.hibid = v.workflow_info_hibid)) AS variables,
  (SELECT count(*) FROM process_variable_value p
    WHERE NOT EXISTS (SELECT 1 FROM workflow_variables v WHERE v.id = p.workflow_variables_id)) AS variable_values,
  (SELECT count(*) FROM milestone m
    WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.case_id = m.case_id)) AS milestones,
  (SELECT count(*) FROM workflow_definition d
    WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.case_id = d.case_id)
      -- a case whose wfctl case lock is held is being started, not left behind
      AND wfctl_case_lock_key(d.case_id) NOT IN (
        SELECT (l.classid::bigint << 32) | l.objid::bigint
        FROM pg_locks l
        WHERE l.locktype = 'advisory' AND l.objsubid = 1 AND l.granted
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))) AS journeys
