DROP INDEX IF EXISTS idx_wf_info_cancelled;
ALTER TABLE workflow_info DROP COLUMN wfctl_cancel_reason;
ALTER TABLE workflow_info DROP COLUMN wfctl_cancelled_by;
ALTER TABLE workflow_info DROP COLUMN wfctl_cancelled_ts;
