-- The server's RAM and CPUs, and its cgroup limits (v2, then v1). A missing file is NULL.
SELECT /* wfctl:diag_settings_machine */ pg_read_file('/proc/meminfo', 0, 1048576, true) AS meminfo,
       pg_read_file('/proc/cpuinfo', 0, 16777216, true) AS cpuinfo,
       pg_read_file('/sys/fs/cgroup/memory.max', 0, 1024, true) AS memory_max_v2,
       pg_read_file('/sys/fs/cgroup/memory/memory.limit_in_bytes', 0, 1024, true) AS memory_max_v1,
       pg_read_file('/sys/fs/cgroup/cpu.max', 0, 1024, true) AS cpu_max_v2,
       pg_read_file('/sys/fs/cgroup/cpu/cpu.cfs_quota_us', 0, 1024, true) AS cpu_quota_v1,
       pg_read_file('/sys/fs/cgroup/cpu/cpu.cfs_period_us', 0, 1024, true) AS cpu_period_v1
