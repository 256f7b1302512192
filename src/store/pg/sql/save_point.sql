WITH /* wfctl:save_point */ info AS (
  INSERT INTO workflow_info AS w (hibid, case_id, ts, is_complete, pend_exec_path,
    last_executed_step, last_executed_comp_name, ticket, journey_name, ticket_urt,
    is_pend_at_same_step, last_pend_workbasket, last_pend_step, branches, started_ts, completed_ts)
  SELECT $2, $1, $3, $4, $5, $6, $7, $8,
    COALESCE($9, (SELECT def_name FROM workflow_definition WHERE hibid = $10)),
    $11, $12, $13, $14, $15, $3, CASE WHEN $4 THEN $3 END
  WHERE $2 IS NOT NULL
  ON CONFLICT (hibid) DO UPDATE SET ts = EXCLUDED.ts, is_complete = EXCLUDED.is_complete,
    pend_exec_path = EXCLUDED.pend_exec_path, last_executed_step = EXCLUDED.last_executed_step,
    last_executed_comp_name = EXCLUDED.last_executed_comp_name, ticket = EXCLUDED.ticket,
    journey_name = COALESCE(EXCLUDED.journey_name, w.journey_name),
    ticket_urt = EXCLUDED.ticket_urt, is_pend_at_same_step = EXCLUDED.is_pend_at_same_step,
    last_pend_workbasket = EXCLUDED.last_pend_workbasket, last_pend_step = EXCLUDED.last_pend_step,
    branches = EXCLUDED.branches,
    completed_ts = CASE WHEN EXCLUDED.is_complete THEN COALESCE(w.completed_ts, EXCLUDED.ts) END,
    version = w.version + 1
  RETURNING hibid),
paths_gone AS (
  DELETE FROM exec_path WHERE $2 IS NOT NULL AND workflow_info_hibid = $2 AND name <> ALL($16)),
-- unchanged paths are not rewritten (no dead tuples for the paths that did not move)
paths AS (
  INSERT INTO exec_path AS e (workflow_info_hibid, name, status, step, unit_response_type,
    pend_workbasket, prev_pend_workbasket, error_code, error_desc, comp_name, ticket, error_details,
    error_retryable, tbc_sla_workbasket, wfctl_visit, wfctl_interrupted_starts)
  SELECT info.hibid, p.* FROM info,
    unnest($16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30) AS p
  ON CONFLICT (workflow_info_hibid, name) DO UPDATE SET (status, step, unit_response_type,
    pend_workbasket, prev_pend_workbasket, error_code, error_desc, comp_name, ticket, error_details,
    error_retryable, tbc_sla_workbasket, wfctl_visit, wfctl_interrupted_starts)
  = ROW(EXCLUDED.status, EXCLUDED.step, EXCLUDED.unit_response_type, EXCLUDED.pend_workbasket,
    EXCLUDED.prev_pend_workbasket, EXCLUDED.error_code, EXCLUDED.error_desc, EXCLUDED.comp_name,
    EXCLUDED.ticket, EXCLUDED.error_details, EXCLUDED.error_retryable, EXCLUDED.tbc_sla_workbasket,
    EXCLUDED.wfctl_visit, EXCLUDED.wfctl_interrupted_starts)
  WHERE (e.status, e.step, e.unit_response_type, e.pend_workbasket, e.prev_pend_workbasket,
    e.error_code, e.error_desc, e.comp_name, e.ticket, e.error_details, e.error_retryable,
    e.tbc_sla_workbasket, e.wfctl_visit, e.wfctl_interrupted_starts)
  IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.step, EXCLUDED.unit_response_type,
    EXCLUDED.pend_workbasket, EXCLUDED.prev_pend_workbasket, EXCLUDED.error_code,
    EXCLUDED.error_desc, EXCLUDED.comp_name, EXCLUDED.ticket, EXCLUDED.error_details,
    EXCLUDED.error_retryable, EXCLUDED.tbc_sla_workbasket, EXCLUDED.wfctl_visit,
    EXCLUDED.wfctl_interrupted_starts)),
