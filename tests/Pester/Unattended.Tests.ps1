#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The unattended contract as a scheduler sees it: each job script of the module (Invoke-OberaConnectJob.ps1 for Task
    Scheduler, NinjaOne-OberaConnectSync.ps1 for NinjaOne) run in a fresh PowerShell for every exit code, with and
    without the health check, asserting the exit code, the run log lines and the metrics file. 0 to 3 come from the
    real module against the seeded Notion fake (a bad token, a closed port on 127.0.0.1); 4 only from a deliberately
    broken copy of the module (Polly.Core.dll removed). Each scenario's documented and actual codes are written to
    out/TestResults/job-script-exit-codes.md, the table the issue asks for.
    Also Invoke-OberaConnectJob and Get-OberaConnectExitCode in this session: parameters, conflicts, every error shape.
#>

BeforeDiscovery {
    # scenario, documented code; each runs for both scripts, with and without the health check.
    $script:Scenarios = @(
        @{ Scenario = 'export of two configured databases'; Expected = 0; Setup = 'success' }
        @{ Scenario = 'export of an unknown database id and a good one'; Expected = 1; Setup = 'record' }
        @{ Scenario = 'Notion refuses the token'; Expected = 2; Setup = 'token' }
        @{ Scenario = 'Notion unreachable (closed port)'; Expected = 3; Setup = 'down' }
        @{ Scenario = 'a defect in the module (Polly.Core.dll removed)'; Expected = 4; Setup = 'defect' }
    )
    $script:Runs = foreach ($s in $script:Scenarios) {
        foreach ($script in @('Invoke-OberaConnectJob.ps1', 'NinjaOne-OberaConnectSync.ps1')) {
            foreach ($health in @($true, $false)) {
                $s + @{ Script = $script; Health = $health; HealthText = $(if ($health) { 'with' } else { 'without' }) }
            }
        }
    }
}

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    $script:ModuleDirectory = Split-Path -Parent $script:ManifestPath
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'DataSurface.Support.ps1')

    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('oc-unattended-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $script:Work -Force
    $script:Fake = Start-OberaNotionFake -Directory $script:Work
    $script:Token = $env:OBERACONNECT_NOTION_TOKEN
    $script:Databases = (Get-Content -LiteralPath $script:Fake.ConfigPath -Raw | ConvertFrom-Json).databases

    function New-JobConfiguration([string] $Name, [string] $BaseUrl) {
        # Everything the run writes under a folder of its own, so each assertion reads only what its run wrote.
        $folder = Join-Path $script:Work $Name
        $content = [ordered]@{
            notion    = @{ baseUrl = $BaseUrl; maxRetries = 0; burst = 100 }
            databases = $script:Databases
            export    = @{ store = 'Sqlite'; sqlitePath = (Join-Path $folder 'export.db') }
            paths     = [ordered]@{
                logDirectory = (Join-Path $folder 'logs'); metricsPath = (Join-Path $folder 'metrics/oberaconnect.prom')
                auditDirectory = (Join-Path $folder 'audit'); journalDirectory = (Join-Path $folder 'journal'); stateDirectory = (Join-Path $folder 'state')
            }
        }
        $null = New-Item -ItemType Directory -Path $folder -Force
        $path = Join-Path $folder 'config.json'
        [System.IO.File]::WriteAllText($path, ($content | ConvertTo-Json -Depth 10), [System.Text.UTF8Encoding]::new($false))
        [pscustomobject]@{ Path = $path; Logs = $content.paths.logDirectory; Metrics = $content.paths.metricsPath }
    }

    # A port on 127.0.0.1 nothing listens on: bound, then released.
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    $script:ClosedPort = $listener.LocalEndpoint.Port
    $listener.Stop()

    $script:Good = New-JobConfiguration 'good' $script:Fake.BaseUrl
    $script:Down = New-JobConfiguration 'down' "http://127.0.0.1:$($script:ClosedPort)/"

    # The deliberately broken copy: the module without one of its dependencies, which fails the first HTTP call.
    $script:BrokenDirectory = Join-Path $script:Work 'broken/OberaConnect'
    $null = New-Item -ItemType Directory -Path (Split-Path -Parent $script:BrokenDirectory) -Force
    Copy-Item -LiteralPath $script:ModuleDirectory -Destination $script:BrokenDirectory -Recurse
    Remove-Item -LiteralPath (Join-Path $script:BrokenDirectory 'Dependencies/Polly.Core.dll')

    $script:Table = Join-Path $PSScriptRoot '../../out/TestResults/job-script-exit-codes.md'
    $null = New-Item -ItemType Directory -Path (Split-Path -Parent $script:Table) -Force
    $edition = "$($PSVersionTable.PSEdition) $($PSVersionTable.PSVersion)"
    if (-not (Test-Path -LiteralPath $script:Table)) {
        Set-Content -LiteralPath $script:Table -Value @('| PowerShell | script | health check | scenario | documented | actual |', '| --- | --- | --- | --- | --- | --- |')
    }
    $script:Edition = $edition

    function ConvertTo-DataFileText([hashtable] $Values) {
        # A .psd1 of strings, switches and string arrays: what a parameter file holds.
        $lines = foreach ($key in $Values.Keys) {
            $value = $Values[$key]
            $text = if ($value -is [bool]) { if ($value) { '$true' } else { '$false' } }
            elseif ($value -is [array]) { '@(' + (($value | ForEach-Object { "'" + ($_ -replace "'", "''") + "'" }) -join ', ') + ')' }
            else { "'" + ("$value" -replace "'", "''") + "'" }
            "    $key = $text"
        }
        "@{`n" + ($lines -join "`n") + "`n}"
    }

    function Invoke-Scenario {
        <# Runs a job script in a fresh PowerShell as its scheduler would; returns the exit code, output and this run's log file. #>
        param(
            [string] $Script, [string] $Job, [hashtable] $Parameters = @{}, [bool] $Health = $true,
            [hashtable] $Environment = @{}, [string] $ModuleDirectory = $script:ModuleDirectory, [switch] $AcceptConflict
        )
        $manifest = Join-Path $ModuleDirectory 'OberaConnect.psd1'
        # Not $environment: PowerShell's names are case-insensitive, that would be $Environment itself.
        $variables = @{ OBERACONNECT_NOTION_TOKEN = $script:Token }
        foreach ($key in $Environment.Keys) { $variables[$key] = $Environment[$key] }
        $arguments = @()
        if ($Script -eq 'Invoke-OberaConnectJob.ps1') {
            $file = Join-Path $script:Work ('parameters-' + [guid]::NewGuid().ToString('N') + '.psd1')
            Set-Content -LiteralPath $file -Value (ConvertTo-DataFileText $Parameters)
            $arguments = @('-Job', $Job, '-ParameterFile', $file, '-ModulePath', $manifest)
            if (-not $Health) { $arguments += '-SkipHealthCheck' }
            if ($AcceptConflict) { $arguments += '-AcceptConflict' }
        }
        else {
            $variables['OBERACONNECT_JOB'] = $Job
            # One NinjaOne script variable: the parameters as a JSON object.
            $variables['OBERACONNECT_PARAMETERS'] = ($Parameters | ConvertTo-Json -Compress -Depth 5)
            $variables['OBERACONNECT_MODULE_PATH'] = $manifest
            $variables['OBERACONNECT_SKIP_HEALTH_CHECK'] = $(if ($Health) { '' } else { '1' })
            $variables['OBERACONNECT_ACCEPT_CONFLICTS'] = $(if ($AcceptConflict) { '1' } else { '' })
        }
        $run = Invoke-JobScript -ModuleDirectory $ModuleDirectory -Script $Script -Arguments $arguments -Environment $variables
        $log = [regex]::Match($run.Output, '(?m)START .*; log (.+\.log)\s*$').Groups[1].Value
        $run | Add-Member -NotePropertyMembers @{
            LogFile = $log
            Log     = $(if ($log -and (Test-Path -LiteralPath $log)) { Get-Content -LiteralPath $log -Raw } else { '' })
        } -PassThru
    }

    function Read-Metric([string] $Path) {
        # Each sample line of a .prom file by its name and labels, for example 'oberaconnect_sync_total{operation="Export-NotionDatabase"}'.
        $values = @{}
        if (Test-Path -LiteralPath $Path) {
            foreach ($line in [System.IO.File]::ReadAllLines($Path)) {
                if ($line -match '^(oberaconnect_\S+) (\S+)$') { $values[$Matches[1]] = [double]$Matches[2] }
            }
        }
        $values
    }

    function Get-Delta($Before, $After, [string] $Key) {
        $b = if ($Before.ContainsKey($Key)) { $Before[$Key] } else { 0 }
        $a = if ($After.ContainsKey($Key)) { $After[$Key] } else { 0 }
        $a - $b
    }

    # What each scenario runs: configuration, parameters and the lines its log must hold.
    $script:CustomerSites = $script:Databases.CustomerSites.databaseId
    $script:Setups = @{
        success = @{ Config = $script:Good; Parameters = @{ Database = @('CustomerSites', 'Alerts') } }
        record  = @{ Config = $script:Good; Parameters = @{ DatabaseId = @('0f1e2d3c4b5a49688776a5b4c3d2e1f0', $script:CustomerSites) } }
        token   = @{ Config = $script:Good; Parameters = @{ Database = @('CustomerSites') }; Environment = @{ OBERACONNECT_NOTION_TOKEN = 'ntn_' + ('q' * 43) } }
        down    = @{ Config = $script:Down; Parameters = @{ Database = @('CustomerSites') } }
        defect  = @{ Config = $script:Good; Parameters = @{ Database = @('CustomerSites') }; ModuleDirectory = $script:BrokenDirectory }
    }
}

