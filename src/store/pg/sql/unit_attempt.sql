SELECT /* wfctl:unit_attempt */ wfctl_attempt_key AS key, wfctl_attempt AS attempt FROM workflow_info WHERE hibid = $1
