DROP STATISTICS IF EXISTS wfctl_case_duration;
DROP INDEX IF EXISTS idx_milestone_failed;
DROP INDEX IF EXISTS idx_wf_info_running;