AfterAll {
    Stop-OberaNotionFake $script:Fake
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'The job scripts exit with the documented code, log it and count it' {
    It '<Script> <HealthText> the health check: <Scenario> exits <Expected>' -ForEach $script:Runs {
        $setup = $script:Setups[$Setup]
        $parameters = @{ ConfigPath = $setup.Config.Path; Path = (Join-Path $script:Work ('export-' + [guid]::NewGuid().ToString('N') + '.db')) }
        foreach ($key in $setup.Parameters.Keys) { $parameters[$key] = $setup.Parameters[$key] }
        $environment = if ($setup.Environment) { $setup.Environment } else { @{} }
        $module = if ($setup.ModuleDirectory) { $setup.ModuleDirectory } else { $script:ModuleDirectory }
        $before = Read-Metric $setup.Config.Metrics

        $run = Invoke-Scenario -Script $Script -Job 'Export-NotionDatabase' -Parameters $parameters -Health $Health -Environment $environment -ModuleDirectory $module
        Add-Content -LiteralPath $script:Table -Value "| $($script:Edition) | $Script | $HealthText | $Scenario | $Expected | $($run.ExitCode) |"

        $run.ExitCode | Should -Be $Expected -Because $run.Output
        # The run log is a file of its own in paths.logDirectory, and says the same as the output.
        $run.LogFile | Should -BeLike (Join-Path $setup.Config.Logs 'OberaConnectJob-*.log')
        $run.Log | Should -Match "(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ START Export-NotionDatabase on PowerShell"
        $run.Log | Should -Match "(?m) DONE exit $Expected \("
        $run.Log | Should -Not -Match 'OberaConnect\.Engine\.\w+\.\w+Result'
        $after = Read-Metric $setup.Config.Metrics
        $runs = Get-Delta $before $after 'oberaconnect_sync_total{operation="Export-NotionDatabase"}'
        $errors = Get-Delta $before $after 'oberaconnect_sync_errors_total{operation="Export-NotionDatabase"}'

        switch ($Setup) {
            'success' {
                $run.Log | Should -Match '(?m) JOB Export-NotionDatabase done: exit 0 \(Success\); failed records: 0'
                $runs | Should -Be 1
                $errors | Should -Be 0
                (Get-Delta $before $after 'oberaconnect_requests_total{service="notion"}') | Should -BeGreaterThan 0
                $after['oberaconnect_last_success_timestamp_seconds{operation="Export-NotionDatabase"}'] | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-5).ToUnixTimeSeconds())
            }
            'record' {
                # One line naming the database that failed, never a type name; the good one is exported.
                $run.Log | Should -Match '(?m) RECORD FAILED Export-NotionDatabase database 0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0: \[NotionObjectNotFound\] '
                $run.Log | Should -Match '(?m) DONE exit 1 \(RecordsFailed\); failed records: 1;'
                $runs | Should -Be 1
                $errors | Should -Be 1
            }
            'token' {
                if ($Health) {
                    $run.Log | Should -Match '(?m) HEALTH NotionToken Unhealthy \[NotionUnauthorized\]: '
                    $run.Log | Should -Match '(?m) SKIPPED Export-NotionDatabase: '
                    $run.Log | Should -Not -Match ' JOB Export-NotionDatabase started'
                    $runs | Should -Be 0
                }
                else {
                    # Met on the first database: a setup error (2), not a failed record.
                    $run.Log | Should -Match '(?m) ERROR Export-NotionDatabase database CustomerSites \(.*\): \[NotionUnauthorized\] Notion refused the token'
                    $runs | Should -Be 1
                    $errors | Should -Be 1
                }
                $run.Output | Should -Not -Match 'qqqqqqqq'
                $run.Log | Should -Not -Match 'qqqqqqqq'
            }
            'down' {
                if ($Health) {
                    $run.Log | Should -Match "(?m) HEALTH NotionToken Unhealthy \[ConnectionRefused\]: .*127\.0\.0\.1:$($script:ClosedPort) was refused"
                    $run.Log | Should -Match '(?m) SKIPPED Export-NotionDatabase: '
                    $runs | Should -Be 0
                }
                else {
                    $run.Log | Should -Match "(?m) ERROR Export-NotionDatabase database CustomerSites \(.*\): \[ConnectionRefused\] Notion: the connection to 127\.0\.0\.1:$($script:ClosedPort) was refused"
                    $runs | Should -Be 1
                    $errors | Should -Be 1
                    (Get-Delta $before $after 'oberaconnect_requests_total{service="notion"}') | Should -BeGreaterThan 0
                }
            }
            'defect' {
                if ($Health) {
                    $run.Log | Should -Match "(?m) HEALTH NotionToken Unhealthy \[HealthProbeFailed\]: FileNotFoundException: .*Polly\.Core"
                }
                else {
                    $run.Log | Should -Match '(?m) UNEXPECTED Export-NotionDatabase System\.IO\.FileNotFoundException: .*Polly\.Core'
                    # A defect's log holds where it happened.
                    $run.Log | Should -Match '(?m) UNEXPECTED at OberaConnect\.'
                    $errors | Should -Be 1
                }
            }
        }
    }
}

