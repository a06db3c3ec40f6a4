#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Help as a new user meets it: the examples run (each one that uses the Sample source or only the workspace, against
    the Notion fake configured through OBERACONNECT_CONFIG, in a scratch folder), Get-Help -Online opens the README
    section of the cmdlet, the syntax shows friendly type names, and the README's numbers are the module's.
    Module.Tests.ps1 checks that every cmdlet has a synopsis, a description, two examples and every parameter documented.
#>

BeforeDiscovery {
    # The examples are test cases, so they are read while Pester discovers the tests.
    $manifest = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $manifest -Force -ErrorAction Stop
    $script:Examples = foreach ($command in Get-Command -Module OberaConnect | Sort-Object Name) {
        $number = 0
        foreach ($example in (Get-Help -Name $command.Name).examples.example) {
            $number++
            [pscustomobject]@{ Command = $command.Name; Number = $number; Code = ($example.code | Out-String).Trim() }
        }
    }

    function Get-ExampleSkipReason {
        <#
            Why an example cannot run here, or nothing when it can: it needs a file of the user's, a Windows path, a
            variable it does not set, an account of UniFi, NinjaOne or Databricks, a prompt, or it ends the process.
        #>
        param([string] $Code)
        if ($Code -match '\bexit\b') { return 'ends the process (exit)' }
        if ($Code -match 'Read-Host|Get-Credential|notepad|-Confirm(?!:\$false)\b') { return 'asks the user' }
        if ($Code -match '[A-Z]:\\|\$HOME') { return 'uses a Windows or home path' }
        if ($Code -match '(Import-Csv|Get-ChildItem|Get-Content|-ConfigPath|-ConnectionString|-Path|-Parameters)\s+[''"]?\.\\') { return "reads a file of the user's" }
        if ($Code -match 'Databricks|PostgreSql') { return 'needs a Databricks or PostgreSQL server' }
        if ($Code -match 'Register-OberaConnectScheduledTask') { return 'registers a Windows scheduled task' }
        if ($Code -match 'notion\.so/|\b[0-9a-f]{32}\b') { return "names a Notion page of the user's" }
        if ($Code -match '@contoso\.com') { return "names a person of the user's workspace" }
        $assigned = @([regex]::Matches($Code, '\$(\w+)\s*=') | ForEach-Object { $_.Groups[1].Value })
        $automatic = 'env', '_', 'true', 'false', 'null', 'site', 'before', 'siteNames'
        foreach ($used in [regex]::Matches($Code, '\$(\w+)')) {
            $name = $used.Groups[1].Value
            if ($name -notin $assigned -and $name -notin $automatic) { return "uses `$$name, which it does not set" }
        }
        # A source reader without -Source Sample reads the configured UniFi or NinjaOne account; so does a sync that
        # begins a pipeline with no records of its own (its -Source Configured default).
        foreach ($pipeline in $Code -split ';|\r?\n') {
            $segments = @($pipeline -split '\|' | ForEach-Object Trim)
            foreach ($segment in $segments) {
                if ($segment -match '(?<![-\w])(Get-UniFiSite|Get-UniFiDevice|Get-NinjaOne\w+|Get-CustomerSite)\b' -and $segment -notmatch '-Source Sample') { return 'reads UniFi or NinjaOne' }
            }
            foreach ($segment in $segments) {
                if ($segment -match '^Remove-NotionDuplicate\b' -and $segment -notmatch '-WhatIf|-Confirm:\$false|-Force') { return 'asks the user (ConfirmImpact High)' }
            }
            if ($segments[0] -match '^(Sync-Alert|Sync-NetworkDevice|Sync-CustomerStatus|Add-DailyHealthSnapshot)\b' -and $segments[0] -notmatch '-Source Sample|-RetryFailed|-SiteName|-AlertId|-Mac') {
                return 'reads UniFi or NinjaOne'
            }
        }
        if ($Code -match 'Export-NotionDatabase|Initialize-NotionExportStore') { return 'needs an export store' }
    }

    $runnable = @($script:Examples | Where-Object { -not (Get-ExampleSkipReason $_.Code) })
    $notRun = @($script:Examples | Where-Object { Get-ExampleSkipReason $_.Code } | ForEach-Object { "$($_.Command) example $($_.Number): $(Get-ExampleSkipReason $_.Code)" })
    $script:ExampleCases = @($runnable | ForEach-Object { @{ Command = $_.Command; Number = $_.Number; Code = $_.Code } })
    $script:Coverage = @(@{ Examples = @($script:Examples); Run = $script:ExampleCases.Count; NotRun = $notRun })
}

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:Readme = Get-Content -Raw -LiteralPath (Join-Path $PSScriptRoot '../../README.md')
    $script:OnWindows = $PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows
}

