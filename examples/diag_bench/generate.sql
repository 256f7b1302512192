-- 1,000,000 workflow cases with a realistic shape, generated in the server (no client round
-- trips). Fixed seed: the same data every run. :cases is replaced by the benchmark.
--   states: 70% completed, 24.9% pended, 5% running (written in the last minute), 0.1% crashed
--   (running, idle for hours, no case lock); 0.5% of pended cases in the error basket
--   journeys: 12, skewed; work baskets: 20, skewed (a few busy, a long tail)
--   exec paths: 1 per case, 3 for the 30% that ran a parallel route
--   audit rows: 1-5 per case (avg 3), ~150-byte JSON documents with per-case values
--   SLA milestones: one per pended case (5% overdue), fired/dequeued ones for 30% of completed
--   variables: 30% of cases have 2 values; a few orphan audit rows (a purge that missed them)
SET maintenance_work_mem = '256MB';
SELECT setseed(0.42);

CREATE TEMP TABLE bench_case AS
SELECT n,
       'CASE-' || lpad(n::text, 8, '0') || '-' || substr(md5(n::text), 1, 6) AS case_id,
       (ARRAY['order', 'refund', 'kyc', 'claim', 'onboarding', 'dispute', 'payment', 'shipment',
              'return', 'loan', 'renewal', 'audit'])[1 + floor(pow(random(), 1.8) * 12)::int] AS journey,
       random() AS r_state,
       random() AS r_parallel,
       1 + floor(random() * 5)::int AS audit_rows,
       (extract(epoch FROM now()) * 1000)::bigint - floor(random() * 90 * 86400000)::bigint AS started_ts,
       floor(exp(random() * 13.5))::bigint AS took_ms,
       'basket_' || lpad((1 + floor(pow(random(), 2.5) * 20))::int::text, 2, '0') AS basket,
       random() AS r_misc
FROM generate_series(1, :cases) n;

ALTER TABLE bench_case ADD COLUMN state text;
UPDATE bench_case SET state = CASE WHEN r_state < 0.70 THEN 'completed'
                                   WHEN r_state < 0.949 THEN 'pended'
                                   WHEN r_state < 0.999 THEN 'running'
                                   ELSE 'crashed' END;
UPDATE bench_case SET basket = 'workflow_error' WHERE state = 'pended' AND r_misc < 0.005;

INSERT INTO workflow_definition (hibid, case_id, ts, def_name, def_version, flow_json)
SELECT 'journey-' || case_id, case_id, started_ts, journey, '1.' || (n % 4),
       format('{"journey":{"name":"%s","flow":[{"name":"start","component":"%s_intake","next":"route_1"},'
              '{"name":"route_1","type":"p_route","branches":["a","b"]},{"name":"review","component":"pend",'
              '"user_data":"%s"}],"sig":"%s%s"}}', journey, journey, basket, md5(case_id), md5(journey || n))
FROM bench_case;

INSERT INTO workflow_info (hibid, case_id, ts, is_complete, pend_exec_path, last_executed_step,
                           last_executed_comp_name, journey_name, started_ts, completed_ts, version)
SELECT 'workflow_process_info-' || case_id, case_id,
       CASE state WHEN 'completed' THEN started_ts + took_ms
                  WHEN 'pended' THEN started_ts + took_ms / 10
                  WHEN 'running' THEN (extract(epoch FROM now()) * 1000)::bigint - floor(r_misc * 60000)::bigint
                  ELSE (extract(epoch FROM now()) * 1000)::bigint - 3600000 - floor(r_misc * 86400000)::bigint END,
       state = 'completed',
       CASE WHEN state = 'pended' THEN '.' ELSE '' END,
       'step_' || (1 + n % 7), journey || '_step_' || (1 + n % 7), journey, started_ts,
       CASE WHEN state = 'completed' THEN started_ts + took_ms END,
       audit_rows
FROM bench_case;

