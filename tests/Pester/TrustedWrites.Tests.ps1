#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Writes a person can trust, as users meet them: -WhatIf leaves the journal, audit and state folders byte for byte as
    they were and answers one Skipped result per input; a declined -Confirm is a Skipped result too; -RetryFailed after a
    preview does nothing; an empty pipeline or CSV writes nothing, and piped objects that bind to nothing are errors per
    item; Write-ConfigChange requires what a change is; read filters refuse empty names, take wildcards and report an
    unknown name the same way in every read cmdlet; Remove-NotionDuplicate keeps the page the history points at and moves
    the copies' records to it; an audit folder that cannot be written stops Connect and every writing run; and a sync
    killed with kill -9 (a real child PowerShell), then run again, leaves every page it wrote with an audit line.
    The Notion fake runs as a separate process with the OberaConnect workspace seeded (Fakes.ps1); what was written is
    read back from the fake over its REST API.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    $script:ManifestPath = (Resolve-Path -LiteralPath $script:ManifestPath).ProviderPath
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:SavedEnvironment = Save-EnvironmentVariable 'OBERACONNECT_CONFIG', 'OBERACONNECT_UNATTENDED'
    foreach ($name in $script:SavedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }

    function Get-FolderHash {
        <# Every file under a folder, as "relative path = SHA-256 of its bytes", sorted: equal strings mean byte-for-byte equal folders. #>
        param([string] $Path)
        if (-not (Test-Path -LiteralPath $Path)) { return '' }
        $root = (Resolve-Path -LiteralPath $Path).ProviderPath
        @(Get-ChildItem -LiteralPath $root -Recurse -File -Force | Sort-Object FullName | ForEach-Object {
                $_.FullName.Substring($root.Length) + ' = ' + (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash
            }) -join "`n"
    }

    function Get-AuditLine {
        <# The audit lines of a configuration's audit folder, parsed. #>
        param([string] $ConfigPath)
        $folder = (Get-Content -LiteralPath $ConfigPath -Raw | ConvertFrom-Json).paths.auditDirectory
        # A line a killed writer cut short is not JSON: left out, as the module's own reader leaves it out.
        @(Get-ChildItem -LiteralPath $folder -Filter 'audit-*.jsonl' -ErrorAction SilentlyContinue | ForEach-Object { Get-Content -LiteralPath $_.FullName } |
            Where-Object { $_ } | ForEach-Object { try { $_ | ConvertFrom-Json -ErrorAction Stop } catch { } })
    }

    function New-Site {
        param([string] $Name, [int] $Online = 10)
        [pscustomobject]@{ SiteName = $Name; DevicesOnline = $Online; DevicesTotal = 10; BackupStatus = 'Success'; UniFiStatus = 'Present'; NinjaOneStatus = 'Present' }
    }

    function Get-Page {
        param($Fake, [string] $Database, [string] $Property, [string] $Value)
        Invoke-NotionFakeQuery -Fake $Fake -Database $Database | Where-Object { (Get-NotionFakeText -Page $_ -Property $Property) -eq $Value }
    }
}

