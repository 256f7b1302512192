-- Variables rows whose case is gone, and values whose variables row is gone.
SELECT /* wfctl:diag_orphans */ (SELECT count(*) FROM workflow_variables v
        WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.hibid = v.workflow_info_hibid)) AS n,
       (SELECT count(*) FROM process_variable_value p
        WHERE NOT EXISTS (SELECT 1 FROM workflow_variables v WHERE v.id = p.workflow_variables_id)) AS m
