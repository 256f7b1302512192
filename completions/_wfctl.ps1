
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
            [CompletionResult]::new('migrate-files', 'migrate-files', [CompletionResultType]::ParameterValue, 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons')
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
        'wfctl;migrate-files' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Threads reading and parsing files [default: number of cores]')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Cases per transaction')
            [CompletionResult]::new('--connections', '--connections', [CompletionResultType]::ParameterName, 'Database connections loading batches in parallel')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Write rejected files to FILE as JSON lines (path, class, message, field)')
            [CompletionResult]::new('--retry', '--retry', [CompletionResultType]::ParameterName, 'Reload only the cases of the files listed in FILE (a --rejects report)')
            [CompletionResult]::new('--max-errors', '--max-errors', [CompletionResultType]::ParameterName, 'Stop after N rejected files')
            [CompletionResult]::new('--database-url', '--database-url', [CompletionResultType]::ParameterName, 'PostgreSQL URL (postgres://user@host/db); the password is better kept in ~/.pgpass')
            [CompletionResult]::new('--store', '--store', [CompletionResultType]::ParameterName, 'Use the file store in DIR (default ./workflow-data when no database URL is set)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file (default: wfctl.toml in the current directory, if present)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours (NO_COLOR is honoured by `auto`)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Parse and validate everything, write nothing (needs no database)')
            [CompletionResult]::new('--verify', '--verify', [CompletionResultType]::ParameterName, 'After loading, read every imported case back and compare it with its source')
            [CompletionResult]::new('--no-update', '--no-update', [CompletionResultType]::ParameterName, 'Refuse (reject as `changed`) cases whose files changed since they were imported, instead of re-importing them')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print one JSON document on stdout instead of tables')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more (repeat for more detail)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'wfctl;help' {
            [CompletionResult]::new('db', 'db', [CompletionResultType]::ParameterValue, 'Set up, migrate, back up and restore the PostgreSQL database')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('migrate-files', 'migrate-files', [CompletionResultType]::ParameterValue, 'Move a file store into PostgreSQL: resumable, idempotent, bad files rejected with reasons')
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
        'wfctl;help;migrate-files' {
            break
        }
        'wfctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
