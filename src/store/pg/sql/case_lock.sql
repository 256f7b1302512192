SELECT /* wfctl:case_lock */ pg_try_advisory_lock(wfctl_case_lock_key($1)) AS locked