AfterAll {
    Restore-EnvironmentVariable -Saved $script:SavedEnvironment
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe '-WhatIf and -Confirm of the syncs' {
    BeforeAll {
        $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'preview')
        $script:Config = $script:Fake.ConfigPath
        $script:Folder = Split-Path -Parent $script:Config
        # A real run first: the audit, the state cache and a journaled failure (a snapshot of a site without a page) exist.
        $null = @(New-Site 'Acme Corp'; New-Site 'Globex') | Sync-CustomerStatus -ConfigPath $script:Config
        $null = New-Site 'Wayne Enterprises' | Add-DailyHealthSnapshot -ConfigPath $script:Config -Date '2026-01-05' -ErrorAction SilentlyContinue
        $paths = (Get-Content -LiteralPath $script:Config -Raw | ConvertFrom-Json).paths
        $script:Folders = @($paths.journalDirectory, $paths.auditDirectory, $paths.stateDirectory)
        foreach ($folder in $script:Folders) { @(Get-ChildItem -LiteralPath $folder -Recurse -File).Count | Should -BeGreaterThan 0 -Because "$folder holds the real run's files" }
    }

    AfterAll { Stop-OberaNotionFake $script:Fake }

    It 'leaves the journal, audit and state folders byte for byte unchanged and answers one Skipped result per input, a would-be failure as a result' {
        $before = $script:Folders | ForEach-Object { Get-FolderHash $_ }
        $pages = @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites).Count

        $sites = @(@(New-Site 'Acme Corp'; New-Site 'Globex' -Online 7; New-Site 'Initech'; New-Site "Bad`tName") |
                Sync-CustomerStatus -ConfigPath $script:Config -WhatIf -ErrorVariable siteErrors)
        $sample = @(Sync-CustomerStatus -Source Sample -ConfigPath $script:Config -WhatIf -ErrorVariable sampleErrors)
        $snapshots = @(@(New-Site 'Acme Corp'; New-Site 'Nowhere') | Add-DailyHealthSnapshot -ConfigPath $script:Config -Date '2026-01-06' -WhatIf -ErrorVariable snapshotErrors)
        $change = @(Write-ConfigChange -Site 'Acme Corp' -Tool sonicwall -Action Update -ConfigPath $script:Config -WhatIf)
        $devices = @(Sync-NetworkDevice -Source Sample -ConfigPath $script:Config -WhatIf -ErrorVariable deviceErrors 3>$null)
        $alerts = @([pscustomobject]@{ AlertId = 'a-1'; SiteName = 'Acme Corp'; Subject = 'Disk low' } | Sync-Alert -ConfigPath $script:Config -WhatIf)

        ($script:Folders | ForEach-Object { Get-FolderHash $_ }) | Should -Be $before
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites).Count | Should -Be $pages
        foreach ($results in $sites, $sample, $snapshots, $change, $devices, $alerts) {
            $results | ForEach-Object { "$($_.Status)" | Should -Be 'Skipped'; $_.Reason | Should -BeLike 'Not written (-WhatIf)*' }
        }
        $sites.Count | Should -Be 4
        @($sites | ForEach-Object { "$($_.WouldBe)" }) | Should -Be @('Unchanged', 'Updated', 'Created', 'Failed')
        $sites[1].Reason | Should -Match 'would update Health Score: \d+ -> \d+.*Devices Online: 10 -> 7'
        $sites[3].ErrorId | Should -Be 'InvalidSiteName'
        $sample.Count | Should -BeGreaterOrEqual 98
        @($snapshots | ForEach-Object { "$($_.WouldBe)" }) | Should -Be @('Created', 'Failed')
        $snapshots[1].ErrorId | Should -Be 'SiteNotInCustomerSites'
        "$($change[0].WouldBe)" | Should -Be 'Created'
        $devices.Count | Should -BeGreaterThan 100
        @($devices | Where-Object { "$($_.WouldBe)" -ne 'Failed' }) | Should -BeNullOrEmpty -Because 'no site of the Sample has a page yet'
        "$($alerts[0].WouldBe)" | Should -Be 'Created'
        @($siteErrors) + @($sampleErrors) + @($snapshotErrors) + @($deviceErrors) | Should -BeNullOrEmpty -Because 'a preview reports would-be failures as results, not error records'
    }

    It 'sends nothing new with -RetryFailed after a preview: only the real run''s failure is retried' {
        $retried = @(Add-DailyHealthSnapshot -ConfigPath $script:Config -RetryFailed -ErrorAction SilentlyContinue)
        $retried.Count | Should -Be 1
        $retried[0].Key | Should -Be 'Wayne Enterprises|2026-01-05'
        @(Sync-NetworkDevice -ConfigPath $script:Config -RetryFailed) | Should -BeNullOrEmpty
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database NetworkDevices) | Should -BeNullOrEmpty
    }

    It 'answers a declined -Confirm with a Skipped result saying what would have been written, and writes nothing' {
        $out = Join-Path $TestDrive 'declined.xml'
        $command = "Import-Module '$script:ManifestPath'; `$r = Sync-CustomerStatus -SiteName 'Declined Site' -DevicesOnline 1 -DevicesTotal 1 -ConfigPath '$script:Config' -Confirm; `$r | ForEach-Object { [pscustomobject]@{ Status = ""`$(`$_.Status)""; WouldBe = ""`$(`$_.WouldBe)""; Reason = `$_.Reason } } | Export-Clixml -LiteralPath '$out'"
        # The child reads its command, then the answer to the prompt, from standard input: N is "No".
        $null = @($command, 'N') | & (Get-TestPowerShell) -NoProfile -Command -
        $result = Import-Clixml -LiteralPath $out
        $result.Status | Should -Be 'Skipped'
        $result.WouldBe | Should -Be 'Created'
        $result.Reason | Should -BeLike 'Not written (declined at the -Confirm prompt): would create it.'
        Get-Page -Fake $script:Fake -Database CustomerSites -Property 'Site Name' -Value 'Declined Site' | Should -BeNullOrEmpty
    }
}

