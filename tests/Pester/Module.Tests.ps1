#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Pester tests of the module as users get it: imported by path (out/OberaConnect/OberaConnect.psd1, or the
    manifest in $env:OBERACONNECT_MODULE_MANIFEST) in a fresh `pwsh -NoProfile` or `powershell.exe -NoProfile`
    (build.ps1 -Task Test starts one per edition). Generic over the exported cmdlets: a new cmdlet is covered
    by the help and -WhatIf checks as soon as it is exported.

    When a cmdlet that writes is added, give it sample arguments in $WhatIfArguments (the test fails
    until you do), and add its main-path tests against the Notion fake in a file of its own next to this one.
    The Notion fake (Fakes.ps1) runs for the whole file so that cmdlets that read Notion before they would
    write have somewhere to read from.
#>

BeforeDiscovery {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    $manifest = Import-PowerShellDataFile -LiteralPath $script:ManifestPath
    $script:CmdletCases = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
    # Imported by path here too, so that discovery never auto-loads another installed copy.
    $discovered = Import-Module -Name $script:ManifestPath -Force -PassThru -ErrorAction Stop
    $script:WriterCases = @($discovered.ExportedCmdlets.Values | Where-Object { $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    $script:ModuleDirectory = Split-Path -Parent $script:ManifestPath
    $script:Module = Import-Module -Name $script:ManifestPath -Force -PassThru -ErrorAction Stop

    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:SavedEnvironment = Save-EnvironmentVariable 'NOTION_TOKEN', 'OBERACONNECT_CONFIG'
    $env:OBERACONNECT_CONFIG = $null
    $script:Fake = Start-NotionFake
    $env:NOTION_TOKEN = $script:Fake.Token
    # An empty workspace page and configuration for Initialize; a workspace that matches the definition for Test-NotionSchema -Repair.
    $script:EmptyParent = New-FakePage -Fake $script:Fake -ParentPageId $script:Fake.RootPageId -Title 'Pester -WhatIf'
    $script:EmptyConfig = New-FakeConfiguration -Fake $script:Fake -Path (Join-Path $TestDrive 'whatif-empty.json')
    $script:CleanConfig = New-FakeConfiguration -Fake $script:Fake -Path (Join-Path $TestDrive 'whatif-clean.json')
    $null = Initialize-OberaNotionWorkspace -ParentPageId (New-FakePage -Fake $script:Fake -ParentPageId $script:Fake.RootPageId -Title 'Pester clean') -ConfigPath $script:CleanConfig

    # Sample arguments for every cmdlet that supports -WhatIf, and a check that nothing was written.
    $script:WhatIfArguments = @{
        'Export-OberaConnectMetric' = @{
            Path = Join-Path ([System.IO.Path]::GetTempPath()) ('oberaconnect-pester-' + [guid]::NewGuid().ToString('N') + '.prom')
        }
        'Register-OberaConnectScheduledTask' = @{
            TaskName   = 'OberaConnect Pester ' + [guid]::NewGuid().ToString('N')
            ScriptPath = 'C:\OberaConnect\Invoke-OberaConnectJob.ps1'
        }
        'New-OberaConnectConfiguration' = @{
            Path = Join-Path $TestDrive 'whatif-new/config.json'
        }
        'Initialize-OberaNotionWorkspace' = @{
            ParentPageId = $script:EmptyParent
            ConfigPath   = $script:EmptyConfig
        }
        # -WhatIf -Repair still outputs the differences it finds (a test result, not a change): on a matching
        # workspace there are none. Workspace.Tests.ps1 covers -WhatIf -Repair on a drifted one.
        'Test-NotionSchema' = @{
            ConfigPath = $script:CleanConfig
            Repair     = $true
        }
    }
    $script:NothingWritten = @{
        'Export-OberaConnectMetric' = {
            param($Arguments)
            Test-Path -LiteralPath $Arguments.Path | Should -BeFalse
        }
        'Register-OberaConnectScheduledTask' = {
            param($Arguments)
            if (Get-Command -Name Get-ScheduledTask -ErrorAction SilentlyContinue) {
                Get-ScheduledTask -TaskName $Arguments.TaskName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            }
        }
        'New-OberaConnectConfiguration' = {
            param($Arguments)
            Test-Path -LiteralPath $Arguments.Path | Should -BeFalse
        }
        'Initialize-OberaNotionWorkspace' = {
            param($Arguments)
            Get-FakeChildDatabase -Fake $script:Fake -PageId $Arguments.ParentPageId | Should -BeNullOrEmpty
            (Get-OberaConnectConfiguration -ConfigPath $Arguments.ConfigPath).DatabasesConfigured | Should -Be 0
        }
        'Test-NotionSchema' = {
            param($Arguments)
            Test-NotionSchema -ConfigPath $Arguments.ConfigPath | Should -BeNullOrEmpty
        }
    }

    # The Azure Pipeline, runbook and duplicate writers need a workspace: the Notion fake ($script:Fake) and the
    # initialized workspace of $script:CleanConfig that the workspace cmdlets' setup makes (Fakes.ps1).
    # Their main paths are in Workspace.ReadBack.Tests.ps1.
    if ($script:CleanConfig) {
        $clean = @{ ConfigPath = $script:CleanConfig }
        $null = Add-AzurePipelineService -Name 'Pester existing' -Category Other @clean
        $script:WhatIfRunbook = Join-Path $TestDrive 'whatif-runbook.md'
        Set-Content -LiteralPath $script:WhatIfRunbook -Value "# Pester what-if runbook`n`nOne step."
        $sites = (Get-OberaConnectConfiguration @clean).Databases | Where-Object Database -eq 'CustomerSites' | Select-Object -ExpandProperty DataSourceId
        foreach ($n in 1..2) {
            $null = Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/pages' -Body @{
                parent     = @{ type = 'data_source_id'; data_source_id = $sites }
                properties = @{ 'Site Name' = @{ title = @(@{ type = 'text'; text = @{ content = 'Pester duplicate' } }) } }
            }
        }
        $script:WhatIfArguments['Add-AzurePipelineService'] = @{ Name = 'Pester new'; Category = 'Other' } + $clean
        $script:WhatIfArguments['Set-AzurePipelineStage'] = @{ Name = 'Pester existing'; Stage = 'Design' } + $clean
        $script:WhatIfArguments['Add-Runbook'] = @{ Path = $script:WhatIfRunbook } + $clean
        $script:WhatIfArguments['Set-Runbook'] = @{ Path = $script:WhatIfRunbook } + $clean
        $script:WhatIfArguments['Remove-NotionDuplicate'] = @{ InputObject = (Get-NotionDuplicate -Database CustomerSites @clean | Select-Object -First 1) } + $clean
        $script:NothingWritten['Add-AzurePipelineService'] = {
            param($Arguments)
            Get-NotionPage -Database AzurePipeline -Filter @{ 'Service Name' = $Arguments.Name } -ConfigPath $Arguments.ConfigPath | Should -BeNullOrEmpty
        }
        $script:NothingWritten['Set-AzurePipelineStage'] = {
            param($Arguments)
            (Get-NotionPage -Database AzurePipeline -Filter @{ 'Service Name' = $Arguments.Name } -ConfigPath $Arguments.ConfigPath).Properties.Stage | Should -Be 'Idea'
        }
        $script:NothingWritten['Add-Runbook'] = {
            param($Arguments)
            Get-NotionPage -Database RunbookLibrary -ConfigPath $Arguments.ConfigPath | Should -BeNullOrEmpty
        }
        $script:NothingWritten['Set-Runbook'] = $script:NothingWritten['Add-Runbook']
        $script:NothingWritten['Remove-NotionDuplicate'] = {
            param($Arguments)
            @(Get-NotionDuplicate -Database CustomerSites -ConfigPath $Arguments.ConfigPath).Count | Should -Be 1
        }

        # The site syncs plan against the same workspace even with -WhatIf: one site in Customer Sites for the
        # records that relate to it. Their main paths are in Sync.Tests.ps1.
        $null = Sync-CustomerStatus -SiteName 'Pester Site' -DevicesOnline 1 -DevicesTotal 1 @clean
        $script:WhatIfArguments['Sync-CustomerStatus'] = @{ SiteName = 'Pester New Site'; DevicesOnline = 1; DevicesTotal = 1 } + $clean
        $script:WhatIfArguments['Add-DailyHealthSnapshot'] = @{ SiteName = 'Pester Site'; DevicesOnline = 1; DevicesTotal = 1 } + $clean
        $script:WhatIfArguments['Write-ConfigChange'] = @{ Site = 'Pester Site'; Tool = 'pester'; Action = 'Update'; Engineer = 'pester'; Timestamp = [DateTimeOffset]'2026-01-05T00:00:00Z' } + $clean
        $script:WhatIfArguments['Sync-NetworkDevice'] = @{ SiteName = 'Pester Site'; Mac = 'aa:bb:cc:dd:ee:01'; Name = 'pester-switch'; SkipMissing = $true } + $clean
        $script:WhatIfArguments['Sync-Alert'] = @{ AlertId = 'pester-alert-1'; SiteName = 'Pester Site'; Subject = 'Pester'; SkipMissing = $true } + $clean
        $script:NothingWritten['Sync-CustomerStatus'] = {
            param($Arguments)
            Get-NotionPage -Database CustomerSites -Filter @{ 'Site Name' = $Arguments.SiteName } -ConfigPath $Arguments.ConfigPath | Should -BeNullOrEmpty
        }
        $script:NothingWritten['Add-DailyHealthSnapshot'] = { param($Arguments) Get-NotionPage -Database DailyHealth -ConfigPath $Arguments.ConfigPath | Should -BeNullOrEmpty }
        $script:NothingWritten['Write-ConfigChange'] = { param($Arguments) Get-NotionPage -Database ConfigChanges -ConfigPath $Arguments.ConfigPath | Should -BeNullOrEmpty }
        $script:NothingWritten['Sync-NetworkDevice'] = { param($Arguments) Get-NotionPage -Database NetworkDevices -ConfigPath $Arguments.ConfigPath | Should -BeNullOrEmpty }
        $script:NothingWritten['Sync-Alert'] = { param($Arguments) Get-NotionPage -Database Alerts -ConfigPath $Arguments.ConfigPath | Should -BeNullOrEmpty }

        # The data-surface writers read Notion and a SQLite file even under -WhatIf; their main paths are in
        # DataSurface.Tests.ps1. A database of their own (Name, title) under the fake's root page.
        $teams = Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/databases' -Body @{
            parent              = @{ type = 'page_id'; page_id = $script:Fake.RootPageId }
            title               = @(@{ type = 'text'; text = @{ content = 'Pester -WhatIf teams' } })
            initial_data_source = @{ properties = @{ Name = @{ title = @{} } } }
        }
        $script:WhatIfTeams = [pscustomobject]@{ DatabaseId = $teams.id; DataSourceId = @($teams.data_sources)[0].id }
        $teamsTable = Join-Path $TestDrive 'whatif-teams.sqlite'
        Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'Fixtures/teams.sqlite') -Destination $teamsTable
        $script:WhatIfArguments['Export-NotionDatabase'] = @{ DatabaseId = $script:WhatIfTeams.DatabaseId; Path = (Join-Path $TestDrive 'whatif-export.db') } + $clean
        $script:WhatIfArguments['Initialize-NotionExportStore'] = @{ Store = 'Sqlite'; Path = (Join-Path $TestDrive 'whatif-init.db') } + $clean
        $script:WhatIfArguments['Sync-NotionTable'] = @{ Provider = 'Sqlite'; ConnectionString = $teamsTable; Table = 'team'; DatabaseId = $script:WhatIfTeams.DatabaseId } + $clean
        $script:NothingWritten['Export-NotionDatabase'] = { param($Arguments) Test-Path -LiteralPath $Arguments.Path | Should -BeFalse }
        $script:NothingWritten['Initialize-NotionExportStore'] = $script:NothingWritten['Export-NotionDatabase']
        $script:NothingWritten['Sync-NotionTable'] = {
            param($Arguments)
            $answer = Invoke-NotionFake -Fake $script:Fake -Method Post -Path "v1/data_sources/$($script:WhatIfTeams.DataSourceId)/query" -Body @{ page_size = 100 }
            @($answer.results) | Should -BeNullOrEmpty
        }
    }
}

