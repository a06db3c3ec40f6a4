#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Main-path tests of the site syncs (Sync-CustomerStatus, Add-DailyHealthSnapshot, Write-ConfigChange,
    Sync-NetworkDevice, Sync-Alert) as users run them: the module imported by path, the Notion fake running as
    a separate process with the OberaConnect workspace seeded, and -ConfigPath pointing at it. What was written
    is read back from the fake over its REST API, never taken from the results alone.
    The engine's behaviour in depth (faults, crashes, journal) is covered by the xUnit end-to-end tests
    (tests/OberaConnect.Engine.Tests/EndToEnd/SiteSyncTests.cs); these check the PowerShell surface.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'fake')
    $script:Config = $script:Fake.ConfigPath

    function New-Site {
        param([string] $Name, [int] $Online = 10, [int] $Total = 10, [int] $Critical = 0, [string] $Backup = 'Success')
        [pscustomobject]@{
            SiteName       = $Name
            DevicesOnline  = $Online
            DevicesTotal   = $Total
            WifiClients    = 25
            ActiveAlerts   = $Critical
            CriticalAlerts = $Critical
            WarningAlerts  = 0
            OpenTickets    = 1
            BackupStatus   = $Backup
            ConfigDrift    = $false
            UniFiStatus    = 'Present'
            NinjaOneStatus = 'Present'
        }
    }

    function Get-Page {
        param([string] $Database, [string] $Property, [string] $Value)
        Invoke-NotionFakeQuery -Fake $script:Fake -Database $Database | Where-Object { (Get-NotionFakeText -Page $_ -Property $Property) -eq $Value }
    }

    # Customer Sites first: every other sync relates to its pages.
    $script:Seeded = @(New-Site 'Acme Corp'; New-Site 'Globex' -Online 8; New-Site 'Initech' -Critical 1) | Sync-CustomerStatus -ConfigPath $script:Config
}

AfterAll {
    Stop-OberaNotionFake $script:Fake
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Sync-CustomerStatus' {
    It 'creates one page per piped site and returns one SyncResult each' {
        $script:Seeded.Count | Should -Be 3
        $script:Seeded | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'OberaConnect.Engine.Sync.SyncResult' }
        @($script:Seeded | Where-Object Status -eq Created).Count | Should -Be 3
        $page = Get-Page -Database CustomerSites -Property 'Site Name' -Value 'Globex'
        @($page).Count | Should -Be 1
        Get-NotionFakeText -Page $page -Property 'Devices Offline' | Should -Be 2
        Get-NotionFakeText -Page $page -Property 'Health Score' | Should -Be 94
        Get-NotionFakeText -Page $page -Property 'Risk Level' | Should -Be 'Low'
    }

    It 'writes nothing when nothing changed' {
        $again = @(New-Site 'Acme Corp'; New-Site 'Globex' -Online 8) | Sync-CustomerStatus -ConfigPath $script:Config
        @($again | Where-Object Status -ne Unchanged).Count | Should -Be 0
    }

    It 'updates only what changed and says which properties' {
        $result = New-Site 'Acme Corp' -Online 6 | Sync-CustomerStatus -ConfigPath $script:Config
        $result.Status | Should -Be 'Updated'
        $result.ChangedProperties | Should -Contain 'Devices Online'
        $result.ChangedProperties | Should -Contain 'Health Score'
        Get-NotionFakeText -Page (Get-Page -Database CustomerSites -Property 'Site Name' -Value 'Acme Corp') -Property 'Devices Online' | Should -Be 6
    }

    It 'reports a bad site as Failed with an error record and goes on with the rest' {
        $results = @(New-Site "Bad`tName"; New-Site 'Umbrella') | Sync-CustomerStatus -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $failed = @($results | Where-Object Status -eq Failed)
        $failed.Count | Should -Be 1
        $failed[0].ErrorId | Should -Be 'InvalidSiteName'
        @($failures).Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidSiteName*'
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        ($results | Where-Object Key -eq 'Umbrella').Status | Should -Be 'Created'
    }

    It 'binds CSV rows by property name' {
        $csv = Join-Path $TestDrive 'sites.csv'
        "SiteName,DevicesOnline,DevicesTotal,BackupStatus,ConfigDrift`nHooli,3,4,Partial,yes" | Set-Content -LiteralPath $csv
        $result = Import-Csv -LiteralPath $csv | Sync-CustomerStatus -ConfigPath $script:Config
        $result.Status | Should -Be 'Created'
        $page = Get-Page -Database CustomerSites -Property 'Site Name' -Value 'Hooli'
        Get-NotionFakeText -Page $page -Property 'Backup Status' | Should -Be 'Partial'
        $page.properties.'Config Drift'.checkbox | Should -BeTrue
    }

    It 'writes nothing with -WhatIf and says what it would do' {
        $output = @(New-Site 'Never Written' | Sync-CustomerStatus -ConfigPath $script:Config -WhatIf)
        $output.Count | Should -Be 1
        "$($output[0].Status)" | Should -Be 'Skipped'
        "$($output[0].WouldBe)" | Should -Be 'Created'
        Get-Page -Database CustomerSites -Property 'Site Name' -Value 'Never Written' | Should -BeNullOrEmpty
    }

    It 'adds the summary with -Summary' {
        $output = @(New-Site 'Acme Corp' -Online 6 | Sync-CustomerStatus -ConfigPath $script:Config -Summary)
        $summary = $output[-1]
        $summary.PSObject.TypeNames[0] | Should -Be 'OberaConnect.Engine.Sync.SyncSummary'
        $summary.Unchanged | Should -Be 1
        $summary.Requests | Should -BeGreaterOrEqual 1
    }

    It 'syncs the Sample source when nothing is piped' {
        $results = Sync-CustomerStatus -ConfigPath $script:Config -Source Sample
        @($results).Count | Should -BeGreaterOrEqual 98
        @($results | Where-Object Status -eq Failed) | Should -BeNullOrEmpty
    }

    It 'reports progress with counts per status and ends it with a Completed record' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddCommand('Import-Module').AddParameter('Name', $script:ManifestPath).AddStatement()
            $null = $ps.AddCommand('Sync-CustomerStatus').AddParameter('ConfigPath', $script:Config).AddParameter('Source', 'Sample')
            $results = @($ps.Invoke())
            $results.Count | Should -BeGreaterOrEqual 98
            $progress = @($ps.Streams.Progress | Where-Object Activity -eq 'Sync-CustomerStatus')
            $progress[-1].RecordType | Should -Be 'Completed'
            # Read from -Source, the total is known: "N of M record(s) (P%): counts per status", at most about four a
            # second (Feedback.Tests.ps1 checks the time left), and the last one says all of them are done.
            $counting = @($progress | Where-Object RecordType -eq 'Processing')
            $counting.Count | Should -BeGreaterOrEqual 1
            $counting | ForEach-Object { $_.StatusDescription | Should -Match "^\d+ of $($results.Count) record\(s\) \(\d+%\): \d+ created, \d+ updated, \d+ unchanged, \d+ skipped, \d+ failed" }
            $counting[-1].StatusDescription | Should -Match "^$($results.Count) of $($results.Count) record\(s\) \(100%\): .*; done$"
        }
        finally { $ps.Dispose() }
    }

    It 'takes Get-CustomerSite objects: Get-CustomerSite -Source Sample | Sync-CustomerStatus | Where-Object Status -eq Failed' {
        $failed = Get-CustomerSite -Source Sample | Sync-CustomerStatus -ConfigPath $script:Config | Where-Object Status -eq Failed
        $failed | Should -BeNullOrEmpty
    }
}

