SELECT /* wfctl:milestones */ to_jsonb(m) AS row FROM milestone m WHERE case_id = $1 AND status = 'enqueued' ORDER BY id