AfterAll {
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Help examples' {
    BeforeAll {
        $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'fake')
        $script:Saved = Save-EnvironmentVariable -Name 'OBERACONNECT_CONFIG'
        $env:OBERACONNECT_CONFIG = $script:Fake.ConfigPath
        # The sites the examples name, as a user's workspace would hold them.
        $null = 'Acme Corp', 'Acme Dental' | ForEach-Object { [pscustomobject]@{ SiteName = $_; DevicesOnline = 9; DevicesTotal = 10; BackupStatus = 'Success' } } | Sync-CustomerStatus
        # The site syncs of the whole Sample estate (100 sites, hundreds of devices) run as previews: written for real
        # they take minutes at Notion's three requests a second. A preview still reads the Sample, plans every record
        # against the workspace and answers one result per record; Sync.Tests.ps1 and Sources.Tests.ps1 cover the writes.
        $script:Previewed = 'Sync-CustomerStatus:WhatIf', 'Sync-NetworkDevice:WhatIf', 'Sync-Alert:WhatIf', 'Add-DailyHealthSnapshot:WhatIf'
        foreach ($key in $script:Previewed) { $PSDefaultParameterValues[$key] = $true }
        $script:Scratch = Join-Path $TestDrive 'work'
        $null = New-Item -ItemType Directory -Path $script:Scratch
        Push-Location -LiteralPath $script:Scratch
    }
    AfterAll {
        foreach ($key in $script:Previewed) { $PSDefaultParameterValues.Remove($key) }
        Pop-Location
        Restore-EnvironmentVariable -Saved $script:Saved
        Stop-OberaNotionFake $script:Fake
    }

    It 'runs most examples, and none uses what only Windows has' -ForEach $script:Coverage {
        Write-Host ("Examples not run here:`n  " + ($NotRun -join "`n  "))
        $Run | Should -BeGreaterOrEqual 40
        @($Examples | Where-Object Code -match '\$env:(USERNAME|USERPROFILE|COMPUTERNAME|APPDATA)') | Should -BeNullOrEmpty -Because 'those variables are empty on Linux and macOS'
    }

    It '<Command> example <Number> runs without an error' -ForEach $script:ExampleCases {
        $records = @(& ([scriptblock]::Create($Code)) *>&1)
        $text = $records | Out-String -Width 200
        @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty -Because "the example is:`n$Code`nand wrote:`n$text"
        $text | Should -Not -Match 'Exception' -Because "the example is:`n$Code"
    }

    It 'Register-OberaConnectScheduledTask examples say plainly on Linux and macOS that scheduled tasks are a Windows feature' {
        $examples = @(Get-Help -Name Register-OberaConnectScheduledTask).examples.example | ForEach-Object { [pscustomobject]@{ Code = ($_.code | Out-String).Trim() } }
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $first = ($example.Code -split '\r?\n' | Select-Object -First 1) -replace '^Import-Csv \.\\jobs\.csv \| ', '[pscustomobject]@{ TaskName = ''x''; ScriptPath = ''C:\x.ps1'' } | '
            $failure = $null
            $first = $first -replace '\|\s*$', ''
            if ($first -notmatch '-WhatIf') { $first += ' -WhatIf' }
            try { $null = & ([scriptblock]::Create($first + ' -ErrorAction Stop')) } catch { $failure = $_ }
            if ($script:OnWindows) { $failure | Should -BeNullOrEmpty -Because $first; continue }
            $failure.FullyQualifiedErrorId | Should -BeLike 'WindowsOnlyFeature,*' -Because $first
        }
    }
}

