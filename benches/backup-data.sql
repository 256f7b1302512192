-- Realistic workflow data for the backup benchmark (benches/backup.sh): one journey copy,
-- process info, exec paths, variables, a milestone, a counter and ~10 audit documents per
-- case. Values are drawn from word lists and random numbers so that compressors see the
-- entropy of real cases, not one repeated document. psql -v cases=N -f benches/backup-data.sql
\set ON_ERROR_STOP on
SET synchronous_commit = off;
-- Loaded without the GIN index, which is built once at the end (as a restore would).
DROP INDEX IF EXISTS idx_audit_log_data;

CREATE TEMP TABLE words AS
SELECT array['order','invoice','payment','refund','shipment','customer','address','verify',
  'approve','reject','escalate','review','manual','credit','check','fraud','score','limit',
  'account','transfer','pending','complete','retry','timeout','document','upload','scan',
  'signature','contract','renewal','claim','policy','premium','broker','agent','branch',
  'london','paris','berlin','madrid','rome','warsaw','vienna','prague','dublin','lisbon',
  'the','a','of','to','and','for','with','on','after','before','because','missing','late',
  'called','emailed','requested','received','updated','closed','opened','assigned','queue'] AS w,
  array['Anna','Ben','Carla','David','Elena','Farid','Greta','Hugo','Ines','Jonas','Karin',
  'Luca','Maja','Nils','Olga','Pavel','Quinn','Rosa','Sven','Tara','Umar','Vera','Wim','Xena',
  'Yusuf','Zoe'] AS first,
  array['Smith','Muller','Rossi','Garcia','Novak','Jensen','Dubois','Kowalski','Silva',
  'Ivanova','Nagy','Horvat','Berg','Costa','Meyer','Fischer','Weber','Lopez','Moreau',
  'Janssen'] AS last,
  array['order-intake','credit-check','claim-handling','kyc-review','refund-flow',
  'policy-renewal','dispute','onboarding'] AS journeys,
  array['start','validate','enrich','score','manual_review','approve','notify','archive',
  'fulfil','close'] AS steps,
  array['workflow_error','manual_review','fraud_team','back_office','customer_care'] AS baskets;

CREATE TEMP TABLE cases AS
SELECT g AS n,
       'C' || lpad(g::text, 9, '0') || '-' || substr(md5(g::text), 1, 6) AS case_id,
       (SELECT journeys[1 + (g % 8)] FROM words) AS journey,
       1700000000000 + (random() * 3e10)::bigint AS started,
       (random() < 0.7) AS complete
FROM generate_series(1, :cases) g;

-- A journey copy per case (the engine stores the journey it started with): a valid journey,
-- so that `case show`, `case history` and `db verify --restore-test` can read every case.
INSERT INTO workflow_definition (hibid, case_id, ts, def_name, def_version, flow_json, sla_json)
SELECT 'journey-' || c.case_id, c.case_id, c.started, c.journey, '1.' || (c.n % 4),
       (SELECT json_build_object('journey', json_build_object('name', c.journey,
          'tickets', (SELECT json_agg(json_build_object('name', 'ticket_' || t, 'step', 'close'))
                      FROM generate_series(0, 6) t),
          'flow', json_agg(json_build_object('name', s, 'type', 'task',
             'component', s || '_' || (c.n % 3),
             'next', CASE WHEN i < 10 THEN w.steps[i + 1] ELSE 'end' END,
             'user_data', w.w[1 + ((c.n * i) % 68)] || ' ' || w.w[1 + ((c.n + i) % 68)])))) ::text
        FROM unnest(w.steps) WITH ORDINALITY AS u(s, i)),
       json_build_object('milestones', json_build_array(json_build_object('name', 'sla-' || c.journey,
          'setup_on', 'case_start', 'type', 'case_level', 'applied_at_age', (c.n % 48) || 'h')))::text
FROM cases c, words w;

INSERT INTO workflow_info (hibid, case_id, ts, is_complete, pend_exec_path, last_executed_step,
    last_executed_comp_name, ticket, journey_name, started_ts, completed_ts, version)
SELECT 'workflow_process_info-' || c.case_id, c.case_id, c.started + (random() * 8.64e7)::bigint,
       c.complete, CASE WHEN c.complete THEN NULL ELSE '.' END,
       w.steps[1 + (c.n % 10)], w.steps[1 + (c.n % 10)] || '_' || (c.n % 3),
       CASE WHEN random() < 0.1 THEN 'ticket_' || (c.n % 7) END, c.journey, c.started,
       CASE WHEN c.complete THEN c.started + (random() * 1e9)::bigint END, 10
FROM cases c, words w;

INSERT INTO exec_path (workflow_info_hibid, name, status, step, unit_response_type,
    pend_workbasket, prev_pend_workbasket, error_code, error_desc, comp_name, error_details)
SELECT 'workflow_process_info-' || c.case_id, CASE WHEN p = 1 THEN '.' ELSE '.route_' || p || '.' END,
       CASE WHEN c.complete THEN 'completed' ELSE 'started' END, w.steps[1 + ((c.n + p) % 10)],
       CASE WHEN c.complete THEN 'ok_proceed' WHEN random() < 0.2 THEN 'error_pend' ELSE 'ok_pend' END,
       CASE WHEN c.complete THEN NULL ELSE w.baskets[1 + ((c.n + p) % 5)] END,
       w.baskets[1 + ((c.n * p) % 5)],
       CASE WHEN random() < 0.05 THEN (random() * 900)::int END,
       CASE WHEN random() < 0.05 THEN 'upstream ' || w.w[1 + (c.n % 68)] || ' ' || w.w[1 + ((c.n * 7) % 68)] || ' failed' END,
       w.steps[1 + ((c.n + p) % 10)] || '_svc',
       CASE WHEN random() < 0.05 THEN 'HTTP 503 from ' || w.w[1 + (c.n % 68)] || '-service after ' || (random() * 30)::int || ' s' END
