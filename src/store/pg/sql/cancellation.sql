SELECT /* wfctl:process_info */ wfctl_cancelled_ts AS cancelled_ts, COALESCE(wfctl_cancelled_by, '') AS cancelled_by,
  COALESCE(wfctl_cancel_reason, '') AS reason
FROM workflow_info WHERE case_id = $1 AND wfctl_cancelled_ts IS NOT NULL
