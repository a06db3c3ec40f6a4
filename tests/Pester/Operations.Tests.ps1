#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Main-path tests of Test-OberaConnectHealth, Export-OberaConnectMetric and the health check in the job scripts,
    with the module imported by path (as Module.Tests.ps1 does) and the repository's Notion fake running as a
    process on 127.0.0.1 (started with --seed-demo: one "Customer Sites" database whose schema is NOT the module's,
    which is exactly what a schema probe must catch). The Notion token reaches the module through
    OBERACONNECT_NOTION_TOKEN, as on an unattended machine.
    Set OBERACONNECT_FAKES_DLL to a built OberaConnect.Fakes.dll to skip building the fake.
#>

BeforeDiscovery {
    $manifest = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    $discovered = Import-Module -Name $manifest -Force -PassThru -ErrorAction Stop
    # Jobs that use the configuration but are not health checks themselves (the sync and source cmdlets, once merged):
    # the job script must run the health check before them. No such cmdlet, no test.
    $script:ConfiguredJobCases = @($discovered.ExportedCmdlets.Values |
            Where-Object { $_.Parameters.ContainsKey('ConfigPath') -and $_.Name -notin @('Test-OberaConnectHealth', 'Export-OberaConnectMetric') -and $_.Verb -in @('Get', 'Test') } |
            Select-Object -First 1 | ForEach-Object { @{ JobName = $_.Name } })
}

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    $script:ModuleDirectory = Split-Path -Parent $script:ManifestPath
    $null = Import-Module -Name $script:ManifestPath -Force -PassThru -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')

    function New-OpsConfiguration([string] $Path, [hashtable] $Databases = @{}, [string] $MetricsPath) {
        $content = [ordered]@{
            notion    = @{ baseUrl = $script:Fake.BaseUrl; burst = 100; maxRetries = 0 }
            databases = $Databases
        }
        if ($MetricsPath) { $content.paths = @{ metricsPath = $MetricsPath } }
        [System.IO.File]::WriteAllText($Path, ($content | ConvertTo-Json -Depth 10), [System.Text.UTF8Encoding]::new($false))
        $Path
    }

    # Shared by every Describe (TestDrive is emptied at the end of each one).
    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('oc-ops-pester-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $script:Work -Force

    $script:Token = 'ntn_pester' + [guid]::NewGuid().ToString('N')
    $script:Fake = Start-NotionFake -Token $script:Token -SeedDemo
    $script:SavedToken = $env:OBERACONNECT_NOTION_TOKEN
    $env:OBERACONNECT_NOTION_TOKEN = $script:Token

    $script:Empty = New-OpsConfiguration -Path (Join-Path $script:Work 'empty.json')
    $script:WithDemo = New-OpsConfiguration -Path (Join-Path $script:Work 'demo.json') -Databases @{
        CustomerSites = @{ databaseId = $script:Fake.DatabaseId; dataSourceId = $script:Fake.DataSourceId }
    }
    $script:Gone = New-OpsConfiguration -Path (Join-Path $script:Work 'gone.json') -Databases @{ Alerts = '0f1e2d3c4b5a49688776a5b4c3d2e1f0' }
}

