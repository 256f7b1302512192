ALTER TABLE workflow_info
    DROP COLUMN IF EXISTS wfctl_attempt_key,
    DROP COLUMN IF EXISTS wfctl_attempt;
