DROP FUNCTION IF EXISTS wfctl_case_lock_key(text);
