DROP TABLE IF EXISTS wfctl_import_ledger;

DROP INDEX IF EXISTS idx_wf_info_active;
DROP INDEX IF EXISTS idx_exec_path_workbasket;
DROP INDEX IF EXISTS idx_wf_info_ts_incomplete;

ALTER TABLE milestone
    DROP COLUMN details,
    DROP COLUMN user_data,
    DROP COLUMN action,
    DROP COLUMN milestone_type,
    DROP COLUMN setup_on,
    DROP COLUMN work_basket_name;

ALTER TABLE route DROP COLUMN user_data;
ALTER TABLE step DROP COLUMN user_data;

ALTER TABLE process_variable_value
    DROP CONSTRAINT process_variable_value_vars_name_key,
    DROP COLUMN value_json;
ALTER TABLE workflow_variables DROP CONSTRAINT workflow_variables_info_key;

ALTER TABLE exec_path
    DROP CONSTRAINT exec_path_case_name_key,
    DROP COLUMN tbc_sla_workbasket,
    DROP COLUMN error_retryable,
    DROP COLUMN error_details,
    DROP COLUMN ticket,
    DROP COLUMN comp_name;

ALTER TABLE workflow_info
    DROP COLUMN version,
    DROP COLUMN completed_ts,
    DROP COLUMN started_ts,
    DROP COLUMN last_pend_step,
    DROP COLUMN last_pend_workbasket,
    DROP COLUMN is_pend_at_same_step,
    DROP COLUMN ticket_urt,
    DROP COLUMN journey_name;

ALTER TABLE workflow_definition DROP COLUMN sla_json;