AfterAll {
    Stop-NotionFake -Fake $script:Fake
    Restore-EnvironmentVariable -Saved $script:SavedEnvironment
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'The OberaConnect module on PowerShell <_>' -ForEach $PSVersionTable.PSEdition {
    It 'imports by path with the manifest version' {
        $script:Module | Should -Not -BeNullOrEmpty
        $script:Module.Version | Should -Be ([version](Import-PowerShellDataFile -LiteralPath $script:ManifestPath).ModuleVersion)
    }

    It 'exports exactly the cmdlets of the manifest and nothing else' {
        $manifest = Import-PowerShellDataFile -LiteralPath $script:ManifestPath
        @($script:Module.ExportedCmdlets.Keys | Sort-Object) | Should -Be @($manifest.CmdletsToExport | Sort-Object)
        $script:Module.ExportedFunctions.Count | Should -Be 0
        $script:Module.ExportedAliases.Count | Should -Be 0
    }

    It 'loads the engine from Dependencies, privately on PowerShell 7' {
        $null = Get-OberaConnectExitCode
        $engine = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OberaConnect.Engine' }
        @($engine).Count | Should -Be 1
        $engine.Location | Should -BeLike (Join-Path $script:ModuleDirectory 'Dependencies*')
        if ($PSVersionTable.PSEdition -eq 'Core') {
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($engine).Name | Should -BeLike 'OberaConnect (*'
        }
    }

    It 'keeps third-party assemblies out of the module root' {
        @(Get-ChildItem -LiteralPath $script:ModuleDirectory -Filter *.dll).Name | Should -Be @('OberaConnect.PowerShell.dll')
    }
}

Describe 'Help of <Name>' -ForEach $script:CmdletCases {
    BeforeAll {
        $script:Help = Get-Help -Name $Name -Full
        $script:Command = Get-Command -Name $Name
    }

    It 'has a synopsis and a description' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        # Without MAML, Get-Help makes the synopsis up from the syntax.
        $script:Help.Synopsis.Trim() | Should -Not -BeLike "$Name *"
        ($script:Help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least two examples that use it' {
        $examples = @($script:Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) { $example.code | Should -Match ([regex]::Escape($Name)) }
    }

    It 'documents every parameter' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($parameter in $script:Command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented = $script:Help.parameters.parameter | Where-Object name -eq $parameter
            ($documented.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$parameter needs help"
        }
    }
}

Describe '-WhatIf of <Name> writes nothing' -ForEach $script:WriterCases {
    It 'returns nothing but Skipped results and changes nothing with -WhatIf' {
        $script:WhatIfArguments.ContainsKey($Name) | Should -BeTrue -Because "add sample arguments for $Name to `$WhatIfArguments in this file"
        $arguments = $script:WhatIfArguments[$Name]
        if ($Name -eq 'Register-OberaConnectScheduledTask' -and -not ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows)) {
            # Task Scheduler is Windows-only: elsewhere even the preview stops at once and says so (Operations.Tests.ps1).
            { & $Name @arguments -WhatIf } | Should -Throw -ErrorId 'WindowsOnlyFeature*'
            return
        }
        $output = & $Name @arguments -WhatIf
        # The syncs answer one Skipped result per input saying what would happen; nothing else may come out of a preview.
        @($output | Where-Object { -not ($_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncResult' -and "$($_.Status)" -eq 'Skipped' -and $null -ne $_.WouldBe) }) | Should -BeNullOrEmpty
        if ($script:NothingWritten.ContainsKey($Name)) { & $script:NothingWritten[$Name] $arguments }
    }
}

Describe 'Exit code contract' {
    It 'is 0 for a clean run' {
        (Get-OberaConnectExitCode).Code | Should -Be 0
    }

    It 'is 1 when records failed and 3 when a component is unhealthy' {
        ([pscustomobject]@{ FailedCount = 2 } | Get-OberaConnectExitCode).Code | Should -Be 1
        ([pscustomobject]@{ Component = 'Notion'; Healthy = $false }, [pscustomobject]@{ FailedCount = 1 } | Get-OberaConnectExitCode).Code | Should -Be 3
    }

    It 'counts collected non-terminating errors as failed records' {
        Write-Error -Message 'record x failed' -ErrorAction SilentlyContinue -ErrorVariable failures
        $outcome = Get-OberaConnectExitCode -ItemError $failures
        $outcome.Code | Should -Be 1
        $outcome.FailedRecords | Should -Be 1
    }

    It 'is 4 for an unexpected terminating error' {
        (Get-OberaConnectExitCode -Exception ([System.NullReferenceException]::new())).Code | Should -Be 4
    }
}

Describe 'Job scripts' {
    It 'Invoke-OberaConnectJob.ps1 exits 2 when no job is given' {
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 2 -Because $run.Output
    }

    It 'Invoke-OberaConnectJob.ps1 exits 2 for a job that is not an OberaConnect cmdlet' {
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', 'Get-Date', '-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 2 -Because $run.Output
    }

    It 'Invoke-OberaConnectJob.ps1 exits 0 for a clean run and leaves a transcript' {
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', 'Get-OberaConnectExitCode', '-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 0 -Because $run.Output
        @(Get-ChildItem -LiteralPath $TestDrive -Filter 'OberaConnectJob-*.log').Count | Should -BeGreaterOrEqual 1
    }

    It 'NinjaOne-OberaConnectSync.ps1 reads its settings from the environment and exits 2 without a job' {
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'NinjaOne-OberaConnectSync.ps1' -Arguments @() -Environment @{ OBERACONNECT_JOB = ''; OBERACONNECT_MODULE_PATH = $script:ManifestPath }
        $run.ExitCode | Should -Be 2 -Because $run.Output
        $run.Output | Should -Match 'OBERACONNECT_JOB'
    }

    It 'NinjaOne-OberaConnectSync.ps1 exits 0 when every job succeeds' {
        $run = Invoke-JobScript -ModuleDirectory $script:ModuleDirectory -Script 'NinjaOne-OberaConnectSync.ps1' -Arguments @() -Environment @{ OBERACONNECT_JOB = 'Get-OberaConnectExitCode'; OBERACONNECT_MODULE_PATH = $script:ManifestPath }
        $run.ExitCode | Should -Be 0 -Because $run.Output
    }

    # The scripts in module/Scripts dot-source JobScript.Common.ps1; the shipped ones have it written in. Both must run alike.
    It '<Script> runs the same from module/Scripts, where it dot-sources its shared block' -ForEach @(
        @{ Script = 'Invoke-OberaConnectJob.ps1'; Good = @('-Job', 'Get-OberaConnectExitCode'); Missing = @('-Job', 'Get-OberaConnectExitCode', '-ModulePath', 'OberaConnect.NotInstalled'); Environment = @{} }
        @{ Script = 'NinjaOne-OberaConnectSync.ps1'; Good = @(); Missing = @(); Environment = @{ OBERACONNECT_JOB = 'Get-OberaConnectExitCode' } }
    ) {
        $source = Join-Path $PSScriptRoot '../../module'
        $shipped = Get-Content -Raw -LiteralPath (Join-Path $script:ModuleDirectory "Scripts/$Script")
        $shipped | Should -Not -Match ([regex]::Escape('$PSScriptRoot'))
        foreach ($directory in @($source, $script:ModuleDirectory)) {
            $goodEnvironment = $Environment + @{ OBERACONNECT_MODULE_PATH = $script:ManifestPath }
            $arguments = $Good + $(if ($Script -like 'Invoke-*') { @('-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive) } else { @() })
            $run = Invoke-JobScript -ModuleDirectory $directory -Script $Script -Arguments $arguments -Environment $goodEnvironment
            $run.ExitCode | Should -Be 0 -Because "$directory`n$($run.Output)"
            $missingEnvironment = $Environment + @{ OBERACONNECT_MODULE_PATH = 'OberaConnect.NotInstalled' }
            $arguments = $Missing + $(if ($Script -like 'Invoke-*') { @('-LogDirectory', $TestDrive) } else { @() })
            $run = Invoke-JobScript -ModuleDirectory $directory -Script $Script -Arguments $arguments -Environment $missingEnvironment
            $run.ExitCode | Should -Be 2 -Because "$directory`n$($run.Output)"
            $run.Output | Should -Match "ERROR cannot import the module 'OberaConnect.NotInstalled'"
        }
    }
}
