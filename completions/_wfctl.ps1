
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
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Set up, migrate, back up and restore the PostgreSQL database')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('journey', 'journey', [CompletionResultType]::ParameterValue, 'Check journey files and show their units')
            [CompletionResult]::new('case', 'case', [CompletionResultType]::ParameterValue, 'Start, resume, reopen, move, inspect and list cases')
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'SLA milestones that are due')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;db' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply pending schema migrations')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which migrations are applied and which are pending')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;db;setup' {
            [CompletionResult]::new('--admin-url', '--admin-url', [CompletionResultType]::ParameterName, 'A superuser (or CREATEDB + CREATEROLE) URL to the server''s maintenance database')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database to create')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Login role the application (and wfctl) uses')
            [CompletionResult]::new('--readonly-user', '--readonly-user', [CompletionResultType]::ParameterName, 'Read-only role for reporting and diagnostics')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--no-readonly', '--no-readonly', [CompletionResultType]::ParameterName, 'Do not create a read-only role')
            [CompletionResult]::new('--grant-monitor', '--grant-monitor', [CompletionResultType]::ParameterName, 'Also grant pg_monitor to the read-only role, so `wfctl diag` sees every session')
            [CompletionResult]::new('--print-sql', '--print-sql', [CompletionResultType]::ParameterName, 'Print the statements instead of running them (passwords as SCRAM verifiers only)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;db;migrate' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'List the pending migrations without applying them')
            [CompletionResult]::new('--adopt', '--adopt', [CompletionResultType]::ParameterName, 'Take over a database created by hand from the seed guide: check that its tables match, record the guide''s schema as applied, then apply the rest')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;db;status' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;db;help' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply pending schema migrations')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which migrations are applied and which are pending')
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
        'wfctl;db;help;help' {
            break
        }
        'wfctl;completions' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;journey' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check journey (and SLA) files; report every problem; exit 3 when any is found')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a journey''s units, types, components and next steps')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;journey;validate' {
            [CompletionResult]::new('--sla', '--sla', [CompletionResultType]::ParameterName, 'SLA files to check as well; repeatable')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;journey;show' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
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
        'wfctl;case' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a new case of a journey and run it until it pends or completes')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a pended case, or with --all every case pended in a work basket')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Reopen a completed case at the step of one of its journey''s tickets')
            [CompletionResult]::new('change-workbasket', 'change-workbasket', [CompletionResultType]::ParameterValue, 'Move a pended case, or with --all every case of a work basket, to another work basket')
            [CompletionResult]::new('set-var', 'set-var', [CompletionResultType]::ParameterValue, 'Add or replace variables of a case without running it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a case: status, where it waits, variables, exec paths, milestones')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List cases, filtered, one page at a time (ordered by case id)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit log of a case: one row per recorded unit')
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
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;resume' {
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable')
            [CompletionResult]::new('--vars-file', '--vars-file', [CompletionResultType]::ParameterName, 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'With --all: the work basket whose cases to take')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'With --all: only cases of this journey (by name)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --all: at most this many cases (this worker)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every case pended in the work basket given by --workbasket')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --all: list the cases that would be taken, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;reopen' {
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'The ticket whose step the case continues at')
            [CompletionResult]::new('--pend-workbasket', '--pend-workbasket', [CompletionResultType]::ParameterName, 'Pend the reopened case in this work basket; a later resume acts on the ticket (implies --pend-before-resume)')
            [CompletionResult]::new('--var', '--var', [CompletionResultType]::ParameterName, 'A variable to add or replace: NAME=TYPE:VALUE (e.g. amount=long:1200, approved=boolean:true, tags=list_of_string:["a"]); repeatable')
            [CompletionResult]::new('--vars-file', '--vars-file', [CompletionResultType]::ParameterName, 'Variables from a JSON file: [{"name","type","value"}...] or {"name": value, ...}')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--pend-before-resume', '--pend-before-resume', [CompletionResultType]::ParameterName, 'Pend (in --pend-workbasket) instead of running at once')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;change-workbasket' {
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'With --all: the work basket whose cases to take')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'With --all: only cases of this journey (by name)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'With --all: at most this many cases (this worker)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every case pended in the work basket given by --workbasket')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'With --all: list the cases that would be taken, change nothing')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;set-var' {
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait up to this long (seconds, or 30s, 2m) for a case another process is working on; without it a locked case fails at once with exit 75')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;show' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only cases with this status')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only cases pended in this work basket')
            [CompletionResult]::new('--journey', '--journey', [CompletionResultType]::ParameterName, 'Only cases of this journey (by name)')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Only cases at this step (the pended step, or the last one run)')
            [CompletionResult]::new('--stuck-for', '--stuck-for', [CompletionResultType]::ParameterName, 'Only incomplete cases not written for this long (e.g. 2h, 3days)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many cases (0: no limit)')
            [CompletionResult]::new('--after', '--after', [CompletionResultType]::ParameterName, 'Start after this case id (the `next_after` of the previous page)')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--sla-overdue', '--sla-overdue', [CompletionResultType]::ParameterName, 'Only cases with an SLA milestone past its due time')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;history' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;case;help' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a new case of a journey and run it until it pends or completes')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a pended case, or with --all every case pended in a work basket')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Reopen a completed case at the step of one of its journey''s tickets')
            [CompletionResult]::new('change-workbasket', 'change-workbasket', [CompletionResultType]::ParameterValue, 'Move a pended case, or with --all every case of a work basket, to another work basket')
            [CompletionResult]::new('set-var', 'set-var', [CompletionResultType]::ParameterValue, 'Add or replace variables of a case without running it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a case: status, where it waits, variables, exec paths, milestones')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List cases, filtered, one page at a time (ordered by case id)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit log of a case: one row per recorded unit')
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
        'wfctl;case;help;change-workbasket' {
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
        'wfctl;case;help;help' {
            break
        }
        'wfctl;sla' {
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('due', 'due', [CompletionResultType]::ParameterValue, 'Milestones due at or before a time (default now), oldest first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;sla;due' {
            [CompletionResult]::new('--at', '--at', [CompletionResultType]::ParameterName, 'The time to compare with: RFC 3339 (2030-01-31T12:00:00Z), or an offset from now (+2h, -30m); default now')
            [CompletionResult]::new('--workbasket', '--workbasket', [CompletionResultType]::ParameterName, 'Only milestones of this work basket')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;sla;help' {
            [CompletionResult]::new('due', 'due', [CompletionResultType]::ParameterValue, 'Milestones due at or before a time (default now), oldest first')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;sla;help;due' {
            break
        }
        'wfctl;sla;help;help' {
            break
        }
        'wfctl;help' {
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Set up, migrate, back up and restore the PostgreSQL database')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('journey', 'journey', [CompletionResultType]::ParameterValue, 'Check journey files and show their units')
            [CompletionResult]::new('case', 'case', [CompletionResultType]::ParameterValue, 'Start, resume, reopen, move, inspect and list cases')
            [CompletionResult]::new('sla', 'sla', [CompletionResultType]::ParameterValue, 'SLA milestones that are due')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'wfctl;help;db' {
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create the database, its login role and a read-only role (the seed guide''s set-up), idempotently. Passwords come from WFCTL_USER_PASSWORD / WFCTL_READONLY_PASSWORD or a prompt, never from arguments')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Apply pending schema migrations')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which migrations are applied and which are pending')
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
        'wfctl;help;case' {
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a new case of a journey and run it until it pends or completes')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a pended case, or with --all every case pended in a work basket')
            [CompletionResult]::new('reopen', 'reopen', [CompletionResultType]::ParameterValue, 'Reopen a completed case at the step of one of its journey''s tickets')
            [CompletionResult]::new('change-workbasket', 'change-workbasket', [CompletionResultType]::ParameterValue, 'Move a pended case, or with --all every case of a work basket, to another work basket')
            [CompletionResult]::new('set-var', 'set-var', [CompletionResultType]::ParameterValue, 'Add or replace variables of a case without running it')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a case: status, where it waits, variables, exec paths, milestones')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List cases, filtered, one page at a time (ordered by case id)')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'The audit log of a case: one row per recorded unit')
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
        'wfctl;help;case;change-workbasket' {
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
        'wfctl;help;sla' {
            [CompletionResult]::new('due', 'due', [CompletionResultType]::ParameterValue, 'Milestones due at or before a time (default now), oldest first')
            break
        }
        'wfctl;help;sla;due' {
            break
        }
        'wfctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
