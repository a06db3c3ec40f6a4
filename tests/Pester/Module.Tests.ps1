#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Pester tests of the module as users get it: imported by path (out/OberaConnect/OberaConnect.psd1, or the
    manifest in $env:OBERACONNECT_MODULE_MANIFEST) in a fresh `pwsh -NoProfile` or `powershell.exe -NoProfile`
    (build.ps1 -Task Test starts one per edition). Generic over the exported cmdlets: a new cmdlet is covered
    by the help and -WhatIf checks as soon as it is exported.

    LEAD: when a cmdlet that writes is added, give it sample arguments in $WhatIfArguments (the test fails
    until you do), and add its main-path tests against the Notion fake in a file of its own next to this one.
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
    $script:Shell = (Get-Process -Id $PID).Path

    # Sample arguments for every cmdlet that supports -WhatIf, and a check that nothing was written.
    $script:WhatIfArguments = @{
        'Register-OberaConnectScheduledTask' = @{
            TaskName   = 'OberaConnect Pester ' + [guid]::NewGuid().ToString('N')
            ScriptPath = 'C:\OberaConnect\Invoke-OberaConnectJob.ps1'
        }
    }
    $script:NothingWritten = @{
        'Register-OberaConnectScheduledTask' = {
            param($Arguments)
            if (Get-Command -Name Get-ScheduledTask -ErrorAction SilentlyContinue) {
                Get-ScheduledTask -TaskName $Arguments.TaskName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            }
        }
    }

    # The data-surface writers read Notion (the fake, as a process) and a SQLite file even under -WhatIf.
    . (Join-Path $PSScriptRoot 'DataSurface.Support.ps1')
    $script:DataSurfaceFake = Start-NotionFakeProcess -WorkDirectory $TestDrive
    $script:SavedNotionToken = $env:OBERACONNECT_NOTION_TOKEN
    $env:OBERACONNECT_NOTION_TOKEN = $script:DataSurfaceFake.Token
    $script:WhatIfDatabase = New-FakeDatabase -Fake $script:DataSurfaceFake -Title 'WhatIf'
    $whatIfConfig = New-DataSurfaceConfig -Fake $script:DataSurfaceFake -Directory $TestDrive
    $script:WhatIfArguments['Export-NotionDatabase'] = @{ DatabaseId = $script:WhatIfDatabase.DatabaseId; Path = (Join-Path $TestDrive 'whatif-export.db'); ConfigPath = $whatIfConfig }
    $script:WhatIfArguments['Initialize-NotionExportStore'] = @{ Store = 'Sqlite'; Path = (Join-Path $TestDrive 'whatif-init.db'); ConfigPath = $whatIfConfig }
    $script:WhatIfArguments['Sync-NotionTable'] = @{ Provider = 'Sqlite'; ConnectionString = (Copy-TeamsDatabase -Directory $TestDrive); Table = 'team'; DatabaseId = $script:WhatIfDatabase.DatabaseId; ConfigPath = $whatIfConfig }
    $script:NothingWritten['Export-NotionDatabase'] = { param($Arguments) Test-Path -LiteralPath $Arguments.Path | Should -BeFalse }
    $script:NothingWritten['Initialize-NotionExportStore'] = { param($Arguments) Test-Path -LiteralPath $Arguments.Path | Should -BeFalse }
    $script:NothingWritten['Sync-NotionTable'] = { param($Arguments) Get-FakePages -Fake $script:DataSurfaceFake -Database $script:WhatIfDatabase | Should -BeNullOrEmpty }

    function Invoke-JobScript {
        param([string] $Script, [string[]] $Arguments, [hashtable] $Environment = @{})
        $saved = @{}
        foreach ($key in $Environment.Keys) { $saved[$key] = [Environment]::GetEnvironmentVariable($key); [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
        try {
            $output = & $script:Shell -NoProfile -NonInteractive -ExecutionPolicy Bypass -File (Join-Path $script:ModuleDirectory "Scripts/$Script") @Arguments 2>&1
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
        }
        finally {
            foreach ($key in $saved.Keys) { [Environment]::SetEnvironmentVariable($key, $saved[$key]) }
        }
    }
}

AfterAll {
    Stop-NotionFakeProcess -Fake $script:DataSurfaceFake
    $env:OBERACONNECT_NOTION_TOKEN = $script:SavedNotionToken
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
    It 'returns nothing and changes nothing with -WhatIf' {
        $script:WhatIfArguments.ContainsKey($Name) | Should -BeTrue -Because "add sample arguments for $Name to `$WhatIfArguments in this file"
        $arguments = $script:WhatIfArguments[$Name]
        $output = & $Name @arguments -WhatIf
        $output | Should -BeNullOrEmpty
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
        $run = Invoke-JobScript -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 2 -Because $run.Output
    }

    It 'Invoke-OberaConnectJob.ps1 exits 2 for a job that is not an OberaConnect cmdlet' {
        $run = Invoke-JobScript -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', 'Get-Date', '-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 2 -Because $run.Output
    }

    It 'Invoke-OberaConnectJob.ps1 exits 0 for a clean run and leaves a transcript' {
        $run = Invoke-JobScript -Script 'Invoke-OberaConnectJob.ps1' -Arguments @('-Job', 'Get-OberaConnectExitCode', '-ModulePath', $script:ManifestPath, '-LogDirectory', $TestDrive)
        $run.ExitCode | Should -Be 0 -Because $run.Output
        @(Get-ChildItem -LiteralPath $TestDrive -Filter 'OberaConnectJob-*.log').Count | Should -BeGreaterOrEqual 1
    }

    It 'NinjaOne-OberaConnectSync.ps1 reads its settings from the environment and exits 2 without a job' {
        $run = Invoke-JobScript -Script 'NinjaOne-OberaConnectSync.ps1' -Arguments @() -Environment @{ OBERACONNECT_JOB = ''; OBERACONNECT_MODULE_PATH = $script:ManifestPath }
        $run.ExitCode | Should -Be 2 -Because $run.Output
        $run.Output | Should -Match 'OBERACONNECT_JOB'
    }

    It 'NinjaOne-OberaConnectSync.ps1 exits 0 when every job succeeds' {
        $run = Invoke-JobScript -Script 'NinjaOne-OberaConnectSync.ps1' -Arguments @() -Environment @{ OBERACONNECT_JOB = 'Get-OberaConnectExitCode'; OBERACONNECT_MODULE_PATH = $script:ManifestPath }
        $run.ExitCode | Should -Be 0 -Because $run.Output
    }
}