AfterAll {
    $env:OBERACONNECT_NOTION_TOKEN = $script:SavedToken
    Stop-NotionFake $script:Fake
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Test-OberaConnectHealth' {
    It 'reports Configuration and NotionToken with status, latency and reason, and -Quiet is $true' {
        $components = @(Test-OberaConnectHealth -ConfigPath $script:Empty)
        $components.Component | Should -Be @('Configuration', 'NotionToken')
        $components[1].Status.ToString() | Should -Be 'Healthy'
        $components[1].Reason | Should -Match 'OberaConnect Fake Integration'
        $components[1].Reason | Should -Match 'OBERACONNECT_NOTION_TOKEN'
        $components[1].LatencyMs | Should -BeGreaterOrEqual 0
        # No database configured yet: Degraded, but syncs are not blocked by anything broken.
        $components[0].Status.ToString() | Should -Be 'Degraded'
        Test-OberaConnectHealth -ConfigPath $script:Empty -Quiet | Should -BeTrue
    }

    It 'finds a database whose schema the sync cannot write, and -Quiet turns $false' {
        $components = @(Test-OberaConnectHealth -ConfigPath $script:WithDemo)
        ($components | Where-Object Component -eq 'Database:Customer Sites').Status.ToString() | Should -Be 'Healthy'
        $schema = $components | Where-Object Component -eq 'Schema:Customer Sites'
        $schema.Status.ToString() | Should -Be 'Unhealthy'
        $schema.ErrorId | Should -Be 'HealthSchemaMismatch'
        $schema.Reason | Should -Match 'make syncs of Customer Sites fail'
        Test-OberaConnectHealth -ConfigPath $script:WithDemo -Quiet | Should -BeFalse
        ($components | Get-OberaConnectExitCode).Code | Should -Be 2
    }

    It 'reports a configured database that does not exist' {
        $database = Test-OberaConnectHealth -ConfigPath $script:Gone -Component 'Database:Alerts'
        $database.Status.ToString() | Should -Be 'Unhealthy'
        $database.ErrorId | Should -Be 'HealthDatabaseMissing'
    }

    It 'reports a refused token and checks nothing that needs it' {
        $saved = $env:OBERACONNECT_NOTION_TOKEN
        try {
            $env:OBERACONNECT_NOTION_TOKEN = 'ntn_' + ('q' * 40)
            $components = @(Test-OberaConnectHealth -ConfigPath $script:WithDemo)
        }
        finally { $env:OBERACONNECT_NOTION_TOKEN = $saved }
        $token = $components | Where-Object Component -eq 'NotionToken'
        $token.Status.ToString() | Should -Be 'Unhealthy'
        $token.ErrorId | Should -Be 'NotionUnauthorized'
        ($components | Where-Object Component -like 'Schema:*').ErrorId | Should -Be 'HealthDependencyUnhealthy'
        ($components | Out-String) | Should -Not -Match 'qqqqqqqq'
    }

    It 'reports a configuration that does not load as the Configuration component' {
        $broken = Join-Path $TestDrive 'broken.json'
        Set-Content -LiteralPath $broken -Value '{ "notion": '
        $components = @(Test-OberaConnectHealth -ConfigPath $broken)
        $components[0].Component | Should -Be 'Configuration'
        $components[0].ErrorId | Should -Be 'ConfigInvalidJson'
        ($components | Get-OberaConnectExitCode).Code | Should -Be 2
    }

    It 'takes component names from the pipeline and refuses a name that matches nothing' {
        @('NotionToken' | Test-OberaConnectHealth -ConfigPath $script:Empty).Component | Should -Be @('NotionToken')
        { Test-OberaConnectHealth -ConfigPath $script:Empty -Component 'Nothing*' -ErrorAction Stop } | Should -Throw -ErrorId 'HealthComponentUnknown*'
    }

    It 'shows a table with Component, Status, LatencyMs and Reason' {
        $table = Test-OberaConnectHealth -ConfigPath $script:Empty | Format-Table | Out-String
        $table | Should -Match 'Component\s+Status\s+LatencyMs\s+Reason'
    }
}

Describe 'Export-OberaConnectMetric' {
    It 'writes the configured textfile with the health families' {
        $metrics = Join-Path $TestDrive 'collector/oberaconnect.prom'
        $config = New-OpsConfiguration -Path (Join-Path $TestDrive 'metrics.json') -MetricsPath $metrics
        $export = Export-OberaConnectMetric -ConfigPath $config
        $export.Path | Should -Be $metrics
        $text = [System.IO.File]::ReadAllText($metrics)
        $text | Should -Match '(?m)^oberaconnect_healthy 1$'
        $text | Should -Match '(?m)^oberaconnect_component_healthy\{component="NotionToken"\} 1$'
        $text | Should -Not -Match "`r"
        ($export | Get-OberaConnectExitCode).Code | Should -Be 0
    }

    It 'writes to -Path (a folder gets oberaconnect.prom) and writes nothing with -WhatIf' {
        $config = New-OpsConfiguration -Path (Join-Path $TestDrive 'plain.json')
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'out') -Force
        Export-OberaConnectMetric -ConfigPath $config -Path $folder.FullName -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path $folder.FullName 'oberaconnect.prom') | Should -BeFalse
        (Export-OberaConnectMetric -ConfigPath $config -Path $folder.FullName).Path | Should -Be (Join-Path $folder.FullName 'oberaconnect.prom')
    }

    It 'still writes the alert when the configuration does not load and -Path is given' {
        $broken = Join-Path $TestDrive 'broken-metrics.json'
        Set-Content -LiteralPath $broken -Value '{ "paths": 42 }'
        $target = Join-Path $TestDrive 'broken.prom'
        $export = Export-OberaConnectMetric -ConfigPath $broken -Path $target
        $export.IsOperational | Should -BeFalse
        [System.IO.File]::ReadAllText($target) | Should -Match '(?m)^oberaconnect_healthy 0$'
        { Export-OberaConnectMetric -ConfigPath $broken -ErrorAction Stop } | Should -Throw -ErrorId 'ConfigInvalidValue*'
    }
}

