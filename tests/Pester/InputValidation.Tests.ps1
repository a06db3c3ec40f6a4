#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Bad input through the PowerShell surface (issue "Bad input never lands"): the cases a new user tried, and a sample of
    the hostile values the xUnit fuzz test (tests/OberaConnect.Engine.Tests/Validation/InputFuzzTests.cs) drives through
    every field. Each bad value must be a non-terminating InvalidInput error naming the field, with nothing written to the
    Notion fake (pages are counted over its REST API, requests by the run's -Summary); nothing may end a run early.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'fake')
    $script:Config = $script:Fake.ConfigPath
    $script:AuditDirectory = (Get-Content -LiteralPath $script:Config -Raw | ConvertFrom-Json).paths.auditDirectory
    $script:InputErrorIds = 'InvalidNumber', 'ValueOutOfRange', 'InvalidEnumValue', 'TextTooLong', 'InvalidText', 'InvalidTimestamp', 'ImplausibleTimestamp',
        'InvalidIpAddress', 'InvalidFlag', 'InvalidSiteName', 'InvalidMacAddress', 'MissingConfigChangeField', 'MissingAlertId'

    function Get-PageCount {
        param([string] $Database)
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database $Database).Count
    }

    function Get-Page {
        param([string] $Database, [string] $Property, [string] $Value)
        Invoke-NotionFakeQuery -Fake $script:Fake -Database $Database | Where-Object { (Get-NotionFakeText -Page $_ -Property $Property) -eq $Value }
    }

    # Outcome lines and run lines; the write-ahead intent before each request is not counted.
    function Get-AuditLineCount {
        @(Get-ChildItem -LiteralPath $script:AuditDirectory -Filter 'audit-*.jsonl' -ErrorAction SilentlyContinue | Get-Content |
                Where-Object { $_ -and ($_ | ConvertFrom-Json).outcome -ne 'Intended' }).Count
    }

    $null = [pscustomobject]@{ SiteName = 'Bayou Electric'; DevicesOnline = 5; DevicesTotal = 5 } | Sync-CustomerStatus -ConfigPath $script:Config
}