INSERT INTO exec_path (workflow_info_hibid, name, status, step, unit_response_type, pend_workbasket,
                       prev_pend_workbasket, error_code, error_desc, comp_name)
SELECT 'workflow_process_info-' || case_id, '.',
       CASE WHEN state = 'completed' THEN 'completed' ELSE 'started' END,
       'step_' || (1 + n % 7),
       CASE WHEN state = 'pended' AND basket = 'workflow_error' THEN 'error_pend'
            WHEN state = 'pended' THEN 'ok_pend' END,
       CASE WHEN state = 'pended' THEN basket END,
       CASE WHEN r_misc < 0.2 THEN 'basket_' || lpad((1 + n % 20)::text, 2, '0') END,
       CASE WHEN basket = 'workflow_error' AND state = 'pended' THEN 500 + n % 4 END,
       CASE WHEN basket = 'workflow_error' AND state = 'pended' THEN 'component ' || journey || '_intake exited with 1' END,
       journey || '_intake'
FROM bench_case;
INSERT INTO exec_path (workflow_info_hibid, name, status, step, unit_response_type, comp_name)
SELECT 'workflow_process_info-' || case_id, '.route_1.' || b || '.', 'completed', 'step_' || b, 'ok_proceed', journey || '_' || b
FROM bench_case, (VALUES ('a'), ('b')) branches(b)
WHERE r_parallel < 0.3;

DROP INDEX IF EXISTS idx_audit_log_data;
INSERT INTO audit_log (case_id, sequence, step_name, ts, log_data)
SELECT case_id, s, 'step_' || s, started_ts + s * 1000,
       jsonb_build_object('case_id', case_id, 'journey', journey, 'step', 'step_' || s, 'seq', s,
                          'vars', jsonb_build_object('amount', round((random() * 10000)::numeric, 2),
                                                     'customer', substr(md5(case_id || s), 1, 12)))
FROM bench_case, generate_series(1, audit_rows) s;
INSERT INTO audit_log (case_id, sequence, step_name, ts, log_data)
SELECT 'PURGED-' || n, 1, 'step_1', 0, '{}' FROM generate_series(1, 50) n;
CREATE INDEX idx_audit_log_data ON audit_log USING GIN (log_data);

INSERT INTO workflow_counters (name, value)
SELECT 'workflow_audit_log_counter-' || case_id, audit_rows FROM bench_case;

INSERT INTO milestone (case_id, name, target_ts, status, sla_minutes, work_basket_name, setup_on, milestone_type, action)
SELECT case_id, basket || '_sla',
       (extract(epoch FROM now()) * 1000)::bigint + floor((random() * 6 - 0.3) * 86400000)::bigint,
       'enqueued', 1440, basket, 'work_basket_entry', 'work_basket', 'escalate'
FROM bench_case WHERE state = 'pended';
INSERT INTO milestone (case_id, name, target_ts, actual_ts, status, sla_minutes, work_basket_name, setup_on, milestone_type, action)
SELECT case_id, 'case_sla', started_ts + 86400000, started_ts + took_ms,
       CASE WHEN r_misc < 0.5 THEN 'fired' ELSE 'dequeued' END, 1440, NULL, 'case_start', 'case_level', 'notify'
FROM bench_case WHERE state = 'completed' AND r_parallel > 0.7;

INSERT INTO workflow_variables (workflow_info_hibid)
SELECT 'workflow_process_info-' || case_id FROM bench_case WHERE r_misc > 0.7;
INSERT INTO process_variable_value (workflow_variables_id, name, type, value_string, value_long)
SELECT v.id, x.name, x.type, CASE WHEN x.type = 'string' THEN substr(md5(v.workflow_info_hibid), 1, 10) END,
       CASE WHEN x.type = 'long' THEN v.id % 100000 END
FROM workflow_variables v, (VALUES ('customer', 'string'), ('amount', 'long')) x(name, type);

DROP TABLE bench_case;
