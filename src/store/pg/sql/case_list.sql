SELECT /* wfctl:case_list */ to_jsonb(x) AS row FROM (
  SELECT k.case_id, COALESCE(d.def_name, i.journey_name) AS journey_name,
    i.hibid IS NOT NULL AS has_info, i.is_complete, i.pend_exec_path, i.last_executed_step, i.ts,
    e.name AS path_name, e.pend_workbasket, e.step AS path_step,
    i.wfctl_cancelled_ts IS NOT NULL AS cancelled
  FROM (SELECT case_id FROM workflow_definition WHERE hibid = 'journey-' || case_id
        UNION SELECT case_id FROM workflow_info) k
  LEFT JOIN workflow_definition d ON d.hibid = 'journey-' || k.case_id
  LEFT JOIN workflow_info i ON i.case_id = k.case_id
  LEFT JOIN exec_path e ON e.workflow_info_hibid = i.hibid AND e.name = i.pend_exec_path
  -- each filter is off when its parameter is NULL (the planner drops it: parameters are known)
  WHERE ($1::text IS NULL
      OR ($1 = 'not_started' AND i.hibid IS NULL)
      OR ($1 = 'completed' AND i.is_complete AND i.wfctl_cancelled_ts IS NULL)
      OR ($1 = 'pended' AND NOT i.is_complete AND i.pend_exec_path <> ''
          AND i.wfctl_cancelled_ts IS NULL)
      OR ($1 = 'running' AND i.hibid IS NOT NULL AND NOT COALESCE(i.is_complete, false)
          AND COALESCE(i.pend_exec_path, '') = '' AND i.wfctl_cancelled_ts IS NULL)
      OR ($1 = 'cancelled' AND i.wfctl_cancelled_ts IS NOT NULL))
    AND ($2::text IS NULL OR COALESCE(e.pend_workbasket, '') = $2)
    AND ($3::text IS NULL OR COALESCE(d.def_name, i.journey_name, '') = $3)
    AND ($4::text IS NULL OR CASE WHEN e.name IS NOT NULL THEN COALESCE(e.step, '')
                                  ELSE COALESCE(i.last_executed_step, '') END = $4)
    AND ($5::int8 IS NULL OR COALESCE(i.ts, 0) < $5)
) x ORDER BY case_id COLLATE "C"