Describe 'Register-OberaConnectScheduledTask' {
    BeforeAll { $script:OnWindows = $PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows }

    # Each test on every platform (nothing skipped): on Linux and macOS the cmdlet says that scheduled tasks are a
    # Windows feature before it checks anything else (the path rules are in ScheduledJobTaskTests, xUnit).
    It 'says plainly on Linux and macOS that scheduled tasks are a Windows feature, before checking the path, even with -WhatIf' {
        $name = 'OberaConnect Pester ' + [guid]::NewGuid().ToString('N')
        foreach ($preview in $false, $true) {
            $failure = $null
            try { $output = Register-OberaConnectScheduledTask -TaskName $name -ScriptPath '/home/me/job.ps1' -WhatIf:$preview -ErrorAction Stop } catch { $failure = $_ }
            if ($script:OnWindows) {
                $output | Should -BeNullOrEmpty
                $failure.Exception.Message | Should -Match 'not a full path'
                continue
            }
            $failure | Should -Not -BeNullOrEmpty
            $failure.FullyQualifiedErrorId | Should -BeLike 'WindowsOnlyFeature,*'
            $failure.CategoryInfo.Category | Should -Be 'InvalidOperation'
            $failure.Exception.Message | Should -BeLike 'Scheduled tasks are a Windows feature: Register-OberaConnectScheduledTask works on Windows only*cron or a systemd timer*'
            $failure.Exception.Message | Should -Not -Match 'full path'
        }
    }

    It 'reports a relative script path as an error of that task, naming the fix, and registers nothing (on Windows)' {
        $name = 'OberaConnect Pester ' + [guid]::NewGuid().ToString('N')
        $run = { Register-OberaConnectScheduledTask -TaskName $name -ScriptPath 'Invoke-OberaConnectJob.ps1' -ErrorVariable failures -ErrorAction SilentlyContinue }
        if (-not $script:OnWindows) { $run | Should -Throw -ErrorId 'WindowsOnlyFeature*'; return }
        $output = . $run
        $output | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].TargetObject | Should -Be $name
        $failures[0].Exception.Message | Should -Match 'not a full path'
    }

    It 'reports a task name with a folder in it and goes on with the next piped task (on Windows)' {
        $tasks = @(
            [pscustomobject]@{ TaskName = 'bad\name'; ScriptPath = 'C:\OberaConnect\Invoke-OberaConnectJob.ps1' }
            [pscustomobject]@{ TaskName = 'OberaConnect Pester ' + [guid]::NewGuid().ToString('N'); ScriptPath = 'C:\OberaConnect\Invoke-OberaConnectJob.ps1' }
        )
        $run = { $tasks | Register-OberaConnectScheduledTask -WhatIf -ErrorVariable failures -ErrorAction SilentlyContinue }
        if (-not $script:OnWindows) { $run | Should -Throw -ErrorId 'WindowsOnlyFeature*'; return }
        $output = . $run
        $output | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].Exception.Message | Should -Match 'TaskPath'
    }

    # One test for every platform (nothing skipped): without Task Scheduler the error names cron and systemd;
    # on Windows the task is registered (then removed), or, without administrator rights, the error says so.
    It 'registers a task on Windows, or says what to do instead' {
        $name = 'OberaConnect Pester ' + [guid]::NewGuid().ToString('N')
        $folder = '\OberaConnect Pester\'
        $register = { Register-OberaConnectScheduledTask -TaskName $name -TaskPath $folder -ScriptPath 'C:\OberaConnect\Invoke-OberaConnectJob.ps1' -Confirm:$false -ErrorAction Stop }
        if (-not $script:OnWindows) {
            $register | Should -Throw -ExpectedMessage '*cron or a systemd timer*'
            return
        }
        try { $task = & $register } catch { $refused = $_ }
        if ($refused) {
            $refused.Exception.Message | Should -Match 'administrator'
        }
        else {
            $task.TaskName | Should -Be $name
            (Get-ScheduledTask -TaskName $name -TaskPath $folder).TaskName | Should -Be $name
            Unregister-ScheduledTask -TaskName $name -TaskPath $folder -Confirm:$false
        }
    }
}