Describe 'Online help and syntax' {
    It 'every cmdlet has a HelpUri at a section the README has, and Get-Help -Online opens it' {
        $headings = [regex]::Matches($script:Readme, '(?m)^#{2,3} (.+)$') | ForEach-Object {
            # GitHub's anchors: lower case, punctuation dropped, spaces as hyphens.
            ($_.Groups[1].Value.ToLowerInvariant() -replace '[^\w\- ]', '' -replace ' ', '-')
        }
        $project = (Import-PowerShellDataFile -LiteralPath $script:ManifestPath).PrivateData.PSData.ProjectUri
        foreach ($command in Get-Command -Module OberaConnect) {
            $uri = $command.HelpUri
            $uri | Should -Match ('^' + [regex]::Escape("$project#")) -Because "$($command.Name) needs a HelpUri"
            ($uri -split '#')[1] | Should -BeIn $headings -Because "$($command.Name) points at $uri"
            $script:Readme | Should -Match ('`' + [regex]::Escape($command.Name) + '`') -Because 'the README names every cmdlet'
        }

        # Get-Help -Online hands the URI to the system's browser opener: a stand-in records what it was given.
        if ($script:OnWindows) { return }
        $bin = Join-Path $TestDrive 'bin'
        $null = New-Item -ItemType Directory -Path $bin -Force
        $opened = Join-Path $bin 'opened.txt'
        Set-Content -LiteralPath (Join-Path $bin 'xdg-open') -Value "#!/bin/sh`nprintf '%s\n' `"`$1`" >> '$opened'"
        & chmod +x (Join-Path $bin 'xdg-open')
        if ($IsMacOS) { Copy-Item -LiteralPath (Join-Path $bin 'xdg-open') -Destination (Join-Path $bin 'open') }
        $path = $env:PATH
        try {
            $env:PATH = $bin + [System.IO.Path]::PathSeparator + $path
            Get-Help -Name Write-ConfigChange -Online
            for ($i = 0; $i -lt 50 -and -not (Test-Path -LiteralPath $opened); $i++) { Start-Sleep -Milliseconds 100 }
        }
        finally {
            $env:PATH = $path
        }
        (Get-Content -LiteralPath $opened) | Should -Be (Get-Command Write-ConfigChange).HelpUri
    }

    It 'shows no C# nullable types in the syntax' {
        foreach ($command in Get-Command -Module OberaConnect) {
            $syntax = (Get-Help -Name $command.Name).syntax | Out-String -Width 1000
            $syntax | Should -Not -Match '<\w+\?>|Nullable' -Because "$($command.Name) shows its types as PowerShell users know them"
        }
        ((Get-Help Sync-CustomerStatus).syntax | Out-String -Width 1000) | Should -Match '-Day <Int32>'
        ((Get-Help Get-DailyHealth).syntax | Out-String -Width 1000) | Should -Match '-Since <DateTime>'
    }
}

Describe 'Default tables' {
    It 'cut no value of the Sample output at 120 columns' {
        # A cut id or message is useless; a long value wraps in its column instead.
        $objects = @(Get-CustomerSite -Source Sample -IncludeMismatches -WarningAction SilentlyContinue)
        $objects += @($objects | Where-Object { -not $_.Message } | Select-Object -First 5 | Get-HealthScore)
        $objects += @(Get-UniFiSite -Source Sample) + @(Get-UniFiDevice -Source Sample | Select-Object -First 50)
        $objects += @(Get-NinjaOneOrganization -Source Sample) + @(Get-NinjaOneDevice -Source Sample | Select-Object -First 50) + @(Get-NinjaOneAlert -Source Sample)
        $groups = @($objects | Group-Object { $_.PSObject.TypeNames[0] })
        $groups.Count | Should -BeGreaterOrEqual 8
        foreach ($group in $groups) {
            $lines = @(($group.Group | Format-Table | Out-String -Width 120) -split '\r?\n')
            @($lines | Where-Object { $_.TrimEnd().EndsWith([string][char]0x2026) -or $_.TrimEnd().EndsWith('...') }) | Should -BeNullOrEmpty -Because "the default table of $($group.Name) must show whole values at 120 columns"
            @($lines | Where-Object { $_.Length -gt 120 }) | Should -BeNullOrEmpty
        }
    }
}

Describe 'README numbers' {
    It 'says how many Sample sites there are' {
        $sites = @(Get-CustomerSite -Source Sample -WarningAction SilentlyContinue)
        $unifi = @(Get-UniFiSite -Source Sample)
        $ninja = @(Get-NinjaOneOrganization -Source Sample)
        $script:Readme | Should -Match "$($unifi.Count) UniFi\s+sites and $($ninja.Count) NinjaOne organizations"
        $script:Readme | Should -Match "``Get-CustomerSite -Source Sample`` returns $($sites.Count) sites"
        $paired = @($sites | Where-Object { -not $_.MissingSources }).Count
        $script:Readme | Should -Match "\($paired paired, $($sites.Count - $paired) found in one system only"
    }
}
