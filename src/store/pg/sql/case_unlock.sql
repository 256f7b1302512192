SELECT /* wfctl:case_lock */ pg_advisory_unlock(wfctl_case_lock_key($1)) AS unlocked
