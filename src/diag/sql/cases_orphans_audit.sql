-- Audit rows whose case is gone.
SELECT /* wfctl:diag_orphans */ count(*) AS n FROM audit_log a
WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.case_id = a.case_id)