Describe 'Add-DailyHealthSnapshot' {
    It 'adds one snapshot per site related to its page, and nothing on a rerun' {
        $first = @(New-Site 'Acme Corp'; New-Site 'Globex') | Add-DailyHealthSnapshot -ConfigPath $script:Config -Date '2026-01-05'
        @($first | Where-Object Status -eq Created).Count | Should -Be 2
        $snapshot = Get-Page -Database DailyHealth -Property 'Snapshot Key' -Value 'Acme Corp|2026-01-05'
        Get-NotionFakeText -Page $snapshot -Property 'Date' | Should -Be '2026-01-05'
        $site = Get-Page -Database CustomerSites -Property 'Site Name' -Value 'Acme Corp'
        (Get-NotionFakeText -Page $snapshot -Property 'Site') -replace '-' | Should -Be ($site.id -replace '-')

        $again = @(New-Site 'Acme Corp'; New-Site 'Globex') | Add-DailyHealthSnapshot -ConfigPath $script:Config -Date '2026-01-05'
        @($again | Where-Object Status -eq Created) | Should -BeNullOrEmpty
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database DailyHealth).Count | Should -Be 2
    }

    It 'fails a site without a Customer Sites page, naming the fix, and -RetryFailed writes it once the page exists' {
        $result = New-Site 'Wayne Enterprises' | Add-DailyHealthSnapshot -ConfigPath $script:Config -Date '2026-01-06' -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $result.ErrorId | Should -Be 'SiteNotInCustomerSites'
        $result.Error | Should -Match 'Sync-CustomerStatus'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SiteNotInCustomerSites*'

        New-Site 'Wayne Enterprises' | Sync-CustomerStatus -ConfigPath $script:Config | Out-Null
        $retried = @(Add-DailyHealthSnapshot -ConfigPath $script:Config -RetryFailed)
        $retried.Count | Should -Be 1
        $retried[0].Key | Should -Be 'Wayne Enterprises|2026-01-06'
        $retried[0].Status | Should -Be 'Created'
    }
}