AfterAll {
    Stop-OberaNotionFake $script:Fake
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Numbers' {
    It 'refuses NaN and infinities piped or as parameters, for that site alone, and the run still ends with its audit lines' {
        $before = Get-AuditLineCount
        $sites = @(
            [pscustomobject]@{ SiteName = 'NaN Alpha'; DevicesOnline = 1; DevicesTotal = 1 }
            [pscustomobject]@{ SiteName = 'NaN Bravo'; WanUptimePercent = [double]::NaN }
            [pscustomobject]@{ SiteName = 'NaN Charlie'; DevicesOnline = 2; DevicesTotal = 2 }
        )
        $results = $sites | Sync-CustomerStatus -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
        ($results | Where-Object Status -eq Created).Key | Sort-Object | Should -Be @('NaN Alpha', 'NaN Charlie')
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNumber,*'
        $failures[0].Exception.Message | Should -BeLike "*Customer site 'NaN Bravo': the WanUptimePercent 'NaN' is not a number*"
        $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        Get-Page -Database CustomerSites -Property 'Site Name' -Value 'NaN Bravo' | Should -BeNullOrEmpty
        (Get-AuditLineCount) - $before | Should -Be 4 # three sites and the run

        $param = Sync-CustomerStatus -SiteName 'NaN Delta' -WanUptimePercent ([double]::PositiveInfinity) -ConfigPath $script:Config -ErrorVariable infinity -ErrorAction SilentlyContinue
        $param.Status | Should -Be 'Failed'
        $infinity[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNumber,*'

        $snapshot = Add-DailyHealthSnapshot -SiteName 'Bayou Electric' -WanUptimePercent ([double]::NaN) -ConfigPath $script:Config -ErrorAction SilentlyContinue
        $snapshot.Status | Should -Be 'Failed'
        Get-PageCount -Database DailyHealth | Should -Be 0
    }

    It 'reports a value PowerShell cannot convert instead of dropping it, and names every field at fault' {
        $result = [pscustomobject]@{ SiteName = 'Convert X'; DevicesOnline = 'abc'; DevicesTotal = 1e12 } |
            Sync-CustomerStatus -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNumber,*'
        $failures[0].Exception.Message | Should -BeLike "*the DevicesOnline 'abc' is not a number*"
        $failures[0].Exception.Message | Should -BeLike "*the DevicesTotal '1000000000000' is outside the range 0 to 1,000,000*"
        Get-Page -Database CustomerSites -Property 'Site Name' -Value 'Convert X' | Should -BeNullOrEmpty
    }

    It 'refuses negative counts, more online than total, and a percentage over 100' {
        $cases = @(
            @{ SiteName = 'Range A'; DevicesOnline = -5; DevicesTotal = -1 }
            @{ SiteName = 'Range B'; DevicesOnline = 100; DevicesTotal = 10 }
            @{ SiteName = 'Range C'; WanUptimePercent = 150 }
            @{ SiteName = 'Range D'; WifiClients = 2.5 }
        )
        $results = $cases | ForEach-Object { [pscustomobject]$_ } | Sync-CustomerStatus -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
        @($results | Where-Object Status -eq Failed).Count | Should -Be 4
        $failures.FullyQualifiedErrorId | ForEach-Object { ($_ -split ',')[0] } | Should -Be @('ValueOutOfRange', 'ValueOutOfRange', 'ValueOutOfRange', 'InvalidNumber')
        foreach ($name in 'Range A', 'Range B', 'Range C', 'Range D') { Get-Page -Database CustomerSites -Property 'Site Name' -Value $name | Should -BeNullOrEmpty }
    }

    It 'takes numbers from CSV text exactly' {
        $csv = @('SiteName,DevicesOnline,DevicesTotal,WanUptimePercent', 'Csv Site,9,10,99.5') | ConvertFrom-Csv
        ($csv | Sync-CustomerStatus -ConfigPath $script:Config).Status | Should -Be 'Created'
        $page = Get-Page -Database CustomerSites -Property 'Site Name' -Value 'Csv Site'
        Get-NotionFakeText -Page $page -Property 'Devices Online' | Should -Be 9
        Get-NotionFakeText -Page $page -Property 'WAN Uptime' | Should -Be 0.995
    }

    It 'refuses impossible counts in Get-HealthScore' {
        $null = Get-HealthScore -DevicesOnline 11 -DevicesTotal 10 -ErrorVariable over -ErrorAction SilentlyContinue
        $over[0].FullyQualifiedErrorId | Should -BeLike 'ValueOutOfRange,*'
        $null = Get-HealthScore -DevicesOnline -3 -DevicesTotal 10 -ErrorVariable negative -ErrorAction SilentlyContinue
        $negative[0].FullyQualifiedErrorId | Should -BeLike 'ValueOutOfRange,*'
        (Get-HealthScore -DevicesOnline '9' -DevicesTotal 10 -ConfigDrift yes).ConfigCompliancePointsLost | Should -Be 15
    }
}

Describe 'Enumerated values, timestamps and text' {
    It 'refuses a Result outside its set with the set in the message, and completes the set with Tab' {
        $result = Write-ConfigChange -Site 'Bayou Electric' -Tool unifi -Action Update -Engineer jdoe -Result Exploded -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $result.Status | Should -Be 'Failed'
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEnumValue,*'
        $failures[0].Exception.Message | Should -BeLike "*the Result 'Exploded' does not belong to the set Success, Failed, Partial, Rolled Back*"
        Get-PageCount -Database ConfigChanges | Should -Be 0

        $line = 'Write-ConfigChange -Result Ro'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @("'Rolled Back'")
        $line = 'Sync-CustomerStatus -BackupStatus '
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('Success', 'Partial', 'Failed', 'Unknown')
        $line = 'Sync-Alert -Severity M'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('MINOR', 'MODERATE', 'MAJOR')
        $line = 'Sync-CustomerStatus -UniFiStatus Not'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('NotMatched', 'NotConfigured')
    }

    It 'refuses a year-1 timestamp unless -AllowAnyTimestamp says it is right' {
        $null = Write-ConfigChange -Site 'Bayou Electric' -Tool unifi -Action Update -Engineer jdoe -Timestamp ([DateTimeOffset]::MinValue) -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ImplausibleTimestamp,*'
        Get-PageCount -Database ConfigChanges | Should -Be 0
        $old = Write-ConfigChange -Site 'Bayou Electric' -Tool unifi -Action Update -Engineer jdoe -Timestamp '1999-12-31T10:00:00Z' -AllowAnyTimestamp -ConfigPath $script:Config
        $old.Status | Should -Be 'Created'
        $stored = Get-NotionFakeText -Page (Get-Page -Database ConfigChanges -Property 'Change ID' -Value $old.Key) -Property 'Timestamp'
        ([DateTimeOffset]$stored).UtcDateTime.ToString('yyyy-MM-dd HH:mm') | Should -Be '1999-12-31 10:00'
        { Add-DailyHealthSnapshot -Date ([datetime]::MinValue) -SiteName 'Bayou Electric' -ConfigPath $script:Config } | Should -Throw -ErrorId 'ImplausibleTimestamp,*'
    }

    It 'refuses over-long names with the limit and the length, quoting at most 100 characters' {
        $null = Write-ConfigChange -Site 'Bayou Electric' -Tool unifi -Action Update -Engineer ('e' * 5000) -ConfigPath $script:Config -ErrorVariable engineer -ErrorAction SilentlyContinue
        $engineer[0].FullyQualifiedErrorId | Should -BeLike 'TextTooLong,*'
        $engineer[0].Exception.Message | Should -BeLike '*is 5,000 characters long; at most 200 are accepted*'
        $null = Write-ConfigChange -Site 'Bayou Electric' -Tool ('t' * 500) -Action Update -Engineer jdoe -ConfigPath $script:Config -ErrorVariable tool -ErrorAction SilentlyContinue
        $tool[0].Exception.Message | Should -BeLike '*at most 100 are accepted*'
        $result = Write-ConfigChange -Site 'Bayou Electric' -Tool unifi -Action Update -Engineer jdoe -ChangeId ('x' * 5000) -ConfigPath $script:Config -ErrorVariable id -ErrorAction SilentlyContinue
        $id[0].Exception.Message.Length | Should -BeLessThan 700
        ($result | Out-String).Length + ($id | Out-String).Length | Should -BeLessThan 3000
        Get-PageCount -Database ConfigChanges | Should -Be 1 # only the 1999 change
    }

    It 'removes control characters from details with a warning' {
        $result = Write-ConfigChange -Site 'Bayou Electric' -Tool unifi -Action Update -Engineer jdoe -Details "a`0b`ac" -ChangeId 'ctrl-1' -ConfigPath $script:Config -WarningVariable warned -WarningAction SilentlyContinue
        $result.Status | Should -Be 'Created'
        $warned.Message | Should -BeLike '*2 control or invisible formatting character(s) were removed from Details*'
        Get-NotionFakeText -Page (Get-Page -Database ConfigChanges -Property 'Change ID' -Value 'ctrl-1') -Property 'Details' | Should -Be 'abc'
    }
}

Describe 'Site names' {
    It 'treats case and spacing variants as the existing site: no second page, no silent rename' {
        $results = @('Bayou  Electric', 'BAYOU ELECTRIC') | ForEach-Object { [pscustomobject]@{ SiteName = $_; DevicesOnline = 5; DevicesTotal = 5 } } |
            Sync-CustomerStatus -ConfigPath $script:Config -WarningVariable warned -WarningAction SilentlyContinue
        @(Get-Page -Database CustomerSites -Property 'Site Name' -Value 'Bayou Electric').Count | Should -Be 1
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites | Where-Object { (Get-NotionFakeText -Page $_ -Property 'Site Name') -match '^bayou\s+electric$' }).Count | Should -Be 1
        $results[0].Status | Should -Be 'Unchanged'
        $results[0].Reason | Should -BeLike "*keeps its Site Name 'Bayou Electric'*"
        $warned.Message | Should -BeLike '*-RenameSite*'
        (Get-CustomerStatus -Site 'bayou  ELECTRIC' -ConfigPath $script:Config).SiteName | Should -Be 'Bayou Electric'
    }

    It 'renames only with -RenameSite, and says so' {
        $renamed = Sync-CustomerStatus -SiteName 'BAYOU ELECTRIC' -DevicesOnline 5 -DevicesTotal 5 -RenameSite -ConfigPath $script:Config -WarningAction SilentlyContinue
        $renamed.Status | Should -Be 'Updated'
        $renamed.Reason | Should -Be "Renamed: Site Name 'Bayou Electric' becomes 'BAYOU ELECTRIC'."
        Get-Page -Database CustomerSites -Property 'Site Name' -Value 'BAYOU ELECTRIC' | Should -Not -BeNullOrEmpty
        $null = Sync-CustomerStatus -SiteName 'Bayou Electric' -DevicesOnline 5 -DevicesTotal 5 -RenameSite -ConfigPath $script:Config -WarningAction SilentlyContinue
    }
}

