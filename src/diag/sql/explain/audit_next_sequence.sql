SELECT /* wfctl:audit_counter */ value FROM workflow_counters WHERE name = $1
