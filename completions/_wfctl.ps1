
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'wfctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'wfctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'wfctl' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'SLA milestones that are due')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the effective configuration: every setting, its value and where it came from')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Set up, migrate, back up and restore the PostgreSQL database')
            [CompletionResult]::new('wal', 'wal', [CompletionResultType]::ParameterValue, 'Archive WAL into the repository and fetch it back (archive_command, restore_command)')
            [CompletionResult]::new('migrate-files', 'migrate-files', [CompletionResultType]::ParameterValue, 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Keys of sensitive variables: generate one')
            [CompletionResult]::new('diag', 'diag', [CompletionResultType]::ParameterValue, 'Diagnose the database and the cases: health, indexes, slow queries, locks, vacuum, stuck cases, plans; `diag all --check` for monitoring')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Prometheus metrics of the cases (text format on stdout, or served with --listen)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('journey', 'journey', [CompletionResultType]::ParameterValue, 'Check journey files and show their units')
            [CompletionResult]::new('repo', 'repo', [CompletionResultType]::ParameterValue, 'The backup repository''s objects: list, fetch, store and remove (S3, encrypted as configured)')
            [CompletionResult]::new('case', 'case', [CompletionResultType]::ParameterValue, 'Start, resume, reopen, move, inspect and list cases')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;sla' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('due', 'due', [CompletionResultType]::ParameterValue, 'Milestones due at or before a time (default now), oldest first')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Act on due milestones: once, or every --every until SIGTERM')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;sla;due' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'The time to compare with: RFC 3339 (2030-01-31T12:00:00Z), or an offset from now (+2h, -30m); default now')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only milestones of this work basket')
            [CompletionResult]::new('--fired-within', '--fired-within', [CompletionResultType]::ParameterName, 'Also list the milestones `sla run` fired this long before the time (default 1d)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;sla;run' {
            [CompletionResult]::new('--every', '--every', [CompletionResultType]::ParameterName, 'Run a pass every DURATION (e.g. 1m) until SIGTERM; without it, one pass')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Act on at most N milestones per pass')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List the due milestones and what would run, and report actions nothing can carry out')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;sla;help' {
            [CompletionResult]::new('due', 'due', [CompletionResultType]::ParameterValue, 'Milestones due at or before a time (default now), oldest first')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Act on due milestones: once, or every --every until SIGTERM')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;sla;help;due' {
            break
        }
        'wfctl;sla;help;run' {
            break
        }
        'wfctl;sla;help;help' {
            break
        }
        'wfctl;config' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print every effective setting with its value and where it came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;config;show' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;config;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print every effective setting with its value and where it came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;config;help;show' {
            break
        }
        'wfctl;config;help;help' {
            break
        }
        'wfctl;db' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply pending schema migrations')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which migrations are applied and which are pending')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention')
            [CompletionResult]::new('backups', 'backups', [CompletionResultType]::ParameterValue, 'List the backups in a directory: age, size, verified or not')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a backup into a database, all or nothing')
            [CompletionResult]::new('basebackup', 'basebackup', [CompletionResultType]::ParameterValue, 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup')
            [CompletionResult]::new('restore-pitr', 'restore-pitr', [CompletionResultType]::ParameterValue, 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;db;setup' {
            [CompletionResult]::new('--admin-url', '--admin-url', [CompletionResultType]::ParameterName, 'A superuser (or CREATEDB + CREATEROLE) URL to the server''s maintenance database')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database to create')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login role the application (and wfctl) uses')
            [CompletionResult]::new('--readonly-user', '--readonly-user', [CompletionResultType]::ParameterName, 'Read-only role for reporting and diagnostics')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--no-readonly', '--no-readonly', [CompletionResultType]::ParameterName, 'Do not create a read-only role')
            [CompletionResult]::new('--grant-monitor', '--grant-monitor', [CompletionResultType]::ParameterName, 'Also grant pg_monitor to the read-only role, so `wfctl diag` sees every session')
            [CompletionResult]::new('--print-sql', '--print-sql', [CompletionResultType]::ParameterName, 'Print the statements instead of running them (passwords as SCRAM verifiers only)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;migrate' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List the pending migrations without applying them')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'Take over a database created by hand from the seed guide: check that its tables match, record the guide''s schema as applied, then apply the rest')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;status' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;backup' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Backup directory, created with mode 0700 if missing (default: `[backup] dir` of wfctl.toml, else /var/backups/postgresql)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'File format (default: `[backup] format`, else sql-gz)')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Compression level 0-9 (default: `[backup] level`, else 6: the size of gzip -6, in less time)')
            [CompletionResult]::new('--pg-bindir', '--pg-bindir', [CompletionResultType]::ParameterName, 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Delete this database''s backups older than this, after a successful backup: 7d, 2weeks; a bare number is days; whole days only (default: `[backup] keep_days`, else 7d)')
            [CompletionResult]::new('--keep-days', '--keep-days', [CompletionResultType]::ParameterName, 'Delete this database''s backups older than this, after a successful backup: 7d, 2weeks; a bare number is days; whole days only (default: `[backup] keep_days`, else 7d)')
            [CompletionResult]::new('--keep-min', '--keep-min', [CompletionResultType]::ParameterName, 'Never delete the newest this many good backups, however old (default: `[backup] keep_min`, else 3)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait this long for another backup in the directory to finish (default: exit 75 at once)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the preflight and show what retention would delete; write nothing (not even the directory or its lock file)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Store the backup in the repository ([repository] url, or WFCTL_REPOSITORY) as backups/NAME, encrypted when [repository] encrypt is set, instead of in a directory (--dir is not used); retention then applies to the repository''s backups')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;backups' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Backup directory (default: `[backup] dir` of wfctl.toml, else /var/backups/postgresql)')
            [CompletionResult]::new('--check-fresh', '--check-fresh', [CompletionResultType]::ParameterName, 'Exit 3 when the newest good backup is older than this (e.g. 26h), for monitoring')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'List the backups in the repository ([repository] url, or WFCTL_REPOSITORY) instead of a directory')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;verify' {
            [CompletionResult]::new('--pg-bindir', '--pg-bindir', [CompletionResultType]::ParameterName, 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--restore-test', '--restore-test', [CompletionResultType]::ParameterName, 'Also restore it into a throwaway database, compare row counts with the manifest and check its migrations, then drop it (needs CREATEDB)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'FILE is the name of a backup in the repository ([repository] url, or WFCTL_REPOSITORY; see db backups --repo): downloaded and decrypted first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;restore' {
            [CompletionResult]::new('--target-db', '--target-db', [CompletionResultType]::ParameterName, 'Database to restore into, on the server of --database-url')
            [CompletionResult]::new('--pg-bindir', '--pg-bindir', [CompletionResultType]::ParameterName, 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Create the target database (refused when it exists: leave --create out to restore into it)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace a non-empty target''s contents (its schemas are dropped inside the restore''s transaction: a failed restore drops nothing)')
            [CompletionResult]::new('--no-analyze', '--no-analyze', [CompletionResultType]::ParameterName, 'Skip ANALYZE after the restore (a dump carries no planner statistics)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'FILE is the name of a backup in the repository ([repository] url, or WFCTL_REPOSITORY; see db backups --repo): downloaded and decrypted first')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;basebackup' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory for base backups (one base_YYYYmmdd_HHMMSS directory each)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--max-rate', '--max-rate', [CompletionResultType]::ParameterName, 'Limit the transfer rate, e.g. 50M (pg_basebackup --max-rate)')
            [CompletionResult]::new('--pg-bindir', '--pg-bindir', [CompletionResultType]::ParameterName, 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)')
            [CompletionResult]::new('--keep-min', '--keep-min', [CompletionResultType]::ParameterName, 'Never delete the newest this many good base backups (at least 1)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Also keep every base backup younger than this: 7d, 2weeks; a bare number is days; whole days only (the same flag as `db backup --keep`)')
            [CompletionResult]::new('--keep-days', '--keep-days', [CompletionResultType]::ParameterName, 'Also keep every base backup younger than this: 7d, 2weeks; a bare number is days; whole days only (the same flag as `db backup --keep`)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait this long for another backup in the directory to finish (default: exit 75 at once)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--fast-checkpoint', '--fast-checkpoint', [CompletionResultType]::ParameterName, 'Start at once with a fast checkpoint (default: wait for a spread checkpoint, which spares the server but can take minutes)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Run the preflight and show what retention would delete; write nothing (not even the directory or its lock file)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;restore-pitr' {
            [CompletionResult]::new('--target-time', '--target-time', [CompletionResultType]::ParameterName, 'Restore to this moment: 2024-05-01T14:30:00Z, or as PostgreSQL prints it (2024-05-01 14:30:00.123+00); without a zone it is UTC')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'The new data directory (must not exist, or be empty)')
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Directory of base backups (as given to `db basebackup --dir`)')
            [CompletionResult]::new('--pg-bindir', '--pg-bindir', [CompletionResultType]::ParameterName, 'Directory of pg_dump, pg_restore, psql, pg_basebackup, pg_ctl (default: `[tools] bin_dir` of wfctl.toml, else the server''s major under /usr/lib/postgresql, then PATH)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --start: how long to wait for recovery')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--start', '--start', [CompletionResultType]::ParameterName, 'Also start the server and wait until recovery reached the target and promoted')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;db;help' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply pending schema migrations')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which migrations are applied and which are pending')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention')
            [CompletionResult]::new('backups', 'backups', [CompletionResultType]::ParameterValue, 'List the backups in a directory: age, size, verified or not')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a backup into a database, all or nothing')
            [CompletionResult]::new('basebackup', 'basebackup', [CompletionResultType]::ParameterValue, 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup')
            [CompletionResult]::new('restore-pitr', 'restore-pitr', [CompletionResultType]::ParameterValue, 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;db;help;setup' {
            break
        }
        'wfctl;db;help;migrate' {
            break
        }
        'wfctl;db;help;status' {
            break
        }
        'wfctl;db;help;backup' {
            break
        }
        'wfctl;db;help;backups' {
            break
        }
        'wfctl;db;help;verify' {
            break
        }
        'wfctl;db;help;restore' {
            break
        }
        'wfctl;db;help;basebackup' {
            break
        }
        'wfctl;db;help;restore-pitr' {
            break
        }
        'wfctl;db;help;help' {
            break
        }
        'wfctl;wal' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Archive one WAL file into the repository (archive_command = ''wfctl wal push %p''): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Fetch one WAL file from the repository (restore_command = ''wfctl wal fetch %f %p''): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;wal;push' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;wal;fetch' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;wal;help' {
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Archive one WAL file into the repository (archive_command = ''wfctl wal push %p''): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Fetch one WAL file from the repository (restore_command = ''wfctl wal fetch %f %p''): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;wal;help;push' {
            break
        }
        'wfctl;wal;help;fetch' {
            break
        }
        'wfctl;wal;help;help' {
            break
        }
        'wfctl;migrate-files' {
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Write rejected files to FILE as JSON lines (path, class, message, field)')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'Reload only the cases of the files listed in FILE (a --rejects report)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads reading and parsing files [default: number of cores]')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Cases per transaction')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Database connections loading batches in parallel')
            [CompletionResult]::new('--max-errors', '--max-errors', [CompletionResultType]::ParameterName, 'Stop after N rejected files')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Parse and validate everything, write nothing (needs no database)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After loading, read every imported case back and compare it with its source')
            [CompletionResult]::new('--no-update', '--no-update', [CompletionResultType]::ParameterName, 'Refuse (reject as `changed`) cases whose files changed since they were imported, instead of re-importing them')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace cases that exist in the database without having been imported, or that changed there since they were (rejected as `conflict` otherwise); never a case being run')
            [CompletionResult]::new('--follow-symlinks', '--follow-symlinks', [CompletionResultType]::ParameterName, 'Read symbolic links that point outside DIR (by default each is rejected as `outside_link`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;keys' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;keys;rotate' {
            [CompletionResult]::new('--new-key', '--new-key', [CompletionResultType]::ParameterName, 'The new key file (from wfctl keys generate)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;keys;generate' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;keys;help' {
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;keys;help;rotate' {
            break
        }
        'wfctl;keys;help;generate' {
            break
        }
        'wfctl;keys;help;help' {
            break
        }
        'wfctl;diag' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable')
            [CompletionResult]::new('indexes', 'indexes', [CompletionResultType]::ParameterValue, 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one')
            [CompletionResult]::new('slow-queries', 'slow-queries', [CompletionResultType]::ParameterValue, 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation')
            [CompletionResult]::new('locks', 'locks', [CompletionResultType]::ParameterValue, 'Who blocks whom, for how long, running what, and the case involved')
            [CompletionResult]::new('long-running', 'long-running', [CompletionResultType]::ParameterValue, 'Active statements and idle-in-transaction sessions older than a threshold')
            [CompletionResult]::new('sizes', 'sizes', [CompletionResultType]::ParameterValue, 'Database and table sizes')
            [CompletionResult]::new('bloat', 'bloat', [CompletionResultType]::ParameterValue, 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)')
            [CompletionResult]::new('vacuum', 'vacuum', [CompletionResultType]::ParameterValue, 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags')
            [CompletionResult]::new('cases', 'cases', [CompletionResultType]::ParameterValue, 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'EXPLAIN (ANALYZE, BUFFERS) of wfctl''s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)')
            [CompletionResult]::new('wal', 'wal', [CompletionResultType]::ParameterValue, 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure')
            [CompletionResult]::new('all', 'all', [CompletionResultType]::ParameterValue, 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;diag;health' {
            [CompletionResult]::new('--warn', '--warn', [CompletionResultType]::ParameterName, 'Warning level, e.g. `connections=80%` (see `diag all --help` for the keys)')
            [CompletionResult]::new('--crit', '--crit', [CompletionResultType]::ParameterName, 'Critical level')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;indexes' {
            [CompletionResult]::new('--min-stats-age', '--min-stats-age', [CompletionResultType]::ParameterName, 'Statistics younger than this cannot prove an index unused (a restored or reset database has no scans anywhere); `diag all` warns about unused indexes only past it')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every index with its scans, tuples read and fetched, and size (not only the problems)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;slow-queries' {
            [CompletionResult]::new('--order', '--order', [CompletionResultType]::ParameterName, 'Sort by total time (where the time goes), mean time per call, or calls')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many statements')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--reset', '--reset', [CompletionResultType]::ParameterName, 'Reset pg_stat_statements for this database (needs EXECUTE on pg_stat_statements_reset: a superuser by default) instead of listing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;locks' {
            [CompletionResult]::new('--terminate', '--terminate', [CompletionResultType]::ParameterName, 'Terminate this session (pg_terminate_backend) after showing it and asking; needs pg_signal_backend for other roles'' sessions')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask before terminating (for scripts)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask before terminating (for scripts)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;long-running' {
            [CompletionResult]::new('--min', '--min', [CompletionResultType]::ParameterName, 'Show statements running, and transactions idle, longer than this')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;sizes' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;bloat' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;vacuum' {
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--run', '--run', [CompletionResultType]::ParameterName, 'VACUUM the tables whose dead rows cross the dead_tuples warning level (20% of live, tables of 10,000+ rows), one statement each')
            [CompletionResult]::new('--analyze', '--analyze', [CompletionResultType]::ParameterName, 'With --run: VACUUM (ANALYZE), refreshing the planner''s statistics too')
            [CompletionResult]::new('--full', '--full', [CompletionResultType]::ParameterName, 'With --run: VACUUM (FULL, ANALYZE), which returns space to the system but locks each table (no reads, no writes) for the whole rewrite')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;cases' {
            [CompletionResult]::new('--error-basket', '--error-basket', [CompletionResultType]::ParameterName, 'The error work basket (default: [engine] error_workbasket, else workflow_error)')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'A running case not written for this long and not holding its case lock is stuck')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'How many cases to list per section')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;explain' {
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'The stuck-case scan''s parameter (cases idle longer than this)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'statement_timeout for each statement')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--plans', '--plans', [CompletionResultType]::ParameterName, 'Print each plan in full')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;doctor' {
            [CompletionResult]::new('--write-migration', '--write-migration', [CompletionResultType]::ParameterName, 'Write the missing recommended indexes as diesel migrations into DIR (e.g. ./migrations): CREATE INDEX CONCURRENTLY, one per migration run outside a transaction, under a lock_timeout')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'lock_timeout for the generated migrations')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;settings' {
            [CompletionResult]::new('--ram', '--ram', [CompletionResultType]::ParameterName, 'RAM PostgreSQL may use (e.g. 16GB); default: read from the server')
            [CompletionResult]::new('--storage', '--storage', [CompletionResultType]::ParameterName, 'The disks the data lives on')
            [CompletionResult]::new('--far-off', '--far-off', [CompletionResultType]::ParameterName, 'How many times away from the recommendation counts as far off')
            [CompletionResult]::new('--cores', '--cores', [CompletionResultType]::ParameterName, 'CPU cores of the server; default: read from the server')
            [CompletionResult]::new('--spindles', '--spindles', [CompletionResultType]::ParameterName, 'The guide''s effective_spindle_count for the pool formula (1 for an SSD)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 3 when something is far off (see below)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;wal' {
            [CompletionResult]::new('--max-archive-age', '--max-archive-age', [CompletionResultType]::ParameterName, 'How long a completed WAL segment may wait for the archive')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 3 when archiving is off, failing or behind (see below)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;all' {
            [CompletionResult]::new('--warn', '--warn', [CompletionResultType]::ParameterName, 'Warning level, e.g. `long_running=2m` (repeatable; keys below)')
            [CompletionResult]::new('--crit', '--crit', [CompletionResultType]::ParameterName, 'Critical level, e.g. `connections=98%` (repeatable)')
            [CompletionResult]::new('--skip', '--skip', [CompletionResultType]::ParameterName, 'Leave a check out (repeatable): health, long-running, locks, vacuum, indexes, slow-queries, bloat, sizes, cases, explain')
            [CompletionResult]::new('--include', '--include', [CompletionResultType]::ParameterName, 'Also run an opt-in check (repeatable): settings (server tuning against the guide), wal (WAL archiving for point-in-time recovery). Opt-in because an untuned or non-archiving server is a choice, not an incident')
            [CompletionResult]::new('--error-basket', '--error-basket', [CompletionResultType]::ParameterName, 'The error work basket (default: [engine] error_workbasket, else workflow_error)')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'A running case idle this long without its case lock is stuck')
            [CompletionResult]::new('--min-stats-age', '--min-stats-age', [CompletionResultType]::ParameterName, 'Index statistics younger than this do not make an unused index a warning')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--check', '--check', [CompletionResultType]::ParameterName, 'Exit 3 when any check that runs finds a warning or a critical problem (0 otherwise); the opt-in checks settings and wal run only with --include')
            [CompletionResult]::new('--nagios', '--nagios', [CompletionResultType]::ParameterName, 'Nagios plugin output: one status line with performance data; exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN (also when the database is unreachable)')
            [CompletionResult]::new('--analyze', '--analyze', [CompletionResultType]::ParameterName, 'The explain check runs wfctl''s statements (EXPLAIN ANALYZE, rolled back) instead of only planning them: real times and buffers, at the cost of running the heaviest statements')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;diag;help' {
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable')
            [CompletionResult]::new('indexes', 'indexes', [CompletionResultType]::ParameterValue, 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one')
            [CompletionResult]::new('slow-queries', 'slow-queries', [CompletionResultType]::ParameterValue, 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation')
            [CompletionResult]::new('locks', 'locks', [CompletionResultType]::ParameterValue, 'Who blocks whom, for how long, running what, and the case involved')
            [CompletionResult]::new('long-running', 'long-running', [CompletionResultType]::ParameterValue, 'Active statements and idle-in-transaction sessions older than a threshold')
            [CompletionResult]::new('sizes', 'sizes', [CompletionResultType]::ParameterValue, 'Database and table sizes')
            [CompletionResult]::new('bloat', 'bloat', [CompletionResultType]::ParameterValue, 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)')
            [CompletionResult]::new('vacuum', 'vacuum', [CompletionResultType]::ParameterValue, 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags')
            [CompletionResult]::new('cases', 'cases', [CompletionResultType]::ParameterValue, 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'EXPLAIN (ANALYZE, BUFFERS) of wfctl''s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)')
            [CompletionResult]::new('wal', 'wal', [CompletionResultType]::ParameterValue, 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure')
            [CompletionResult]::new('all', 'all', [CompletionResultType]::ParameterValue, 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;diag;help;health' {
            break
        }
        'wfctl;diag;help;indexes' {
            break
        }
        'wfctl;diag;help;slow-queries' {
            break
        }
        'wfctl;diag;help;locks' {
            break
        }
        'wfctl;diag;help;long-running' {
            break
        }
        'wfctl;diag;help;sizes' {
            break
        }
        'wfctl;diag;help;bloat' {
            break
        }
        'wfctl;diag;help;vacuum' {
            break
        }
        'wfctl;diag;help;cases' {
            break
        }
        'wfctl;diag;help;explain' {
            break
        }
        'wfctl;diag;help;doctor' {
            break
        }
        'wfctl;diag;help;settings' {
            break
        }
        'wfctl;diag;help;wal' {
            break
        }
        'wfctl;diag;help;all' {
            break
        }
        'wfctl;diag;help;help' {
            break
        }
        'wfctl;metrics' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Serve the metrics on http://ADDR/metrics instead of printing them once (e.g. 127.0.0.1:9187; every scrape reads the database)')
            [CompletionResult]::new('--error-basket', '--error-basket', [CompletionResultType]::ParameterName, 'The error work basket (default: [engine] error_workbasket, else workflow_error)')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--max-requests', '--max-requests', [CompletionResultType]::ParameterName, 'Stop after serving this many requests (for tests and one-off scrapes)')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'With --listen: the time a request has to arrive in full (default 10s)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;completions' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;journey' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check journey (and SLA) files; report every problem; exit 3 when any is found')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a journey''s units, types, components and next steps')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;journey;validate' {
            [CompletionResult]::new('--sla', '--sla', [CompletionResultType]::ParameterName, 'SLA files to check as well; repeatable')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;journey;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;journey;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check journey (and SLA) files; report every problem; exit 3 when any is found')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a journey''s units, types, components and next steps')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;journey;help;validate' {
            break
        }
        'wfctl;journey;help;show' {
            break
        }
        'wfctl;journey;help;help' {
            break
        }
        'wfctl;repo' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the complete objects under a prefix (an interrupted upload is never listed)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove an object (removing an absent one succeeds)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;repo;ls' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;repo;get' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE when it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;repo;put' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--replace', '--replace', [CompletionResultType]::ParameterName, 'Replace an existing object (refused otherwise)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;repo;rm' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;repo;keygen' {
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'The repository (default: [repository] url); credentials come from the AWS environment, never from the URL')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;repo;help' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the complete objects under a prefix (an interrupted upload is never listed)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove an object (removing an absent one succeeds)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;repo;help;ls' {
            break
        }
        'wfctl;repo;help;get' {
            break
        }
        'wfctl;repo;help;put' {
            break
        }
        'wfctl;repo;help;rm' {
            break
        }
        'wfctl;repo;help;keygen' {
            break
        }
        'wfctl;repo;help;help' {
            break
        }
        'wfctl;case' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a new case of a journey and run it until it pends or completes')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a pended case, or with --all every case pended in a work basket')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Reopen a completed case at the step of one of its journey''s tickets')
            [CompletionResult]::new('set-var', 'set-var', [CompletionResultType]::ParameterValue, 'Add or replace variables of a case without running it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a case: status, where it waits, variables, exec paths, milestones')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List cases, filtered, one page at a time (ordered by case id)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit log of a case: one row per recorded unit')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'The same as case history ID --follow')
            [CompletionResult]::new('change-workbasket', 'change-workbasket', [CompletionResultType]::ParameterValue, 'Move a pended case, or with --all every case of a work basket, to another work basket')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;case;start' {
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'The journey file (JSON)')
            [CompletionResult]::new('--sla', '--sla', [CompletionResultType]::ParameterName, 'The SLA file of the journey (JSON)')
            [CompletionResult]::new('--case-id', '--case-id', [CompletionResultType]::ParameterName, 'The new case''s id (default: a generated one, printed)')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable')
            [CompletionResult]::new('--vars-file', '--vars-file', [CompletionResultType]::ParameterName, 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;resume' {
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable')
            [CompletionResult]::new('--vars-file', '--vars-file', [CompletionResultType]::ParameterName, 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only cases with this status')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only cases pended in this work basket')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'Only cases of this journey (by name)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Only cases at this step (the pended step, or the last one run)')
            [CompletionResult]::new('--ids-file', '--ids-file', [CompletionResultType]::ParameterName, 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'Only incomplete cases not written for this long (e.g. 2h, 3days)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --all or --ids-file: at most this many cases (this worker)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest')
            [CompletionResult]::new('--sla-overdue', '--sla-overdue', [CompletionResultType]::ParameterName, 'Only cases with an SLA milestone past its due time')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --all or --ids-file: list the cases that would be taken, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;reopen' {
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'The ticket whose step the case continues at')
            [CompletionResult]::new('--pend-workbasket', '--pend-workbasket', [CompletionResultType]::ParameterName, 'Pend the reopened case in this work basket instead of running it at once; a later resume acts on the ticket')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable')
            [CompletionResult]::new('--vars-file', '--vars-file', [CompletionResultType]::ParameterName, 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only cases with this status')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only cases pended in this work basket')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'Only cases of this journey (by name)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Only cases at this step (the pended step, or the last one run)')
            [CompletionResult]::new('--ids-file', '--ids-file', [CompletionResultType]::ParameterName, 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'Only incomplete cases not written for this long (e.g. 2h, 3days)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --all or --ids-file: at most this many cases (this worker)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest')
            [CompletionResult]::new('--sla-overdue', '--sla-overdue', [CompletionResultType]::ParameterName, 'Only cases with an SLA milestone past its due time')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --all or --ids-file: list the cases that would be taken, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;set-var' {
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable')
            [CompletionResult]::new('--vars-file', '--vars-file', [CompletionResultType]::ParameterName, 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only cases with this status')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only cases pended in this work basket')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'Only cases of this journey (by name)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Only cases at this step (the pended step, or the last one run)')
            [CompletionResult]::new('--ids-file', '--ids-file', [CompletionResultType]::ParameterName, 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'Only incomplete cases not written for this long (e.g. 2h, 3days)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --all or --ids-file: at most this many cases (this worker)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest')
            [CompletionResult]::new('--sla-overdue', '--sla-overdue', [CompletionResultType]::ParameterName, 'Only cases with an SLA milestone past its due time')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --all or --ids-file: list the cases that would be taken, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;show' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Show sensitive variables in clear instead of *** (needs the key: WFCTL_KEY_FILE or [variables] key_file)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only cases with this status')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only cases pended in this work basket')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'Only cases of this journey (by name)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Only cases at this step (the pended step, or the last one run)')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Start after this case id (the `next_after` of the previous page)')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'Only incomplete cases not written for this long (e.g. 2h, 3days)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many cases (0: no limit)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--sla-overdue', '--sla-overdue', [CompletionResultType]::ParameterName, 'Only cases with an SLA milestone past its due time')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;history' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Print the records as they are written, until the case completes or Ctrl-C (also: case watch ID); with --json one JSON line per record')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Show sensitive variables in clear instead of *** (needs the key)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;cancel' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why it is cancelled (kept with the case and in its audit log)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only cases with this status')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only cases pended in this work basket')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'Only cases of this journey (by name)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Only cases at this step (the pended step, or the last one run)')
            [CompletionResult]::new('--ids-file', '--ids-file', [CompletionResultType]::ParameterName, 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'Only incomplete cases not written for this long (e.g. 2h, 3days)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --all or --ids-file: at most this many cases (this worker)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest')
            [CompletionResult]::new('--sla-overdue', '--sla-overdue', [CompletionResultType]::ParameterName, 'Only cases with an SLA milestone past its due time')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --all or --ids-file: list the cases that would be taken, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;wait' {
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'The state to wait for: completed, pended, pended:WORKBASKET, or changed (anything saved after the wait began)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (exit 3): seconds, or 30s, 10m, 2h')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;purge' {
            [CompletionResult]::new('--archive', '--archive', [CompletionResultType]::ParameterName, 'Write each case into this directory (a file store: migrate-files DIR brings cases back) and make it durable before the case is deleted')
            [CompletionResult]::new('--completed-before', '--completed-before', [CompletionResultType]::ParameterName, 'Purge the cases that completed (or were cancelled) longer ago than this: 90d, 12w, or a number of days; 0 takes every finished case')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many cases (1 or more)')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Cases per batch (1 to 100000): one archive sync and one transaction each')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--no-archive', '--no-archive', [CompletionResultType]::ParameterName, 'Delete the cases without keeping a copy (nothing brings them back)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Count the cases and bytes that would be purged; write and delete nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;watch' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--reveal', '--reveal', [CompletionResultType]::ParameterName, 'Show sensitive variables in clear instead of *** (needs the key: WFCTL_KEY_FILE or [variables] key_file)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;change-workbasket' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only cases with this status')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only cases pended in this work basket')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'Only cases of this journey (by name)')
            [CompletionResult]::new('--ids-file', '--ids-file', [CompletionResultType]::ParameterName, 'Act on the cases listed in this file, one id per line (- for stdin; blank lines and lines starting with # are skipped), e.g. from case list -q')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --all or --ids-file: at most this many cases (this worker)')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'Only incomplete cases not written for this long (e.g. 2h, 3days)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Only cases at this step (the pended step, or the last one run)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: the first that exists of ./wfctl.toml, $XDG_CONFIG_HOME/wfctl/wfctl.toml (~/.config/wfctl/wfctl.toml), /etc/wfctl/wfctl.toml)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every case the filters select (--status, --workbasket, --journey, --step, --stuck-for, --sla-overdue), by any number of workers at once; a run killed and started again with the same selection finishes the rest')
            [CompletionResult]::new('--sla-overdue', '--sla-overdue', [CompletionResultType]::ParameterName, 'Only cases with an SLA milestone past its due time')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --all or --ids-file: list the cases that would be taken, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors and data: an action or check prints nothing on success, a list its ids, `case start` the new case id')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'wfctl;case;help' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a new case of a journey and run it until it pends or completes')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a pended case, or with --all every case pended in a work basket')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Reopen a completed case at the step of one of its journey''s tickets')
            [CompletionResult]::new('set-var', 'set-var', [CompletionResultType]::ParameterValue, 'Add or replace variables of a case without running it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a case: status, where it waits, variables, exec paths, milestones')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List cases, filtered, one page at a time (ordered by case id)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit log of a case: one row per recorded unit')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'The same as case history ID --follow')
            [CompletionResult]::new('change-workbasket', 'change-workbasket', [CompletionResultType]::ParameterValue, 'Move a pended case, or with --all every case of a work basket, to another work basket')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;case;help;start' {
            break
        }
        'wfctl;case;help;resume' {
            break
        }
        'wfctl;case;help;reopen' {
            break
        }
        'wfctl;case;help;set-var' {
            break
        }
        'wfctl;case;help;show' {
            break
        }
        'wfctl;case;help;list' {
            break
        }
        'wfctl;case;help;history' {
            break
        }
        'wfctl;case;help;cancel' {
            break
        }
        'wfctl;case;help;wait' {
            break
        }
        'wfctl;case;help;purge' {
            break
        }
        'wfctl;case;help;watch' {
            break
        }
        'wfctl;case;help;change-workbasket' {
            break
        }
        'wfctl;case;help;help' {
            break
        }
        'wfctl;help' {
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'SLA milestones that are due')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'Show the effective configuration: every setting, its value and where it came from')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Set up, migrate, back up and restore the PostgreSQL database')
            [CompletionResult]::new('wal', 'wal', [CompletionResultType]::ParameterValue, 'Archive WAL into the repository and fetch it back (archive_command, restore_command)')
            [CompletionResult]::new('migrate-files', 'migrate-files', [CompletionResultType]::ParameterValue, 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons')
            [CompletionResult]::new('keys', 'keys', [CompletionResultType]::ParameterValue, 'Keys of sensitive variables: generate one')
            [CompletionResult]::new('diag', 'diag', [CompletionResultType]::ParameterValue, 'Diagnose the database and the cases: health, indexes, slow queries, locks, vacuum, stuck cases, plans; `diag all --check` for monitoring')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Prometheus metrics of the cases (text format on stdout, or served with --listen)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('journey', 'journey', [CompletionResultType]::ParameterValue, 'Check journey files and show their units')
            [CompletionResult]::new('repo', 'repo', [CompletionResultType]::ParameterValue, 'The backup repository''s objects: list, fetch, store and remove (S3, encrypted as configured)')
            [CompletionResult]::new('case', 'case', [CompletionResultType]::ParameterValue, 'Start, resume, reopen, move, inspect and list cases')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;help;sla' {
            [CompletionResult]::new('due', 'due', [CompletionResultType]::ParameterValue, 'Milestones due at or before a time (default now), oldest first')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Act on due milestones: once, or every --every until SIGTERM')
            break
        }
        'wfctl;help;sla;due' {
            break
        }
        'wfctl;help;sla;run' {
            break
        }
        'wfctl;help;config' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Print every effective setting with its value and where it came from')
            break
        }
        'wfctl;help;config;show' {
            break
        }
        'wfctl;help;db' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply pending schema migrations')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which migrations are applied and which are pending')
            [CompletionResult]::new('backup', 'backup', [CompletionResultType]::ParameterValue, 'Dump the database (pg_dump) into a verified, checksummed file with a manifest, then apply retention')
            [CompletionResult]::new('backups', 'backups', [CompletionResultType]::ParameterValue, 'List the backups in a directory: age, size, verified or not')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check a backup by reading all of it; --restore-test also restores it into a throwaway database')
            [CompletionResult]::new('restore', 'restore', [CompletionResultType]::ParameterValue, 'Restore a backup into a database, all or nothing')
            [CompletionResult]::new('basebackup', 'basebackup', [CompletionResultType]::ParameterValue, 'Take a base backup (pg_basebackup) for point-in-time recovery, verified with pg_verifybackup')
            [CompletionResult]::new('restore-pitr', 'restore-pitr', [CompletionResultType]::ParameterValue, 'Restore a base backup into a new data directory, set to replay the archived WAL (wal fetch) up to a point in time; --start also starts it and waits for the target')
            break
        }
        'wfctl;help;db;setup' {
            break
        }
        'wfctl;help;db;migrate' {
            break
        }
        'wfctl;help;db;status' {
            break
        }
        'wfctl;help;db;backup' {
            break
        }
        'wfctl;help;db;backups' {
            break
        }
        'wfctl;help;db;verify' {
            break
        }
        'wfctl;help;db;restore' {
            break
        }
        'wfctl;help;db;basebackup' {
            break
        }
        'wfctl;help;db;restore-pitr' {
            break
        }
        'wfctl;help;wal' {
            [CompletionResult]::new('push', 'push', [CompletionResultType]::ParameterValue, 'Archive one WAL file into the repository (archive_command = ''wfctl wal push %p''): compressed, checksummed, written atomically; the same file again succeeds, a different one with the same name fails and nothing is overwritten')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Fetch one WAL file from the repository (restore_command = ''wfctl wal fetch %f %p''): checked and written atomically; exit 1 quietly when the archive has no such file, 126 on any other failure, a bad configuration included (PostgreSQL then stops recovery rather than ending it)')
            break
        }
        'wfctl;help;wal;push' {
            break
        }
        'wfctl;help;wal;fetch' {
            break
        }
        'wfctl;help;migrate-files' {
            break
        }
        'wfctl;help;keys' {
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Seal every sensitive value again under the key in FILE (the current key opens the old values); run it again to finish an interrupted rotation, then point WFCTL_KEY_FILE or [variables] key_file at FILE')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write a new key to FILE (mode 0600; refuses an existing file) and print its key id')
            break
        }
        'wfctl;help;keys;rotate' {
            break
        }
        'wfctl;help;keys;generate' {
            break
        }
        'wfctl;help;diag' {
            [CompletionResult]::new('health', 'health', [CompletionResultType]::ParameterValue, 'Connect time, server version, migrations, pg_stat_statements, connections vs max_connections, the client pool, replica lag. Exit 0 healthy, 3 degraded, 69 unreachable')
            [CompletionResult]::new('indexes', 'indexes', [CompletionResultType]::ParameterValue, 'Unused, duplicate, redundant and invalid indexes; tables read by sequential scans; the recommended indexes and the statement that adds a missing one')
            [CompletionResult]::new('slow-queries', 'slow-queries', [CompletionResultType]::ParameterValue, 'Where statement time goes (pg_stat_statements), tagged with the wfctl operation')
            [CompletionResult]::new('locks', 'locks', [CompletionResultType]::ParameterValue, 'Who blocks whom, for how long, running what, and the case involved')
            [CompletionResult]::new('long-running', 'long-running', [CompletionResultType]::ParameterValue, 'Active statements and idle-in-transaction sessions older than a threshold')
            [CompletionResult]::new('sizes', 'sizes', [CompletionResultType]::ParameterValue, 'Database and table sizes')
            [CompletionResult]::new('bloat', 'bloat', [CompletionResultType]::ParameterValue, 'Estimated table and index bloat (a statistical estimate, withheld when unreliable)')
            [CompletionResult]::new('vacuum', 'vacuum', [CompletionResultType]::ParameterValue, 'Dead rows, last (auto)vacuum, transaction-id age, and what holds vacuum back; --run vacuums the tables it flags')
            [CompletionResult]::new('cases', 'cases', [CompletionResultType]::ParameterValue, 'Workflow checks: pended per work basket, stuck cases, overdue SLA milestones, the error basket, orphan rows')
            [CompletionResult]::new('explain', 'explain', [CompletionResultType]::ParameterValue, 'EXPLAIN (ANALYZE, BUFFERS) of wfctl''s own statements with parameters from the data, in a rolled-back read-only transaction; flags sequential scans of big tables')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Which checks this role can run here, the exact step that enables the others, and index advice as a migration')
            [CompletionResult]::new('settings', 'settings', [CompletionResultType]::ParameterValue, 'Server settings beside the seed guide''s recommendations scaled to this server, the pool-size formula, per-table autovacuum for the workflow tables, and the ALTER lines to apply them (never applied by wfctl)')
            [CompletionResult]::new('wal', 'wal', [CompletionResultType]::ParameterValue, 'WAL archiving for point-in-time recovery: is it on, fed, failing or behind; WAL volume and max_wal_size pressure')
            [CompletionResult]::new('all', 'all', [CompletionResultType]::ParameterValue, 'Every check with thresholds, except the opt-in settings and wal (add them with --include wal --include settings) (--check: exit 3 on a warning; --nagios: one status line and 0/1/2/3)')
            break
        }
        'wfctl;help;diag;health' {
            break
        }
        'wfctl;help;diag;indexes' {
            break
        }
        'wfctl;help;diag;slow-queries' {
            break
        }
        'wfctl;help;diag;locks' {
            break
        }
        'wfctl;help;diag;long-running' {
            break
        }
        'wfctl;help;diag;sizes' {
            break
        }
        'wfctl;help;diag;bloat' {
            break
        }
        'wfctl;help;diag;vacuum' {
            break
        }
        'wfctl;help;diag;cases' {
            break
        }
        'wfctl;help;diag;explain' {
            break
        }
        'wfctl;help;diag;doctor' {
            break
        }
        'wfctl;help;diag;settings' {
            break
        }
        'wfctl;help;diag;wal' {
            break
        }
        'wfctl;help;diag;all' {
            break
        }
        'wfctl;help;metrics' {
            break
        }
        'wfctl;help;completions' {
            break
        }
        'wfctl;help;journey' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check journey (and SLA) files; report every problem; exit 3 when any is found')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a journey''s units, types, components and next steps')
            break
        }
        'wfctl;help;journey;validate' {
            break
        }
        'wfctl;help;journey;show' {
            break
        }
        'wfctl;help;repo' {
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List the complete objects under a prefix (an interrupted upload is never listed)')
            [CompletionResult]::new('get', 'get', [CompletionResultType]::ParameterValue, 'Write an object to FILE (atomically) or to stdout (`-`), decrypted when encrypted')
            [CompletionResult]::new('put', 'put', [CompletionResultType]::ParameterValue, 'Store FILE (`-` for stdin) under KEY, encrypted when [repository] encrypt is set')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove an object (removing an absent one succeeds)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Create an age key pair: the identity (secret key) into FILE, readable by its owner only; prints the public key for [repository] recipients')
            break
        }
        'wfctl;help;repo;ls' {
            break
        }
        'wfctl;help;repo;get' {
            break
        }
        'wfctl;help;repo;put' {
            break
        }
        'wfctl;help;repo;rm' {
            break
        }
        'wfctl;help;repo;keygen' {
            break
        }
        'wfctl;help;case' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a new case of a journey and run it until it pends or completes')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a pended case, or with --all every case pended in a work basket')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Reopen a completed case at the step of one of its journey''s tickets')
            [CompletionResult]::new('set-var', 'set-var', [CompletionResultType]::ParameterValue, 'Add or replace variables of a case without running it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a case: status, where it waits, variables, exec paths, milestones')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List cases, filtered, one page at a time (ordered by case id)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit log of a case: one row per recorded unit')
            [CompletionResult]::new('cancel', 'cancel', [CompletionResultType]::ParameterValue, 'Cancel a case: it never runs again; its milestones are dequeued and the audit log records who cancelled it, when and why')
            [CompletionResult]::new('wait', 'wait', [CompletionResultType]::ParameterValue, 'Wait until a case completes, pends (in a work basket) or changes, then print it as case show does; exit 3 when the time runs out')
            [CompletionResult]::new('purge', 'purge', [CompletionResultType]::ParameterValue, 'Delete the cases that completed or were cancelled before an age, each archived first (--archive DIR, which migrate-files brings back) or dropped (--no-archive)')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'The same as case history ID --follow')
            [CompletionResult]::new('change-workbasket', 'change-workbasket', [CompletionResultType]::ParameterValue, 'Move a pended case, or with --all every case of a work basket, to another work basket')
            break
        }
        'wfctl;help;case;start' {
            break
        }
        'wfctl;help;case;resume' {
            break
        }
        'wfctl;help;case;reopen' {
            break
        }
        'wfctl;help;case;set-var' {
            break
        }
        'wfctl;help;case;show' {
            break
        }
        'wfctl;help;case;list' {
            break
        }
        'wfctl;help;case;history' {
            break
        }
        'wfctl;help;case;cancel' {
            break
        }
        'wfctl;help;case;wait' {
            break
        }
        'wfctl;help;case;purge' {
            break
        }
        'wfctl;help;case;watch' {
            break
        }
        'wfctl;help;case;change-workbasket' {
            break
        }
        'wfctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