Describe 'Input that is not there' {
    BeforeAll {
        $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'input')
        $script:Config = $script:Fake.ConfigPath
        $null = New-Site 'Acme Corp' | Sync-CustomerStatus -ConfigPath $script:Config
        $script:Journal = (Get-Content -LiteralPath $script:Config -Raw | ConvertFrom-Json).paths.journalDirectory
    }

    AfterAll { Stop-OberaNotionFake $script:Fake }

    It 'writes nothing for an empty pipeline or CSV and says so with -Verbose, never falling back to the default source' {
        $csv = Join-Path $TestDrive 'empty.csv'
        Set-Content -LiteralPath $csv -Value 'SiteName,DevicesOnline,DevicesTotal'
        foreach ($run in { Import-Csv -LiteralPath $csv | Sync-CustomerStatus -ConfigPath $script:Config -Verbose 4>&1 }, { @() | Sync-CustomerStatus -ConfigPath $script:Config -Verbose 4>&1 }) {
            $output = @(& $run)
            @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
            ($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message | Should -Contain 'Nothing was piped in (an empty pipeline or file), so there is no record to write: nothing was written.'
        }
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites).Count | Should -Be 1
    }

    It 'reports each piped object that binds to nothing as an error of its own, and syncs the others' {
        $results = @(@([pscustomobject]@{ Foo = 1 }; New-Site 'Globex'; [pscustomobject]@{ Bar = 2 }) |
                Sync-CustomerStatus -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 1
        $results[0].Key | Should -Be 'Globex'
        @($failures).Count | Should -Be 2
        $failures | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'InputObjectNotBound*' }
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites).Count | Should -Be 2
    }

    It 'refuses piped input together with -Source' {
        { New-Site 'Initech' | Sync-CustomerStatus -Source Sample -ConfigPath $script:Config -ErrorAction Stop } |
            Should -Throw -ErrorId 'PipelineInputWithSource,*'
        Get-Page -Fake $script:Fake -Database CustomerSites -Property 'Site Name' -Value 'Initech' | Should -BeNullOrEmpty
    }

    It 'has the parameter sets a user expects: pipeline or parameters, -Source, and -RetryFailed on its own' {
        foreach ($name in 'Sync-CustomerStatus', 'Add-DailyHealthSnapshot', 'Sync-NetworkDevice', 'Sync-Alert') {
            $command = Get-Command -Name $name
            @($command.ParameterSets.Name | Sort-Object) | Should -Be @('Input', 'RetryFailed', 'Source')
            $command.DefaultParameterSet | Should -Be 'Source'
            $retry = $command.ParameterSets | Where-Object Name -eq 'RetryFailed'
            $own = @($retry.Parameters.Name | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters })
            # The switches that shape how records are checked and written apply to the records a retry rebuilds too.
            $shaping = @('AllowAnyTimestamp', 'RenameSite') | Where-Object { $command.Parameters.ContainsKey($_) }
            @($own | Sort-Object) | Should -Be @(@('ConfigPath', 'RetryFailed', 'Summary') + $shaping | Sort-Object)
            ($retry.Parameters | Where-Object Name -eq 'RetryFailed').IsMandatory | Should -BeTrue
        }
        $write = Get-Command -Name Write-ConfigChange
        @($write.ParameterSets.Name | Sort-Object) | Should -Be @('Input', 'RetryFailed')
        $inputSet = $write.ParameterSets | Where-Object Name -eq 'Input'
        @($inputSet.Parameters | Where-Object IsMandatory | ForEach-Object Name | Sort-Object) | Should -Be @('Action', 'Site', 'Tool')
    }

    It 'requires a change''s site, tool and action per piped row, defaults the engineer to the current user, and journals no invalid input' {
        $results = @(@(
                [pscustomobject]@{ Site = 'Acme Corp'; Action = 'Update' }
                [pscustomobject]@{ Site = 'Acme Corp'; Tool = 'mikrotik'; Action = 'Create'; Timestamp = '2026-01-05T10:00:00Z' }
                [pscustomobject]@{ Site = '   '; Tool = 'unifi'; Action = 'Reboot' }
                [pscustomobject]@{ Site = 'Bad|Name'; Tool = 'unifi'; Action = 'Reboot' }
            ) | Write-ConfigChange -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue)

        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InputObjectMissingMandatory,*'
        $failures[0].Exception.Message | Should -Match 'Tool'
        ($results | Where-Object Status -eq Created).Count | Should -Be 1
        @($results | Where-Object Status -eq Failed).Count | Should -Be 2
        $page = Get-Page -Fake $script:Fake -Database ConfigChanges -Property 'Tool' -Value 'mikrotik'
        Get-NotionFakeText -Page $page -Property 'Engineer' | Should -Be ([Environment]::UserName)
        Get-ChildItem -LiteralPath $script:Journal -Filter 'failed-Write-ConfigChange*' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty -Because 'invalid input fails the same way on every retry'
        @(Write-ConfigChange -RetryFailed -ConfigPath $script:Config) | Should -BeNullOrEmpty
    }
}