Describe 'The job scripts take every job and its parameters' {
    It 'NinjaOne runs Test-OberaConnectHealth and Export-NotionDatabase -All from one JSON script variable' {
        $json = '{"ConfigPath": "' + ($script:Good.Path -replace '\\', '\\') + '", "Export-NotionDatabase": {"All": true, "Path": "' + ((Join-Path $script:Work 'all.db') -replace '\\', '\\') + '"}}'
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'NinjaOne-OberaConnectSync.ps1' -Environment @{
            OBERACONNECT_JOB = 'Test-OberaConnectHealth; Export-NotionDatabase'; OBERACONNECT_PARAMETERS = $json; OBERACONNECT_MODULE_PATH = $script:ManifestPath
            OBERACONNECT_NOTION_TOKEN = $script:Token
        }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'JOB Test-OberaConnectHealth started \(parameters: ConfigPath\)'
        $run.Output | Should -Match 'JOB Export-NotionDatabase started \(parameters: All, ConfigPath, Path\)'
    }

    It 'NinjaOne reads a .psd1 named by OBERACONNECT_PARAMETERS' {
        $file = Join-Path $script:Work 'ninja.psd1'
        Set-Content -LiteralPath $file -Value "@{ Database = 'CustomerSites'; Path = '$((Join-Path $script:Work 'ninja.db') -replace "'", "''")' }"
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'NinjaOne-OberaConnectSync.ps1' -Environment @{
            OBERACONNECT_JOB = 'Export-NotionDatabase'; OBERACONNECT_PARAMETERS = $file; OBERACONNECT_CONFIG = $script:Good.Path
            OBERACONNECT_MODULE_PATH = $script:ManifestPath; OBERACONNECT_NOTION_TOKEN = $script:Token
        }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'JOB Export-NotionDatabase started \(parameters: ConfigPath, Database, Path\)'
    }

    It 'NinjaOne exits 2 naming the credentials when Sync-CustomerStatus finds neither UniFi nor NinjaOne' {
        $run = Invoke-Scenario -Script 'NinjaOne-OberaConnectSync.ps1' -Job 'Sync-CustomerStatus' -Parameters @{ ConfigPath = $script:Good.Path } -Environment @{
            UNIFI_API_KEY = ''; NINJAONE_CLIENT_ID = ''; NINJAONE_CLIENT_SECRET = ''
        }
        $run.ExitCode | Should -Be 2 -Because $run.Output
        $run.Log | Should -Match '(?m) ERROR Sync-CustomerStatus \[NoSourceCredentials\] '
    }

    It '<Script> exits 2 for a parameter no job has, and runs nothing' -ForEach @(@{ Script = 'Invoke-OberaConnectJob.ps1' }, @{ Script = 'NinjaOne-OberaConnectSync.ps1' }) {
        $run = Invoke-Scenario -Script $Script -Job 'Export-NotionDatabase' -Parameters @{ ConfigPath = $script:Good.Path; Databse = 'CustomerSites' }
        $run.ExitCode | Should -Be 2 -Because $run.Output
        $run.Output | Should -Match 'ERROR no job of this run has the parameter\(s\) Databse'
        $run.Output | Should -Not -Match 'JOB Export-NotionDatabase started'
    }

    It '<Script> exits 2 for a missing mandatory parameter and names it' -ForEach @(@{ Script = 'Invoke-OberaConnectJob.ps1' }, @{ Script = 'NinjaOne-OberaConnectSync.ps1' }) {
        $run = Invoke-Scenario -Script $Script -Job 'Export-NotionDatabase' -Parameters @{ ConfigPath = $script:Good.Path } -Health $false
        $run.ExitCode | Should -Be 2 -Because $run.Output
        $run.Log | Should -Match '(?m) ERROR Export-NotionDatabase \[MissingMandatoryParameter\] .*Database'
    }

    It 'Invoke-OberaConnectJob.ps1 exits 2 for a module that is not there and 2 for no job' {
        $missing = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', 'Sync-Alert', '-ModulePath', (Join-Path $script:Work 'nowhere/OberaConnect.psd1'), '-LogDirectory', (Join-Path $script:Work 'early'))
        $missing.ExitCode | Should -Be 2 -Because $missing.Output
        $missing.Output | Should -Match 'ERROR cannot import the module'
        @(Get-ChildItem -LiteralPath (Join-Path $script:Work 'early') -Filter 'OberaConnectJob-*.log').Count | Should -Be 1
        $none = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-ModulePath', $script:ManifestPath, '-LogDirectory', (Join-Path $script:Work 'none'))
        $none.ExitCode | Should -Be 2 -Because $none.Output
        $none.Output | Should -Match 'ERROR no job given'
    }

    It 'writes the run log to the default log folder of the account when the configuration names none' {
        $bare = Join-Path $script:Work 'bare.json'
        [System.IO.File]::WriteAllText($bare, (@{ notion = @{ baseUrl = $script:Fake.BaseUrl } } | ConvertTo-Json), [System.Text.UTF8Encoding]::new($false))
        $state = Join-Path $script:Work 'xdg-state'
        $onWindows = $PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows
        $expected = if ($onWindows) { Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'OberaConnect\logs' } else { Join-Path $state 'oberaconnect/logs' }
        $run = Invoke-Scenario -Script 'Invoke-OberaConnectJob.ps1' -Job 'Test-OberaConnectHealth' -Parameters @{ ConfigPath = $bare } -Environment @{ XDG_STATE_HOME = $state; OBERACONNECT_LOG_DIR = '' }
        try {
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.LogFile | Should -BeLike (Join-Path $expected 'OberaConnectJob-*.log')
            $run.Log | Should -Match ' DONE exit 0 '
        }
        finally {
            if ($run.LogFile) { Remove-Item -LiteralPath $run.LogFile -Force -ErrorAction SilentlyContinue }
        }
    }
}

