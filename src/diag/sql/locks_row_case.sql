-- The case of the row at a ctid ($1) of a workflow table: the row a session waits for ($2 is
-- the prefix of a case's counter name, model::COUNTER_PREFIX).
-- One statement per table, each after a "-- table: NAME" line (split by locks.rs).
-- table: workflow_info
SELECT /* wfctl:diag_row_case */ case_id::text AS case_id FROM workflow_info WHERE ctid = $1::tid
-- table: workflow_definition
SELECT /* wfctl:diag_row_case */ case_id::text AS case_id FROM workflow_definition WHERE ctid = $1::tid
-- table: milestone
SELECT /* wfctl:diag_row_case */ case_id::text AS case_id FROM milestone WHERE ctid = $1::tid
-- table: audit_log
SELECT /* wfctl:diag_row_case */ case_id::text AS case_id FROM audit_log WHERE ctid = $1::tid
-- table: exec_path
SELECT /* wfctl:diag_row_case */ w.case_id::text AS case_id FROM exec_path e
  JOIN workflow_info w ON w.hibid = e.workflow_info_hibid WHERE e.ctid = $1::tid
-- table: workflow_variables
SELECT /* wfctl:diag_row_case */ w.case_id::text AS case_id FROM workflow_variables v
  JOIN workflow_info w ON w.hibid = v.workflow_info_hibid WHERE v.ctid = $1::tid
-- table: process_variable_value
SELECT /* wfctl:diag_row_case */ w.case_id::text AS case_id FROM process_variable_value p
  JOIN workflow_variables v ON v.id = p.workflow_variables_id
  JOIN workflow_info w ON w.hibid = v.workflow_info_hibid WHERE p.ctid = $1::tid
-- table: step
SELECT /* wfctl:diag_row_case */ d.case_id::text AS case_id FROM step s
  JOIN workflow_definition d ON d.hibid = s.workflow_definition_hibid WHERE s.ctid = $1::tid
-- table: route
SELECT /* wfctl:diag_row_case */ d.case_id::text AS case_id FROM route r
  JOIN workflow_definition d ON d.hibid = r.workflow_definition_hibid WHERE r.ctid = $1::tid
-- table: workflow_counters
SELECT /* wfctl:diag_row_case */ substr(name, length($2) + 1)::text AS case_id
  FROM workflow_counters WHERE ctid = $1::tid AND left(name, length($2)) = $2