Describe 'Read filters' {
    BeforeAll {
        $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'filters')
        $script:Config = $script:Fake.ConfigPath
        $null = @(New-Site 'Bayou Electric'; New-Site 'Bayou Storage'; New-Site 'Globex') | Sync-CustomerStatus -ConfigPath $script:Config
        $null = @(New-Site 'Bayou Electric'; New-Site 'Globex') | Add-DailyHealthSnapshot -ConfigPath $script:Config -Date '2026-01-05'
    }

    AfterAll { Stop-OberaNotionFake $script:Fake }

    It 'refuses an empty, blank or missing name with a clear error instead of returning everything' {
        $cases = @(
            @{ Run = { Get-CustomerStatus -Site '' -ConfigPath $script:Config -ErrorAction Stop }; Says = 'site name is empty' }
            @{ Run = { Get-CustomerStatus -Site '   ' -ConfigPath $script:Config -ErrorAction Stop }; Says = 'site name is empty' }
            @{ Run = { $null | Get-CustomerStatus -ConfigPath $script:Config -ErrorAction Stop }; Says = 'site name is missing' }
            @{ Run = { Get-DailyHealth -Site ' ' -ConfigPath $script:Config -ErrorAction Stop }; Says = 'site name is empty' }
            @{ Run = { Get-ConfigChange -Engineer '' -ConfigPath $script:Config -ErrorAction Stop }; Says = 'engineer name is empty' }
            @{ Run = { Get-CustomerSite -Name ' ' -Source Sample -ErrorAction Stop }; Says = 'site name is empty' }
        )
        foreach ($case in $cases) {
            $output = $null
            $caught = $null
            try { $output = & $case.Run } catch { $caught = $_ }
            $output | Should -BeNullOrEmpty
            $caught | Should -Not -BeNullOrEmpty -Because "$($case.Run) must be refused"
            $caught.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentValidationError*'
            $caught.Exception.Message | Should -BeLike "*$($case.Says). Give a*(wildcards such as 'Bayou*' are allowed)*"
        }
    }

    It 'takes wildcards as Get-Process -Name does' {
        @((Get-CustomerStatus -Site 'bayou*' -ConfigPath $script:Config).SiteName | Sort-Object) | Should -Be @('Bayou Electric', 'Bayou Storage')
        @(Get-CustomerStatus -Site 'Nothing*' -ConfigPath $script:Config -ErrorVariable none) | Should -BeNullOrEmpty
        @($none) | Should -BeNullOrEmpty -Because 'a pattern that matches nothing is not an error'
        @((Get-DailyHealth -Site 'B*', 'Globex' -ConfigPath $script:Config).SiteName | Sort-Object) | Should -Be @('Bayou Electric', 'Globex')
    }

    It 'reports a name without wildcards that matches nothing as the same non-terminating ObjectNotFound error in every read cmdlet' {
        foreach ($name in 'Get-CustomerStatus', 'Get-DailyHealth', 'Get-ConfigChange', 'Get-NetworkDevice', 'Get-Alert') {
            $output = @(& $name -Site 'Nowhere', 'Globex' -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue)
            @($failures).Count | Should -Be 1 -Because $name
            $failures[0].FullyQualifiedErrorId | Should -Be "SiteNotFound,OberaConnect.PowerShell.Commands.$($name -replace '-', '')Command"
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 'Nowhere'
            if ($name -in 'Get-CustomerStatus', 'Get-DailyHealth') { $output.SiteName | Should -Be 'Globex' -Because "$name goes on with the other sites" }
        }
    }
}