Describe 'Sync-NotionTable conflicts in a job' {
    BeforeAll {
        $script:Teams = New-FakeDatabase -Fake $script:Fake -Title 'Teams in a job'
        $script:TeamsDb = Copy-TeamsDatabase -Directory $script:Work
        $script:TableParameters = @{ Provider = 'Sqlite'; ConnectionString = $script:TeamsDb; Table = 'team'; DatabaseId = $script:Teams.DatabaseId; ConfigPath = $script:Good.Path; ConflictAction = 'Flag' }
        $null = Sync-NotionTable @script:TableParameters
        # Two pages trashed in Notion after the sync: their records are in conflict until a person settles them.
        $pages = @(Get-FakePages -Fake $script:Fake -Database $script:Teams | Where-Object { $_.properties.postgres_id.rich_text[0].plain_text -in @('t1', 't2') })
        foreach ($page in $pages) { $null = Invoke-NotionFake -Fake $script:Fake -Method Patch -Path "v1/pages/$($page.id)" -Body @{ in_trash = $true } }
    }

    It 'exits 1 with one CONFLICT line per record, and 0 when the job accepts conflicts' {
        $before = Read-Metric $script:Good.Metrics
        $run = Invoke-Scenario -Script 'Invoke-OberaConnectJob.ps1' -Job 'Sync-NotionTable' -Parameters $script:TableParameters
        $run.ExitCode | Should -Be 1 -Because $run.Output
        $conflicts = @([regex]::Matches($run.Log, '(?m) CONFLICT Sync-NotionTable table team record (t1|t2) \(Notion page [0-9a-f-]+\): The page was trashed or deleted'))
        $conflicts.Count | Should -Be 2
        $run.Log | Should -Match '(?m) DONE exit 1 \(RecordsFailed\); failed records: 0; conflicts: 2;'
        $after = Read-Metric $script:Good.Metrics
        (Get-Delta $before $after 'oberaconnect_sync_total{operation="Sync-NotionTable"}') | Should -Be 1

        $accepted = Invoke-Scenario -Script 'NinjaOne-OberaConnectSync.ps1' -Job 'Sync-NotionTable' -Parameters $script:TableParameters -AcceptConflict
        $accepted.ExitCode | Should -Be 0 -Because $accepted.Output
        $accepted.Log | Should -Match '(?m) DONE exit 0 \(Success\); failed records: 0; conflicts: 2;'
    }
}

