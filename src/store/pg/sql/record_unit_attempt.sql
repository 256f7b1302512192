UPDATE /* wfctl:unit_attempt */ workflow_info SET wfctl_attempt_key = $2, wfctl_attempt = $3 WHERE hibid = $1