FROM cases c, words w, generate_series(1, 1 + (random() * 2)::int) p;

INSERT INTO workflow_variables (workflow_info_hibid)
SELECT 'workflow_process_info-' || case_id FROM cases;

INSERT INTO process_variable_value (workflow_variables_id, name, type, value_string, value_long,
    value_boolean, value_double)
SELECT v.id, x.name, x.type, x.s, x.l, x.b, x.d
FROM workflow_variables v JOIN cases c ON v.workflow_info_hibid = 'workflow_process_info-' || c.case_id,
     words w,
LATERAL (VALUES
  ('customer_name', 'string', w.first[1 + (random() * 25)::int] || ' ' || w.last[1 + (random() * 19)::int], NULL::bigint, NULL::boolean, NULL::float8),
  ('amount_cents', 'long', NULL, (random() * 2500000)::bigint, NULL, NULL),
  ('customer_id', 'long', NULL, (random() * 1e9)::bigint, NULL, NULL),
  ('approved', 'boolean', NULL, NULL, random() < 0.5, NULL),
  ('channel', 'string', (array['web','branch','phone','partner'])[1 + (random() * 3)::int], NULL, NULL, NULL)
) AS x(name, type, s, l, b, d);

INSERT INTO milestone (case_id, name, target_ts, status, sla_minutes, work_basket_name, setup_on,
    milestone_type, action, details)
SELECT c.case_id, 'sla-' || c.journey, c.started + 172800000,
       CASE WHEN c.complete THEN 'dequeued' ELSE 'enqueued' END, 2880,
       w.baskets[1 + (c.n % 5)], 'case_start', 'case_level', 'change_work_basket',
       jsonb_build_object('name', 'sla-' || c.journey, 'setup_on', 'case_start', 'type', 'case_level',
          'applied_at_age', '48h', 'clock_starts', 'immediately')
FROM cases c, words w;

INSERT INTO workflow_counters (name, value)
SELECT 'workflow_audit_log_counter-' || case_id, 10 FROM cases;

-- The process-info document after each of 10 units: what audit_log.log_data holds.
INSERT INTO audit_log (case_id, sequence, step_name, ts, log_data)
SELECT c.case_id, s, w.steps[s], c.started + s * (random() * 6e6)::bigint,
  jsonb_build_object('process_info', jsonb_build_object(
    'case_id', c.case_id, 'journey', c.journey, 'is_complete', s = 10 AND c.complete,
    'last_executed_step', w.steps[s], 'last_executed_comp_name', w.steps[s] || '_' || (c.n % 3),
    'pend_exec_path', CASE WHEN s < 10 OR NOT c.complete THEN '.' ELSE '' END,
    'ts', c.started + s * 600000,
    'ticket', CASE WHEN random() < 0.1 THEN 'ticket_' || (c.n % 7) ELSE '' END,
    'exec_paths', jsonb_build_array(jsonb_build_object('name', '.', 'status', 'started',
       'step', w.steps[s], 'unit_response_type', (array['ok_proceed','ok_pend','ok_pend_eor','error_pend'])[1 + (random() * 3)::int],
       'pend_workbasket', w.baskets[1 + ((c.n + s) % 5)], 'prev_pend_workbasket', w.baskets[1 + ((c.n * s) % 5)],
       'pend_error', jsonb_build_object('code', (random() * 999)::int, 'message',
          w.w[1 + (random() * 67)::int] || ' ' || w.w[1 + (random() * 67)::int] || ' ' || w.w[1 + (random() * 67)::int],
          'details', CASE WHEN random() < 0.3 THEN 'request ' || gen_random_uuid() || ' ' || w.w[1 + (random() * 67)::int] || ' after ' || (random() * 3000)::int || ' ms' ELSE '' END),
       'tbc_sla_workbasket', ''))),
  'process_variables', jsonb_build_array(
       jsonb_build_object('name', 'customer_name', 'type', 'string', 'value', w.first[1 + (random() * 25)::int] || ' ' || w.last[1 + (random() * 19)::int]),
       jsonb_build_object('name', 'amount_cents', 'type', 'long', 'value', (random() * 2500000)::bigint::text),
       jsonb_build_object('name', 'customer_id', 'type', 'long', 'value', (random() * 1e9)::bigint::text),
       jsonb_build_object('name', 'request_id', 'type', 'string', 'value', gen_random_uuid()::text),
       jsonb_build_object('name', 'iban', 'type', 'string', 'value', 'DE' || lpad((random() * 1e9)::bigint::text, 10, '0') || lpad((random() * 1e9)::bigint::text, 10, '0')),
       jsonb_build_object('name', 'note', 'type', 'string', 'value',
          w.w[1 + (random() * 67)::int] || ' ' || w.w[1 + (random() * 67)::int] || ' ' || w.w[1 + (random() * 67)::int] || ' ' ||
          w.w[1 + (random() * 67)::int] || ' ' || w.w[1 + (random() * 67)::int] || ' ' || w.w[1 + (random() * 67)::int] || ' ' ||
          w.w[1 + (random() * 67)::int] || ' ' || w.w[1 + (random() * 67)::int])),
  'user', w.first[1 + (random() * 25)::int] || '.' || lower(w.last[1 + (random() * 19)::int]),
  'host', 'app-' || (random() * 8)::int || '.prod.internal',
  'duration_ms', (random() * 5000)::int)
FROM cases c, words w, generate_series(1, 10) s;

CREATE INDEX idx_audit_log_data ON audit_log USING GIN (log_data);
ANALYZE;