Describe 'Invoke-OberaConnectJob and Get-OberaConnectExitCode in a session' {
    It 'returns the outcome with its log file, and a per-job hashtable reaches only its job' {
        $outcome = Invoke-OberaConnectJob -Job 'Test-OberaConnectHealth', 'Export-NotionDatabase' -ConfigPath $script:Good.Path -Parameters @{
            'Export-NotionDatabase' = @{ Database = 'Alerts'; Path = (Join-Path $script:Work 'session.db') }
        } -SkipHealthCheck
        $outcome.Code | Should -Be 0
        $outcome.LogFile | Should -BeLike (Join-Path $script:Good.Logs 'OberaConnectJob-*.log')
        $log = Get-Content -LiteralPath $outcome.LogFile -Raw
        $log | Should -Match 'JOB Test-OberaConnectHealth started \(parameters: ConfigPath\)'
        $log | Should -Match 'JOB Export-NotionDatabase started \(parameters: ConfigPath, Database, Path\)'
    }

    It 'counts a terminating error once in every shape PowerShell hands it' {
        $missingDatabase = @{ ConfigPath = $script:Good.Path; DatabaseId = '0f1e2d3c4b5a49688776a5b4c3d2e1f0'; Path = (Join-Path $script:Work 'x.db'); WarningAction = 'SilentlyContinue' }
        # -ErrorAction Stop makes the record's error stop the command; -ErrorVariable holds it too: counted once, as what stopped the run.
        try { Export-NotionDatabase @missingDatabase -ErrorAction Stop -ErrorVariable collected | Out-Null } catch { $stopped = $_ }
        $stopped.FullyQualifiedErrorId | Should -BeLike 'NotionObjectNotFound*'
        @($collected).Count | Should -BeGreaterThan 0
        $outcome = Get-OberaConnectExitCode -ItemError $collected -Exception $stopped
        $outcome.Code | Should -Be 2
        $outcome.FailedRecords | Should -Be 0
        (Get-OberaConnectExitCode -ItemError $collected -Exception $stopped.Exception).FailedRecords | Should -Be 0
        # From a host (a job's parameters asking -ErrorAction Stop), the same error arrives as an ActionPreferenceStopException.
        $job = Invoke-OberaConnectJob -Job Export-NotionDatabase -SkipHealthCheck -Parameters @{
            ConfigPath = $script:Good.Path; DatabaseId = '0f1e2d3c4b5a49688776a5b4c3d2e1f0'; Path = (Join-Path $script:Work 'stop.db'); ErrorAction = 'Stop'
        }
        $job.Code | Should -Be 2
        $job.FailedRecords | Should -Be 0
        (Get-Content -LiteralPath $job.LogFile -Raw) | Should -Match '(?m) ERROR Export-NotionDatabase \[NotionObjectNotFound\] '
        # Not stopped: the same error is one failed record.
        Export-NotionDatabase @missingDatabase -ErrorAction SilentlyContinue -ErrorVariable items | Out-Null
        $outcome = Get-OberaConnectExitCode -ItemError $items
        $outcome.Code | Should -Be 1
        $outcome.FailedRecords | Should -Be 1

        # A cmdlet's terminating error (a refused token, before any record) in a script: $_ and -ErrorVariable's copy count once.
        $env:OBERACONNECT_NOTION_TOKEN = 'ntn_' + ('z' * 43)
        try { Sync-CustomerStatus -ConfigPath $script:Good.Path -Source Sample -ErrorVariable refused | Out-Null } catch { $denied = $_ }
        finally { $env:OBERACONNECT_NOTION_TOKEN = $script:Token }
        $denied.FullyQualifiedErrorId | Should -BeLike 'NotionUnauthorized*'
        $refused.Count | Should -BeGreaterThan 0
        $denied = Get-OberaConnectExitCode -ItemError $refused -Exception $denied
        $denied.Code | Should -Be 2
        $denied.FailedRecords | Should -Be 0
        (Get-OberaConnectExitCode -ItemError $refused).Code | Should -Be 2
        (Get-OberaConnectExitCode -Exception ([System.Management.Automation.CmdletInvocationException]::new('wrapped', [System.TimeoutException]::new()))).Code | Should -Be 4

        # PowerShell refusing the parameters is a setup error; an exception the module did not make is a defect.
        try { Export-NotionDatabase -NoSuchParameter 1 } catch { $binding = $_ }
        (Get-OberaConnectExitCode -Exception $binding).Code | Should -Be 2
        # So is a path on a drive that does not exist.
        try { Export-NotionDatabase -ConfigPath 'nosuchdrive:\config.json' -Database CustomerSites } catch { $drive = $_ }
        $drive.Exception.GetType().Name | Should -Be 'DriveNotFoundException'
        (Get-OberaConnectExitCode -Exception $drive).Code | Should -Be 2
        (Get-OberaConnectExitCode -Exception ([System.NullReferenceException]::new())).Code | Should -Be 4
        (Get-OberaConnectExitCode -Exception ([System.Management.Automation.RuntimeException]::new('x', [System.NullReferenceException]::new()))).Code | Should -Be 4
    }

    It 'counts conflicts as failed records unless they are accepted' {
        $conflict = [pscustomobject]@{ Table = 'team'; Key = 't1'; Status = 'Conflict' }
        ($conflict, $conflict | Get-OberaConnectExitCode).Code | Should -Be 1
        $accepted = $conflict, $conflict | Get-OberaConnectExitCode -AcceptConflict
        $accepted.Code | Should -Be 0
        $accepted.Conflicts | Should -Be 2
    }
}
