-- A cancelled case never runs again. wfctl's own columns, so the guide's columns keep their
-- meaning (a cancelled case still reads as pended or running to other tools); NULL = not
-- cancelled. Written with the cancel's audit record and milestone dequeue in one statement.
ALTER TABLE workflow_info ADD COLUMN wfctl_cancelled_ts BIGINT;
ALTER TABLE workflow_info ADD COLUMN wfctl_cancelled_by TEXT;
ALTER TABLE workflow_info ADD COLUMN wfctl_cancel_reason TEXT;

-- `case list --status cancelled` and bulk selections skip them.
CREATE INDEX idx_wf_info_cancelled ON workflow_info(case_id) WHERE wfctl_cancelled_ts IS NOT NULL;
