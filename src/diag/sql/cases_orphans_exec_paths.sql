-- Exec paths whose case is gone (or never written). NOT EXISTS counts NULL keys too (NULL
-- matches nothing). Each orphan count is its own statement, so that they run side by side.
SELECT /* wfctl:diag_orphans */ count(*) AS n FROM exec_path e
WHERE NOT EXISTS (SELECT 1 FROM workflow_info w WHERE w.hibid = e.workflow_info_hibid)