Describe 'Health check in the job scripts' {
    BeforeAll {
        $script:GoodParameters = Join-Path $script:Work 'good.psd1'
        Set-Content -LiteralPath $script:GoodParameters -Value "@{ ConfigPath = '$($script:Empty -replace "'", "''")' }"
        $script:SchemaParameters = Join-Path $script:Work 'schema.psd1'
        Set-Content -LiteralPath $script:SchemaParameters -Value "@{ ConfigPath = '$($script:WithDemo -replace "'", "''")' }"
    }

    It 'Invoke-OberaConnectJob.ps1 exits 0 for Test-OberaConnectHealth on a working workspace' {
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', 'Test-OberaConnectHealth', '-ParameterFile', $script:GoodParameters, '-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 0 -Because $run.Output
    }

    It 'Invoke-OberaConnectJob.ps1 exits 2 when the health check finds a schema the sync cannot write' {
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', 'Test-OberaConnectHealth', '-ParameterFile', $script:SchemaParameters, '-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 2 -Because $run.Output
    }

    It 'Invoke-OberaConnectJob.ps1 exits 3 when the Notion API is unreachable' {
        $down = New-OpsConfiguration -Path (Join-Path $TestDrive 'down.json')
        $json = Get-Content -LiteralPath $down -Raw | ConvertFrom-Json
        $json.notion.baseUrl = 'http://127.0.0.1:9/'
        [System.IO.File]::WriteAllText($down, ($json | ConvertTo-Json -Depth 10))
        $parameters = Join-Path $TestDrive 'down.psd1'
        Set-Content -LiteralPath $parameters -Value "@{ ConfigPath = '$($down -replace "'", "''")' }"
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', 'Test-OberaConnectHealth', '-ParameterFile', $parameters, '-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 3 -Because $run.Output
    }

    It 'Invoke-OberaConnectJob.ps1 does not start <JobName> when a required component is unhealthy' -ForEach $script:ConfiguredJobCases {
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', $JobName, '-ParameterFile', $script:SchemaParameters, '-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 2 -Because $run.Output
        $run.Output | Should -Match "SKIPPED ${JobName}: "
        $run.Output | Should -Match 'HEALTH Schema:Customer Sites Unhealthy'
    }

    It 'NinjaOne-OberaConnectSync.ps1 passes OBERACONNECT_CONFIG as -ConfigPath and exits with the health result' {
        $good = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'NinjaOne-OberaConnectSync.ps1' -Arguments @() -Environment @{
            OBERACONNECT_JOB = 'Test-OberaConnectHealth'; OBERACONNECT_MODULE_PATH = $script:ManifestPath; OBERACONNECT_CONFIG = $script:Empty
        }
        $good.ExitCode | Should -Be 0 -Because $good.Output
        $bad = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'NinjaOne-OberaConnectSync.ps1' -Arguments @() -Environment @{
            OBERACONNECT_JOB = 'Test-OberaConnectHealth'; OBERACONNECT_MODULE_PATH = $script:ManifestPath; OBERACONNECT_CONFIG = $script:WithDemo
        }
        $bad.ExitCode | Should -Be 2 -Because $bad.Output
    }
}