Describe 'Remove-NotionDuplicate' {
    BeforeAll {
        $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'dedupe')
        $script:Config = $script:Fake.ConfigPath
        $synced = New-Site 'Bayou Electric' | Add-Member -NotePropertyName UniFiSiteId -NotePropertyValue 'u-bayou' -PassThru
        $null = @($synced; New-Site 'Globex') | Sync-CustomerStatus -ConfigPath $script:Config
        $null = @($synced; New-Site 'Globex') | Add-DailyHealthSnapshot -ConfigPath $script:Config -Date '2026-01-01'
        $null = @($synced; New-Site 'Globex') | Add-DailyHealthSnapshot -ConfigPath $script:Config -Date '2026-01-02'
        $script:Synced = (Get-Page -Fake $script:Fake -Database CustomerSites -Property 'Site Name' -Value 'Bayou Electric').id
        # Two bare pages added by hand, and a snapshot that relates to one of them (as a sync relating to the newest edit would).
        $databases = (Get-Content -LiteralPath $script:Config -Raw | ConvertFrom-Json).databases
        $copies = foreach ($n in 1..2) {
            (Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/pages' -Body @{
                parent     = @{ type = 'data_source_id'; data_source_id = $databases.CustomerSites.dataSourceId }
                properties = @{ 'Site Name' = @{ title = (ConvertTo-NotionText 'Bayou Electric') } }
            }).id
        }
        $null = Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/pages' -Body @{
            parent     = @{ type = 'data_source_id'; data_source_id = $databases.DailyHealth.dataSourceId }
            properties = @{
                'Snapshot'     = @{ title = (ConvertTo-NotionText "Bayou Electric $([char]0x2014) 2026-01-03") }
                'Snapshot Key' = @{ rich_text = (ConvertTo-NotionText 'Bayou Electric|2026-01-03') }
                'Date'         = @{ date = @{ start = '2026-01-03' } }
                'Site'         = @{ relation = @(@{ id = $copies[1] }) }
            }
        }
    }

    AfterAll { Stop-OberaNotionFake $script:Fake }

    It 'keeps the synced page, says which page is kept and trashed and how many records point at each, moves the copies'' records, and the whole history reads back' {
        $duplicate = @(Get-NotionDuplicate -Database CustomerSites -ConfigPath $script:Config)
        $duplicate.Count | Should -Be 1
        ($duplicate[0].KeepPageId -replace '-') | Should -Be ($script:Synced -replace '-')
        @(Get-DailyHealth -Site 'Bayou Electric' -ConfigPath $script:Config).Count | Should -Be 3

        $said = @($duplicate | Remove-NotionDuplicate -ConfigPath $script:Config -Force -Verbose 4>&1)
        $results = @($said | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $texts = @($said | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message | Where-Object { $_ -like 'Move to trash*' })

        $texts.Count | Should -Be 2
        $texts | ForEach-Object {
            $_ | Should -Match "keeping page $(($script:Synced -replace '-').Substring(0, 8)) \(created .*, with source ids, 2 record\(s\) point at it: Daily Health 2\)"
            $_ | Should -Match "Customer Sites 'Bayou Electric': page [0-9a-f]{8} \(created .*, [01] record\(s\) point at it"
        }
        @($texts | Where-Object { $_ -match 'first point its 1 record\(s\) at the kept page' }).Count | Should -Be 1
        @($results | Where-Object { "$($_.Status)" -eq 'Trashed' }).Count | Should -Be 2
        ($results | Measure-Object -Property RelationsMoved -Sum).Sum | Should -Be 1
        @(Get-Page -Fake $script:Fake -Database CustomerSites -Property 'Site Name' -Value 'Bayou Electric').Count | Should -Be 1
        $history = @(Get-DailyHealth -Site 'Bayou Electric' -ConfigPath $script:Config)
        $history.Count | Should -Be 3
        @($history.Date | ForEach-Object { $_.ToString('yyyy-MM-dd') }) | Should -Be @('2026-01-01', '2026-01-02', '2026-01-03')
    }
}

