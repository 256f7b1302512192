DROP TABLE wfctl_bulk_run;