Describe 'Write-ConfigChange' {
    It 'imports a CSV change log and a second import adds nothing' {
        $csv = Join-Path $TestDrive 'changes.csv'
        @(
            'Site,Tool,Action,Engineer,Timestamp,Details,TargetDevice,Ticket'
            'Acme Corp,sonicwall,Update,jdoe,2026-01-05T14:32:00Z,Added address object LAN-printers,fw01,T-100'
            'Globex,unifi,Reboot,asmith,2026-01-05T15:00:00Z,Rebooted after firmware,usw-24,'
        ) | Set-Content -LiteralPath $csv
        $first = Import-Csv -LiteralPath $csv | Write-ConfigChange -ConfigPath $script:Config
        @($first | Where-Object Status -eq Created).Count | Should -Be 2
        $first | ForEach-Object { $_.Key | Should -Match '^auto-[0-9a-f]{16}$' }

        $again = Import-Csv -LiteralPath $csv | Write-ConfigChange -ConfigPath $script:Config
        @($again | Where-Object Status -ne Unchanged) | Should -BeNullOrEmpty
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database ConfigChanges).Count | Should -Be 2
    }

    It 'never modifies an existing Change ID' {
        $first = Write-ConfigChange -ConfigPath $script:Config -Site 'Acme Corp' -Tool mikrotik -Action Create -Engineer jdoe -ChangeId 'MT-1' -Details 'first'
        $first.Status | Should -Be 'Created'
        $second = Write-ConfigChange -ConfigPath $script:Config -Site 'Acme Corp' -Tool mikrotik -Action Create -Engineer jdoe -ChangeId 'MT-1' -Details 'second'
        $second.Status | Should -Be 'Skipped'
        $second.Reason | Should -Match 'immutable'
        Get-NotionFakeText -Page (Get-Page -Database ConfigChanges -Property 'Change ID' -Value 'MT-1') -Property 'Details' | Should -Be 'first'
    }
}

Describe 'Sync-NetworkDevice' {
    BeforeAll {
        # The device's name is the same whichever way its MAC is written: only the MAC's notation changes between runs.
        function New-Device([string] $Site, [string] $Mac, [string] $Status = 'online') {
            [pscustomobject]@{ SiteName = $Site; Mac = $Mac; Name = 'dev-' + ($Mac -replace '[^0-9A-Fa-f]', '').ToLowerInvariant(); Model = 'USW-24'; Kind = 'network'; IpAddress = '10.0.0.9'; Status = $Status; Source = 'UniFi' }
        }
    }

    It 'upserts piped devices by MAC and marks the one gone from a covered site' {
        $first = @(New-Device 'Initech' 'AA-BB-CC-00-00-01'; New-Device 'Initech' 'aa:bb:cc:00:00:02') | Sync-NetworkDevice -ConfigPath $script:Config
        @($first | Where-Object Status -eq Created).Count | Should -Be 2
        $first.Key | Should -Contain 'aa:bb:cc:00:00:01'

        $second = New-Device 'Initech' 'aa:bb:cc:00:00:01' | Sync-NetworkDevice -ConfigPath $script:Config
        ($second | Where-Object Key -eq 'aa:bb:cc:00:00:01').Status | Should -Be 'Unchanged'
        ($second | Where-Object Key -eq 'aa:bb:cc:00:00:02').Status | Should -Be 'Updated'
        Get-NotionFakeText -Page (Get-Page -Database NetworkDevices -Property 'MAC' -Value 'aa:bb:cc:00:00:02') -Property 'Status' | Should -Be 'Gone From Source'
    }

    It 'leaves missing devices alone with -SkipMissing, and passes NinjaOne computers over' {
        $result = @(New-Device 'Initech' 'aa:bb:cc:00:00:03'; [pscustomobject]@{ SiteName = 'Initech'; Name = 'SRV01'; Source = 'NinjaOne' }) |
            Sync-NetworkDevice -ConfigPath $script:Config -SkipMissing
        @($result).Count | Should -Be 1
        $result.Status | Should -Be 'Created'
        Get-NotionFakeText -Page (Get-Page -Database NetworkDevices -Property 'MAC' -Value 'aa:bb:cc:00:00:01') -Property 'Status' | Should -Be 'Online'
    }
}

Describe 'Sync-Alert' {
    It 'creates open alerts and resolves the one that cleared' {
        $alerts = @(
            [pscustomobject]@{ AlertId = 'uid-1'; SiteName = 'Globex'; Severity = 'CRITICAL'; Subject = 'Disk C: below 5%'; DeviceName = 'SRV01' }
            [pscustomobject]@{ AlertId = 'uid-2'; SiteName = 'Globex'; Severity = 'MINOR'; Subject = 'Reboot pending'; DeviceName = 'WS07' }
        )
        $first = $alerts | Sync-Alert -ConfigPath $script:Config
        @($first | Where-Object Status -eq Created).Count | Should -Be 2

        $second = $alerts[1] | Sync-Alert -ConfigPath $script:Config
        ($second | Where-Object Key -eq 'uid-1').ChangedProperties | Should -Contain 'Resolved At'
        $page = Get-Page -Database Alerts -Property 'Alert UID' -Value 'uid-1'
        Get-NotionFakeText -Page $page -Property 'Status' | Should -Be 'Resolved'
        Get-NotionFakeText -Page $page -Property 'Resolved At' | Should -Not -BeNullOrEmpty
    }
}