Describe 'Audit and journal folders' {
    BeforeAll {
        $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'folders')
        $blocker = Join-Path $TestDrive 'not-a-folder'
        Set-Content -LiteralPath $blocker -Value 'a file where the audit folder should be'
        $script:Unwritable = Join-Path $blocker 'audit'
        $settings = Get-Content -LiteralPath $script:Fake.ConfigPath -Raw | ConvertFrom-Json
        $settings.paths.auditDirectory = $script:Unwritable
        $script:Config = Join-Path $TestDrive 'folders/unwritable.json'
        [System.IO.File]::WriteAllText($script:Config, ($settings | ConvertTo-Json -Depth 10), [System.Text.UTF8Encoding]::new($false))
    }

    AfterAll {
        Disconnect-OberaConnect -ErrorAction SilentlyContinue
        Stop-OberaNotionFake $script:Fake
    }

    It 'stops Connect and a writing run with a terminating error naming the folder and the setting, before anything is written' {
        foreach ($run in { Connect-OberaConnect -ConfigPath $script:Config }, { New-Site 'Acme Corp' | Sync-CustomerStatus -ConfigPath $script:Config },
            { Add-AzurePipelineService -Name 'Azure VPN' -Category Other -ConfigPath $script:Config }) {
            $caught = $null
            try { & $run } catch { $caught = $_ }
            $caught | Should -Not -BeNullOrEmpty
            $caught.FullyQualifiedErrorId | Should -BeLike 'AuditFolderNotWritable,*'
            $caught.Exception.Message | Should -BeLike "*'$script:Unwritable'*paths.auditDirectory*"
        }
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites) | Should -BeNullOrEmpty
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database AzurePipeline) | Should -BeNullOrEmpty
        # A preview writes nothing, so it needs no folder.
        "$((New-Site 'Acme Corp' | Sync-CustomerStatus -ConfigPath $script:Config -WhatIf).WouldBe)" | Should -Be 'Created'
    }
}

