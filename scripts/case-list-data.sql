-- Cases for `case list` at scale (scripts/bench-case-list.sh, and the index test of
-- tests/it/case_list_plan.rs): a realistic mix of 70% completed, 25% pended in 20 work baskets
-- of skewed size, 5% running; random 16-hex case ids; a third with two parallel exec paths;
-- last writes spread over 90 days.   psql -v cases=N -f scripts/case-list-data.sql
\set ON_ERROR_STOP on
SET synchronous_commit = off;
CREATE TEMP TABLE g AS
SELECT substr(md5(i::text), 1, 16) AS case_id,
       (ARRAY['order_approval','order_approval','order_approval','refund','kyc_check'])[1 + (i % 5)] AS journey,
       r1, r2,
       (extract(epoch FROM now()) * 1000)::bigint - (r2 * 90 * 86400000)::bigint AS ts,
       CASE WHEN r1 < 0.70 THEN 'completed' WHEN r1 < 0.95 THEN 'pended' ELSE 'running' END AS status,
       'wb_' || lpad(floor(20 * power(r2, 3))::int::text, 2, '0') AS basket,
       i % 3 = 0 AS parallel
FROM (SELECT i, random() AS r1, random() AS r2 FROM generate_series(1, :cases) i) s;

INSERT INTO workflow_definition (hibid, case_id, ts, def_name, def_version, flow_json)
SELECT 'journey-' || case_id, case_id, ts, journey, '1',
       '{"journey":{"name":"' || journey || '","flow":[{"name":"start","component":"c","next":"end"}]}}'
FROM g;

INSERT INTO workflow_info (hibid, case_id, ts, is_complete, pend_exec_path, last_executed_step,
                           last_executed_comp_name, ticket, journey_name, started_ts, completed_ts)
SELECT 'workflow_process_info-' || case_id, case_id, ts, status = 'completed',
       CASE WHEN status = 'pended' THEN '.' ELSE '' END,
       CASE status WHEN 'completed' THEN 'ship' WHEN 'pended' THEN 'approve_' || right(basket, 2) ELSE 'check_stock' END,
       'comp', '', journey, ts - 3600000, CASE WHEN status = 'completed' THEN ts END
FROM g;

INSERT INTO exec_path (workflow_info_hibid, name, status, step, unit_response_type, pend_workbasket,
                       prev_pend_workbasket, comp_name)
SELECT 'workflow_process_info-' || case_id, '.',
       CASE WHEN status = 'running' THEN 'started' ELSE 'completed' END,
       CASE status WHEN 'completed' THEN 'ship' WHEN 'pended' THEN 'approve_' || right(basket, 2) ELSE 'check_stock' END,
       CASE status WHEN 'completed' THEN 'ok_proceed' WHEN 'pended' THEN 'ok_pend' END,
       CASE WHEN status = 'pended' THEN basket END,
       CASE WHEN status = 'pended' THEN basket END, 'comp'
FROM g
UNION ALL
SELECT 'workflow_process_info-' || case_id, '.fulfil.' || b || '.', 'completed', 'fulfil_join',
       'ok_proceed', NULL, NULL, 'join'
FROM g, (VALUES ('packing'), ('invoicing')) v(b)
WHERE parallel AND status = 'completed';
ANALYZE;
