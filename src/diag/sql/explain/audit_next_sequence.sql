/* wfctl:audit_counter */
SELECT value FROM workflow_counters WHERE name = $1