Describe 'A sync killed with kill -9, then run again' {
    BeforeAll {
        $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'killed')
        $script:Config = $script:Fake.ConfigPath
    }

    AfterAll { Stop-OberaNotionFake $script:Fake }

    It 'leaves every page it wrote with an audit line, and the rerun settles what the killed run left open' {
        # A real child PowerShell from $PSHOME runs the sync; the module paces itself to Notion's 3 requests/s, so it is
        # killed while it is writing.
        $log = Join-Path $TestDrive 'killed-child.txt'
        $command = "Import-Module '$script:ManifestPath'; Sync-CustomerStatus -Source Sample -ConfigPath '$($script:Config)' | Out-Null"
        $child = Start-Process -FilePath (Get-TestPowerShell) -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', "`"$($command -replace '"', '\"')`"") -PassThru -RedirectStandardOutput $log -RedirectStandardError "$log.err"
        $deadline = (Get-Date).AddSeconds(120)
        do {
            Start-Sleep -Milliseconds 250
            $written = @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites).Count
        } while ($written -lt 10 -and -not $child.HasExited -and (Get-Date) -lt $deadline)
        $child.HasExited | Should -BeFalse -Because "the sync must still be running to be killed ($(Get-Content -LiteralPath "$log.err" -Raw))"
        Stop-Process -Id $child.Id -Force   # SIGKILL on Linux and macOS, TerminateProcess on Windows: no cleanup runs
        $child.WaitForExit(10000) | Should -BeTrue

        $pages = @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites)
        $pages.Count | Should -BeGreaterOrEqual 10
        $pages.Count | Should -BeLessThan 98
        $lines = Get-AuditLine -ConfigPath $script:Config
        $killedRun = ($lines | Where-Object outcome -eq 'Intended' | Select-Object -First 1).correlationId
        @($lines | Where-Object { $_.correlationId -eq $killedRun -and $null -eq $_.key }) | Should -BeNullOrEmpty -Because 'the killed run never wrote its own end line'
        foreach ($page in $pages) {
            $key = Get-NotionFakeText -Page $page -Property 'Site Name'
            @($lines | Where-Object key -eq $key) | Should -Not -BeNullOrEmpty -Because "page '$key' was written ahead into the audit"
        }
        $open = @($lines | Where-Object { $_.correlationId -eq $killedRun -and $_.outcome -eq 'Intended' } | Where-Object {
                $intent = $_
                -not ($lines | Where-Object { $_.correlationId -eq $killedRun -and $_.key -eq $intent.key -and $_.outcome -ne 'Intended' })
            })
        # Up to three writes are in flight at once, each announced before it waits for its turn: killed, they stay open.
        $open.Count | Should -BeGreaterThan 0 -Because 'the kill lands while writes are announced but not finished'

        $rerun = @(Sync-CustomerStatus -Source Sample -ConfigPath $script:Config -WarningVariable reconciled 3>$null)

        @($rerun | Where-Object Status -eq Failed) | Should -BeNullOrEmpty
        $after = @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites)
        $keys = @($after | ForEach-Object { Get-NotionFakeText -Page $_ -Property 'Site Name' })
        $keys.Count | Should -Be @($rerun).Count
        @($keys | Group-Object | Where-Object Count -gt 1) | Should -BeNullOrEmpty -Because 'nothing is written twice'
        $lines = Get-AuditLine -ConfigPath $script:Config
        foreach ($key in $keys) {
            @($lines | Where-Object { $_.key -eq $key -and $_.outcome -in 'Created', 'Unchanged', 'Reconciled' }) | Should -Not -BeNullOrEmpty -Because "page '$key' has an audit line with its outcome"
        }
        @($lines | Where-Object { $_.outcome -eq 'Reconciled' -and $_.correlationId -eq $killedRun }).Count | Should -Be $open.Count
        @($reconciled | Where-Object { "$_" -like '*ended before recording the outcome*' }).Count | Should -Be $open.Count
    }
}