Describe 'Reads and setup' {
    It 'refuses an unknown property name of Get-NotionPage, listing the properties' {
        $null = Get-NotionPage -Database CustomerSites -Property NoSuchProperty -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnknownProperty,*'
        $failures[0].Exception.Message | Should -BeLike '*Use one of: *Health Score*Site Name*'
        $null = Get-NotionDuplicate -Database CustomerSites -Property Colour -ConfigPath $script:Config -ErrorVariable duplicates -ErrorAction SilentlyContinue
        $duplicates[0].FullyQualifiedErrorId | Should -BeLike 'UnknownProperty,*'
    }

    It 'says a -ConfigPath that names a folder is a folder' {
        { Connect-OberaConnect -ConfigPath $TestDrive } | Should -Throw -ExpectedMessage '*is a folder, not a configuration file*'
    }
}

Describe 'A sample of the fuzz list through the cmdlets' {
    BeforeAll {
        $script:Hostile = @(
            @{ Label = 'empty'; Value = '' }
            @{ Label = '5,000 characters'; Value = ('x' * 5000) }
            @{ Label = 'NUL'; Value = "a`0b" }
            @{ Label = 'RTL override'; Value = "`u{202E}gnp.exe" }
            @{ Label = 'emoji'; Value = 'Site 🔥' }
            @{ Label = 'JSON'; Value = '{"a":1}' }
            @{ Label = 'SQL'; Value = "'; DROP TABLE sites; --" }
            @{ Label = 'NaN'; Value = [double]::NaN }
            @{ Label = 'Infinity'; Value = [double]::PositiveInfinity }
            @{ Label = 'negative'; Value = -1 }
            @{ Label = 'huge'; Value = 1e12 }
            @{ Label = 'fraction'; Value = 2.5 }
            @{ Label = 'true'; Value = $true }
            @{ Label = 'array'; Value = @(1, 2) }
            @{ Label = 'hashtable'; Value = @{ a = 1 } }
            @{ Label = 'year 1'; Value = [datetime]::MinValue }
        )
        # What each field takes, so the sample knows which values must be refused there.
        function Test-Refused {
            param([string] $Kind, $Value)
            switch ($Kind) {
                'Count' { return -not ($Value -is [int] -and $Value -ge 0) }
                'Percent' { return -not (($Value -is [int] -or $Value -is [double]) -and -not [double]::IsNaN($Value) -and $Value -ge 0 -and $Value -le 100) }
                'Enum' { return $true }
                'Timestamp' { return $true }
            }
        }
    }

    It 'refuses or takes each value as documented in <Cmdlet> -<Field>, in one run, with no terminating error and no request for a refused record' -ForEach @(
        @{ Cmdlet = 'Sync-CustomerStatus'; Field = 'DevicesTotal'; Kind = 'Count'; Database = 'CustomerSites' }
        @{ Cmdlet = 'Sync-CustomerStatus'; Field = 'WanUptimePercent'; Kind = 'Percent'; Database = 'CustomerSites' }
        @{ Cmdlet = 'Sync-CustomerStatus'; Field = 'BackupStatus'; Kind = 'Enum'; Database = 'CustomerSites' }
        @{ Cmdlet = 'Add-DailyHealthSnapshot'; Field = 'CriticalAlerts'; Kind = 'Count'; Database = 'DailyHealth' }
        @{ Cmdlet = 'Write-ConfigChange'; Field = 'Result'; Kind = 'Enum'; Database = 'ConfigChanges' }
        @{ Cmdlet = 'Write-ConfigChange'; Field = 'Timestamp'; Kind = 'Timestamp'; Database = 'ConfigChanges' }
        @{ Cmdlet = 'Sync-NetworkDevice'; Field = 'Status'; Kind = 'Enum'; Database = 'NetworkDevices' }
        @{ Cmdlet = 'Sync-NetworkDevice'; Field = 'LastSeen'; Kind = 'Timestamp'; Database = 'NetworkDevices' }
        @{ Cmdlet = 'Sync-Alert'; Field = 'Severity'; Kind = 'Enum'; Database = 'Alerts' }
        @{ Cmdlet = 'Sync-Alert'; Field = 'CreatedAt'; Kind = 'Timestamp'; Database = 'Alerts' }
    ) {
        function New-Record([int] $Number, $Value) {
            $record = switch ($Cmdlet) {
                'Sync-CustomerStatus' { @{ SiteName = "Sample $Field $Number" } }
                'Add-DailyHealthSnapshot' { @{ SiteName = 'Bayou Electric' } }
                'Write-ConfigChange' { @{ Site = 'Bayou Electric'; Tool = 'fuzz'; Action = 'Update'; Engineer = 'tester'; ChangeId = "sample-$Field-$Number" } }
                'Sync-NetworkDevice' { @{ SiteName = 'Bayou Electric'; Mac = ('02:00:00:{0:x2}:00:{1:x2}' -f $Field.Length, $Number) } }
                'Sync-Alert' { @{ SiteName = 'Bayou Electric'; AlertId = "sample-$Field-$Number" } }
            }
            $record[$Field] = $Value
            [pscustomobject]$record
        }
        $options = @{ ConfigPath = $script:Config; Summary = $true; ErrorAction = 'SilentlyContinue'; WarningAction = 'SilentlyContinue' }
        if ($Cmdlet -in 'Sync-NetworkDevice', 'Sync-Alert') { $options.SkipMissing = $true }

        # What reading the index costs this command: one run of one refused record.
        $baseline = @(New-Record 0 'refused-baseline-value' | & $Cmdlet @options) | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncSummary' }
        $baseline.Failed | Should -Be 1

        $records = @(for ($i = 0; $i -lt $script:Hostile.Count; $i++) { New-Record ($i + 1) $script:Hostile[$i].Value })
        $expectRefused = @(for ($i = 0; $i -lt $script:Hostile.Count; $i++) { $script:Hostile[$i].Label -ne 'empty' -and (Test-Refused -Kind $Kind -Value $script:Hostile[$i].Value) })
        $pagesBefore = Get-PageCount -Database $Database

        $output = @($records | & $Cmdlet @options -ErrorVariable failures)

        $results = @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncResult' })
        $summary = $output | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncSummary' }
        $results.Count | Should -Be $records.Count
        $refusedCount = @($expectRefused | Where-Object { $_ }).Count
        @($results | Where-Object Status -eq Failed).Count | Should -Be $refusedCount
        @($failures).Count | Should -Be $refusedCount
        foreach ($failure in $failures) {
            ($failure.FullyQualifiedErrorId -split ',')[0] | Should -BeIn $script:InputErrorIds
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.Exception.Message | Should -BeLike "*$Field*"
            $failure.Exception.Message.Length | Should -BeLessThan 1500
        }
        if ($Cmdlet -ne 'Add-DailyHealthSnapshot') {
            # Each record has a key of its own: the failed keys are exactly the records the rules refuse.
            $keyProperty = @{ 'Sync-CustomerStatus' = 'SiteName'; 'Write-ConfigChange' = 'ChangeId'; 'Sync-NetworkDevice' = 'Mac'; 'Sync-Alert' = 'AlertId' }[$Cmdlet]
            $expectedKeys = @(for ($i = 0; $i -lt $records.Count; $i++) { if ($expectRefused[$i]) { $records[$i].$keyProperty } })
            @($results | Where-Object Status -eq Failed | ForEach-Object Key | Sort-Object) | Should -Be @($expectedKeys | Sort-Object)
        }
        (Get-PageCount -Database $Database) - $pagesBefore | Should -Be @($results | Where-Object Status -eq Created).Count
        $summary.Failed | Should -Be $refusedCount
        # Not one request for a refused record: the refused records alone cost what one refused record costs (a run of
        # a few records reads only their keys, and a refused record has no key to read).
        $refused = @(for ($i = 0; $i -lt $records.Count; $i++) { if ($expectRefused[$i]) { $records[$i] } })
        if ($refused.Count -gt 0) {
            $alone = @($refused | & $Cmdlet @options) | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncSummary' }
            $alone.Failed | Should -Be $refused.Count
            $alone.Requests | Should -Be $baseline.Requests
        }
    }
}