vars_gone AS (
  DELETE FROM process_variable_value WHERE $2 IS NOT NULL AND name <> ALL($31)
    AND workflow_variables_id = (SELECT id FROM workflow_variables WHERE workflow_info_hibid = $2)),
-- the variables' owner row is made only for a case that has variables
owner AS (
  INSERT INTO workflow_variables (workflow_info_hibid)
  SELECT hibid FROM info WHERE cardinality($31) > 0
  ON CONFLICT (workflow_info_hibid) DO UPDATE SET workflow_info_hibid = EXCLUDED.workflow_info_hibid
  RETURNING id),
vars AS (
  INSERT INTO process_variable_value AS v (workflow_variables_id, name, type, value_string,
    value_long, value_boolean, value_double, value_json)
  SELECT owner.id, x.* FROM owner, unnest($31, $32, $33, $34, $35, $36, $37) AS x
  ON CONFLICT (workflow_variables_id, name) DO UPDATE
  SET (type, value_string, value_long, value_boolean, value_double, value_json)
  = ROW(EXCLUDED.type, EXCLUDED.value_string, EXCLUDED.value_long, EXCLUDED.value_boolean,
    EXCLUDED.value_double, EXCLUDED.value_json)
  WHERE (v.type, v.value_string, v.value_long, v.value_boolean, v.value_double, v.value_json)
  IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.value_string, EXCLUDED.value_long,
    EXCLUDED.value_boolean, EXCLUDED.value_double, EXCLUDED.value_json)),
-- audit records are numbered from the case's counter, advanced by their count
ctr AS (
  INSERT INTO workflow_counters AS c (name, value) SELECT $38, $39 WHERE $39 > 0
  ON CONFLICT (name) DO UPDATE SET value = c.value + EXCLUDED.value
  RETURNING value),
audit AS (
  INSERT INTO audit_log (case_id, sequence, step_name, ts, log_data)
  SELECT $1, (ctr.value - $39 + a.ord)::int, a.unit, a.ts, a.doc
  FROM ctr, unnest($40, $41, $42) WITH ORDINALITY AS a(unit, ts, doc, ord)),
-- $44: every queued milestone leaves; else those of the baskets in $45
ms_out AS (
  UPDATE milestone SET status = 'dequeued', actual_ts = $43
  WHERE ($44 OR cardinality($45) > 0) AND case_id = $1 AND status = 'enqueued'
    AND ($44 OR (milestone_type = 'work_basket' AND details->>'work_basket_name' = ANY($45)))),
-- ids follow the queue order, which is the order milestones are read back in
ms_in AS (
  INSERT INTO milestone (case_id, name, target_ts, actual_ts, status, sla_minutes,
    work_basket_name, setup_on, milestone_type, action, user_data, details, enqueued_ts)
  SELECT $1, name, target_ts, actual_ts, status, sla_minutes, work_basket_name, setup_on,
    milestone_type, action, user_data, details, enqueued_ts
  FROM unnest($46, $47, $48, $49, $50, $51, $52, $53, $54, $55, $56, $57) WITH ORDINALITY
    AS m(name, target_ts, actual_ts, status, sla_minutes, work_basket_name, setup_on,
      milestone_type, action, user_data, details, enqueued_ts, ord)
  ORDER BY ord),
cancel AS (
  UPDATE workflow_info SET wfctl_cancelled_ts = $58, wfctl_cancelled_by = $59,
    wfctl_cancel_reason = $60
  WHERE $58 IS NOT NULL AND case_id = $1)
-- waiters (`case wait`, on any host) LISTEN on this channel; delivered at commit
SELECT COALESCE((SELECT value FROM ctr), 0)::int8 AS last_seq
FROM (SELECT pg_notify('wfctl_case', $1)) n
