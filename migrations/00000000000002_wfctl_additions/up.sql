-- What wfctl needs beyond the seed guide's DDL.

-- The journey's SLA definition, stored with the journey it belongs to.
ALTER TABLE workflow_definition ADD COLUMN sla_json TEXT;

-- Case state the process-info document carries that the guide's table does not.
ALTER TABLE workflow_info
    ADD COLUMN journey_name VARCHAR(255),
    ADD COLUMN ticket_urt VARCHAR(50),
    ADD COLUMN is_pend_at_same_step BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN last_pend_workbasket VARCHAR(255),
    ADD COLUMN last_pend_step VARCHAR(255),
    ADD COLUMN started_ts BIGINT,
    ADD COLUMN completed_ts BIGINT,
    ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- Exec path details: component, ticket, the full pend error, the SLA basket to be changed.
ALTER TABLE exec_path
    ADD COLUMN comp_name VARCHAR(255),
    ADD COLUMN ticket VARCHAR(255),
    ADD COLUMN error_details TEXT,
    ADD COLUMN error_retryable BOOLEAN,
    ADD COLUMN tbc_sla_workbasket VARCHAR(255),
    ADD CONSTRAINT exec_path_case_name_key UNIQUE (workflow_info_hibid, name);

-- One variables row per case; variables are upserted by name; object/list values as JSON.
ALTER TABLE workflow_variables
    ADD CONSTRAINT workflow_variables_info_key UNIQUE (workflow_info_hibid);
ALTER TABLE process_variable_value
    ADD COLUMN value_json JSONB,
    ADD CONSTRAINT process_variable_value_vars_name_key UNIQUE (workflow_variables_id, name);

-- Units of the case's journey carry their user data (manual-step work baskets, route variables).
ALTER TABLE step ADD COLUMN user_data TEXT;
ALTER TABLE route ADD COLUMN user_data TEXT;

-- Milestone details: what the SLA queue needs to act on a due milestone.
ALTER TABLE milestone
    ADD COLUMN work_basket_name VARCHAR(255),
    ADD COLUMN setup_on VARCHAR(50),
    ADD COLUMN milestone_type VARCHAR(50),
    ADD COLUMN action TEXT,
    ADD COLUMN user_data TEXT,
    ADD COLUMN details JSONB;

-- The seed guide's three recommended indexes ("Index Optimization"). IF NOT EXISTS: a database
-- built by hand from the guide may already have them (db migrate --adopt).
CREATE INDEX IF NOT EXISTS idx_wf_info_ts_incomplete
    ON workflow_info(ts) WHERE is_complete = FALSE;
CREATE INDEX IF NOT EXISTS idx_exec_path_workbasket
    ON exec_path(pend_workbasket) WHERE pend_workbasket IS NOT NULL;
CREATE INDEX IF NOT EXISTS idx_wf_info_active
    ON workflow_info(case_id, ts) WHERE is_complete = FALSE;

-- migrate-files' ledger: one row per source file, so a re-run skips what is already imported.
CREATE TABLE wfctl_import_ledger (
    path TEXT PRIMARY KEY,
    size BIGINT NOT NULL,
    sha256 CHAR(64) NOT NULL,
    status VARCHAR(20) NOT NULL,
    case_id VARCHAR(255),
    error_class VARCHAR(50),
    error TEXT,
    imported_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
