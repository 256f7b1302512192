-- The seed guide's "Manual Schema Creation (Production)" DDL, verbatim.
-- wfctl's additions come in later migrations so that `db migrate --adopt` can
-- recognise a database created by hand from the guide.

-- workflow_definition table
CREATE TABLE workflow_definition (
    hibid VARCHAR(255) PRIMARY KEY,
    case_id VARCHAR(255) NOT NULL,
    ts BIGINT,
    def_name VARCHAR(255),
    def_version VARCHAR(50),
    flow_json TEXT
);

CREATE INDEX idx_wf_def_case_id ON workflow_definition(case_id);

-- workflow_info table
CREATE TABLE workflow_info (
    hibid VARCHAR(255) PRIMARY KEY,
    case_id VARCHAR(255) NOT NULL UNIQUE,
    ts BIGINT,
    is_complete BOOLEAN DEFAULT FALSE,
    pend_exec_path VARCHAR(500),
    last_executed_step VARCHAR(255),
    last_executed_comp_name VARCHAR(255),
    ticket VARCHAR(255)
);

CREATE INDEX idx_wf_info_case_id ON workflow_info(case_id);
CREATE INDEX idx_wf_info_complete ON workflow_info(is_complete);
CREATE INDEX idx_wf_info_ts ON workflow_info(ts);

-- exec_path table
CREATE TABLE exec_path (
    id BIGSERIAL PRIMARY KEY,
    workflow_info_hibid VARCHAR(255) REFERENCES workflow_info(hibid),
    name VARCHAR(500) NOT NULL,
    status VARCHAR(50),
    step VARCHAR(255),
    unit_response_type VARCHAR(50),
    pend_workbasket VARCHAR(255),
    prev_pend_workbasket VARCHAR(255),
    error_code INTEGER,
    error_desc TEXT
);

CREATE INDEX idx_exec_path_wf_info ON exec_path(workflow_info_hibid);
CREATE INDEX idx_exec_path_status ON exec_path(status);

-- process_variable_value table
CREATE TABLE process_variable_value (
    id BIGSERIAL PRIMARY KEY,
    workflow_variables_id BIGINT,
    name VARCHAR(255) NOT NULL,
    type VARCHAR(50),
    value_string TEXT,
    value_long BIGINT,
    value_boolean BOOLEAN,
    value_double DOUBLE PRECISION
);

CREATE INDEX idx_pv_wf_vars ON process_variable_value(workflow_variables_id);
CREATE INDEX idx_pv_name ON process_variable_value(name);

-- workflow_variables table
CREATE TABLE workflow_variables (
    id BIGSERIAL PRIMARY KEY,
    workflow_info_hibid VARCHAR(255) REFERENCES workflow_info(hibid)
);

-- step table
CREATE TABLE step (
    id BIGSERIAL PRIMARY KEY,
    workflow_definition_hibid VARCHAR(255) REFERENCES workflow_definition(hibid),
    name VARCHAR(255) NOT NULL,
    type VARCHAR(50),
    next_step VARCHAR(255),
    component_name VARCHAR(255)
);

-- route table
CREATE TABLE route (
    id BIGSERIAL PRIMARY KEY,
    workflow_definition_hibid VARCHAR(255) REFERENCES workflow_definition(hibid),
    name VARCHAR(255) NOT NULL,
    type VARCHAR(50),
    component_name VARCHAR(255),
    join_name VARCHAR(255)
);

-- route_branch table
CREATE TABLE route_branch (
    id BIGSERIAL PRIMARY KEY,
    route_id BIGINT REFERENCES route(id),
    name VARCHAR(255) NOT NULL,
    next_step VARCHAR(255)
);

-- milestone table (SLA)
CREATE TABLE milestone (
    id BIGSERIAL PRIMARY KEY,
    case_id VARCHAR(255),
    name VARCHAR(255) NOT NULL,
    target_ts BIGINT,
    actual_ts BIGINT,
    status VARCHAR(50),
    sla_minutes INTEGER
);

CREATE INDEX idx_milestone_case_id ON milestone(case_id);
CREATE INDEX idx_milestone_status ON milestone(status);

-- counters table
CREATE TABLE workflow_counters (
    name VARCHAR(100) PRIMARY KEY,
    value BIGINT NOT NULL DEFAULT 0
);

-- audit log can be stored separately or in JSON format
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    case_id VARCHAR(255) NOT NULL,
    sequence INTEGER NOT NULL,
    step_name VARCHAR(255),
    ts BIGINT,
    log_data JSONB,
    UNIQUE(case_id, sequence, step_name)
);

CREATE INDEX idx_audit_case_id ON audit_log(case_id);
CREATE INDEX idx_audit_log_data ON audit_log USING GIN (log_data);
