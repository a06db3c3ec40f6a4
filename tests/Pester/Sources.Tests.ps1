#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Main-path tests of the source cmdlets (Get-UniFiSite, Get-UniFiDevice, Get-NinjaOneOrganization, Get-NinjaOneDevice,
    Get-NinjaOneAlert, Get-CustomerSite, Get-HealthScore), with the module imported by path like Module.Tests.ps1.

    The Sample and health score tests need nothing else. The UniFi and NinjaOne tests start the loopback fakes as
    processes (Fakes.ps1: dotnet build of tests/OberaConnect.Fakes, or the dll in OBERACONNECT_FAKES_DLL) and
    point a configuration file in TestDrive at them, with credentials in environment variables.
    Every cmdlet gets -ConfigPath, so the machine's and the user's own configuration are never read.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop

    # Configuration files in the test drive: defaults only, and custom health score weights.
    $script:DefaultConfig = Join-Path $TestDrive 'defaults.json'
    Set-Content -LiteralPath $script:DefaultConfig -Value '{}' -Encoding UTF8
    $script:WeightsConfig = Join-Path $TestDrive 'weights.json'
    Set-Content -LiteralPath $script:WeightsConfig -Encoding UTF8 -Value @'
{ "healthScoreWeights": { "deviceAvailability": 60, "wifiQuality": 10, "alerts": 10, "backup": 10, "configCompliance": 10 } }
'@

    # The 98 sample sites, read once (warnings about the sample's deliberately unmatched names are expected).
    $script:SampleSites = @(Get-CustomerSite -Source Sample -ConfigPath $script:DefaultConfig -WarningAction SilentlyContinue)
}

AfterAll {
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Get-CustomerSite -Source Sample' {
    It 'returns the sample sites with the property names the sync cmdlets bind to' {
        $script:SampleSites.Count | Should -BeGreaterOrEqual 98
        $names = $script:SampleSites[0].PSObject.Properties.Name
        foreach ($property in 'SiteName', 'DevicesOnline', 'DevicesOffline', 'DevicesTotal', 'WifiClients', 'ActiveAlerts', 'CriticalAlerts',
                              'WarningAlerts', 'BackupStatus', 'ConfigDrift', 'HealthScore', 'RiskLevel', 'HealthExplanation', 'MissingSources') {
            $names | Should -Contain $property
        }
        @($script:SampleSites | Where-Object { $_.HealthScore -lt 0 -or $_.HealthScore -gt 100 }).Count | Should -Be 0
        @($script:SampleSites | Where-Object { $_.MissingSources -eq '' }).Count | Should -BeGreaterThan 90
    }

    It 'counts mapping problems in one warning that names the command listing them, each on -Verbose, or writes them with -IncludeMismatches' {
        $verbose = Get-CustomerSite -Source Sample -ConfigPath $script:DefaultConfig -WarningVariable warnings -WarningAction SilentlyContinue -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "Site matching: 2 UniFi site(s) and 2 NinjaOne organization(s) have no counterpart*'Get-CustomerSite -Source Sample -IncludeMismatches' lists them*"

        $all = @(Get-CustomerSite -Source Sample -ConfigPath $script:DefaultConfig -IncludeMismatches -WarningAction SilentlyContinue)
        $mismatches = @($all | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sources.SiteMismatch' })
        $mismatches.Count | Should -Be 4
        foreach ($mismatch in $mismatches) { @($verbose | Where-Object Message -eq $mismatch.Message).Count | Should -Be 1 }
        $mismatches[0].Message | Should -Not -BeNullOrEmpty
        ($all.Count - $mismatches.Count) | Should -Be $script:SampleSites.Count
    }

    It 'filters by -Name with wildcards, and reports a name that matches nothing' {
        $site = $script:SampleSites | Where-Object { $_.MissingSources -eq '' } | Select-Object -First 1
        $prefix = $site.SiteName.Substring(0, 3)

        $found = @(Get-CustomerSite -Source Sample -ConfigPath $script:DefaultConfig -Name ($prefix + '*') -WarningAction SilentlyContinue)
        $found.SiteName | Should -Contain $site.SiteName
        @($found | Where-Object { $_.SiteName -notlike "$prefix*" -and $_.UniFiSiteName -notlike "$prefix*" -and $_.NinjaOneOrganizationName -notlike "$prefix*" }).Count | Should -Be 0

        $none = Get-CustomerSite -Source Sample -ConfigPath $script:DefaultConfig -Name 'No Such Customer Anywhere' -ErrorVariable notFound -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $none | Should -BeNullOrEmpty
        $notFound[0].FullyQualifiedErrorId | Should -BeLike 'CustomerSiteNotFound*'
        $notFound[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'moves the simulation with -Day: some sites change, most stay' {
        $day1 = @(Get-CustomerSite -Source Sample -Day 1 -ConfigPath $script:DefaultConfig -WarningAction SilentlyContinue)
        $before = @{}
        foreach ($site in $script:SampleSites) { $before[$site.SiteName] = $site }
        $changed = @($day1 | Where-Object { $before[$_.SiteName].DevicesOnline -ne $_.DevicesOnline -or $before[$_.SiteName].ActiveAlerts -ne $_.ActiveAlerts -or $before[$_.SiteName].BackupStatus -ne $_.BackupStatus -or $before[$_.SiteName].HealthScore -ne $_.HealthScore })
        $changed.Count | Should -BeGreaterThan 0
        $changed.Count | Should -BeLessThan ($day1.Count / 2)
    }

    It 'scales with -SiteCount' {
        $small = @(Get-CustomerSite -Source Sample -SiteCount 10 -ConfigPath $script:DefaultConfig -WarningAction SilentlyContinue)
        $small.Count | Should -BeGreaterOrEqual 10
        $small.Count | Should -BeLessThan 15
    }

    It 'refuses -Day and -SiteCount without -Source Sample' {
        { Get-CustomerSite -Day 1 -ConfigPath $script:DefaultConfig } | Should -Throw -ErrorId 'SampleParameterWithoutSample,*'
        { Get-CustomerSite -SiteCount 5 -ConfigPath $script:DefaultConfig } | Should -Throw -ErrorId 'SampleParameterWithoutSample,*'
    }

    It 'uses the health score weights of the configuration' {
        $weighted = @(Get-CustomerSite -Source Sample -ConfigPath $script:WeightsConfig -WarningAction SilentlyContinue)
        $rescored = @($script:SampleSites | Get-HealthScore -ConfigPath $script:WeightsConfig)
        $weighted.Count | Should -Be $rescored.Count
        for ($i = 0; $i -lt $weighted.Count; $i++) { $weighted[$i].HealthScore | Should -Be $rescored[$i].Score }
        @($weighted.HealthScore) | Should -Not -Be @($script:SampleSites.HealthScore)
    }
}

Describe 'Get-HealthScore' {
    It 'rescores piped customer sites by property name and keeps their names' {
        $scores = @($script:SampleSites | Get-HealthScore -ConfigPath $script:DefaultConfig)
        $scores.Count | Should -Be $script:SampleSites.Count
        for ($i = 0; $i -lt $scores.Count; $i++) {
            $scores[$i].SiteName | Should -Be $script:SampleSites[$i].SiteName
            $scores[$i].Score | Should -Be $script:SampleSites[$i].HealthScore
            "$($scores[$i].RiskLevel)" | Should -Be "$($script:SampleSites[$i].RiskLevel)"
        }
        $scores[0].Explanation | Should -BeLike "$($scores[0].Score) (*"
    }

    It 'scores one site by hand following the documented formula' {
        # 1 of 10 devices offline: -3 of 30; one critical alert: -10; backups fine: nothing else lost.
        $score = Get-HealthScore -SiteName 'Acme Corp' -DevicesOnline 9 -DevicesTotal 10 -CriticalAlerts 1 -BackupStatus Success -ConfigPath $script:DefaultConfig
        $score.SiteName | Should -Be 'Acme Corp'
        $score.Score | Should -Be 87
        "$($score.RiskLevel)" | Should -Be 'Medium'
        $score.DeviceAvailabilityPointsLost | Should -Be 3
        $score.AlertsPointsLost | Should -Be 10
    }

    It 'takes -Weights as a hashtable, an ordered dictionary or five numbers, all the same' {
        # The site with the largest share of devices offline, so doubling the availability weight shows in whole points.
        $site = $script:SampleSites | Where-Object { $_.DevicesTotal -gt 0 } | Sort-Object { $_.DevicesOffline / $_.DevicesTotal } -Descending | Select-Object -First 1
        $byTable = $site | Get-HealthScore -Weights @{ DeviceAvailability = 60; WifiQuality = 10; Alerts = 10; Backup = 10; ConfigCompliance = 10 }
        $byOrdered = $site | Get-HealthScore -Weights ([ordered]@{ deviceavailability = 60; wifiquality = 10; alerts = 10; backup = 10; configcompliance = 10 })
        $byList = $site | Get-HealthScore -Weights 60, 10, 10, 10, 10
        $byConfig = $site | Get-HealthScore -ConfigPath $script:WeightsConfig
        $byOrdered.Score | Should -Be $byTable.Score
        $byList.Score | Should -Be $byTable.Score
        $byConfig.Score | Should -Be $byTable.Score
        $byTable.DeviceAvailabilityPointsLost | Should -BeGreaterThan ($site | Get-HealthScore -ConfigPath $script:DefaultConfig).DeviceAvailabilityPointsLost
    }

    It 'stops with the sum when the weights do not add up to 100' {
        { $script:SampleSites[0] | Get-HealthScore -Weights 30, 20, 20, 15, 10 } | Should -Throw -ErrorId 'InvalidHealthWeights,*' -ExpectedMessage '*sum to 95*'
        { $script:SampleSites[0] | Get-HealthScore -Weights @{ Backups = 15 } } | Should -Throw -ErrorId 'UnknownHealthWeight,*'
    }

    It 'reports a bad backup status for that input and goes on with the next' {
        $inputs = @(
            [pscustomobject]@{ SiteName = 'Bad'; DevicesOnline = 1; DevicesTotal = 1; BackupStatus = 'Sucess' }
            [pscustomobject]@{ SiteName = 'Good'; DevicesOnline = 2; DevicesTotal = 2; BackupStatus = 'failed'; ConfigDrift = $true }
        )
        $scores = @($inputs | Get-HealthScore -ConfigPath $script:DefaultConfig -ErrorVariable bad -ErrorAction SilentlyContinue)
        $scores.Count | Should -Be 1
        $scores[0].SiteName | Should -Be 'Good'
        $scores[0].BackupPointsLost | Should -Be 15
        $scores[0].ConfigCompliancePointsLost | Should -Be 15
        $bad.Count | Should -Be 1
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEnumValue,*'
        $bad[0].TargetObject | Should -Be 'Bad'
    }
}

Describe 'UniFi and NinjaOne cmdlets against the loopback fakes' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'Fakes.ps1')

        $script:UniFiKey = 'unifi-pester-key-5d2a7c'
        $script:NinjaId = 'ninja-pester-client'
        $script:NinjaSecret = 'ninja-pester-secret-9e4b1f'
        $script:FakeSiteCount = 12
        $script:UniFiFake = Start-SourceFake -Service unifi -Arguments '--api-key', $script:UniFiKey, '--sites', $script:FakeSiteCount
        $script:NinjaFake = Start-SourceFake -Service ninjaone -Arguments '--client-id', $script:NinjaId, '--client-secret', $script:NinjaSecret, '--sites', $script:FakeSiteCount

        $script:FakeConfig = Join-Path $TestDrive 'fakes.json'
        Set-Content -LiteralPath $script:FakeConfig -Encoding UTF8 -Value @"
{
  "unifi": { "baseUrl": "$($script:UniFiFake.BaseUrl)", "maxRetries": 0, "requestsPerMinute": 10000, "burst": 100 },
  "ninjaOne": { "region": "$($script:NinjaFake.BaseUrl)", "maxRetries": 0, "requestsPerSecond": 50, "burst": 100, "pageSize": 1000 }
}
"@

        $script:SavedVariables = @{}
        foreach ($name in 'UNIFI_API_KEY', 'NINJAONE_CLIENT_ID', 'NINJAONE_CLIENT_SECRET') {
            $script:SavedVariables[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        function Set-SourceCredentials([switch] $WithoutUniFi, [string] $UniFiKey = $script:UniFiKey) {
            [Environment]::SetEnvironmentVariable('UNIFI_API_KEY', $(if ($WithoutUniFi) { $null } else { $UniFiKey }))
            [Environment]::SetEnvironmentVariable('NINJAONE_CLIENT_ID', $script:NinjaId)
            [Environment]::SetEnvironmentVariable('NINJAONE_CLIENT_SECRET', $script:NinjaSecret)
        }
        Set-SourceCredentials

        # What the fakes serve: the Sample of the same size (their dates are moved to now; names and counts are not).
        $script:SmallSample = @(Get-CustomerSite -Source Sample -SiteCount $script:FakeSiteCount -ConfigPath $script:DefaultConfig -WarningAction SilentlyContinue)
        $script:UniFiSites = @(Get-UniFiSite -ConfigPath $script:FakeConfig)
    }

    AfterAll {
        Stop-SourceFake -Fake $script:UniFiFake
        Stop-SourceFake -Fake $script:NinjaFake
        foreach ($name in $script:SavedVariables.Keys) { [Environment]::SetEnvironmentVariable($name, $script:SavedVariables[$name]) }
    }

    BeforeEach {
        Set-SourceCredentials
    }

    It 'Get-UniFiSite lists the sites the fake serves' {
        $expected = @($script:SmallSample | Where-Object { $_.UniFiSiteId } | ForEach-Object { $_.UniFiSiteId } | Sort-Object)
        $expected.Count | Should -BeGreaterOrEqual $script:FakeSiteCount
        @($script:UniFiSites | ForEach-Object { $_.SiteId } | Sort-Object) | Should -Be $expected
        $script:UniFiSites[0].PSObject.TypeNames[0] | Should -Be 'OberaConnect.Engine.Sources.UniFi.UniFiSite'
    }

    It 'Get-UniFiSite -Name filters with wildcards and reports an unknown name' {
        $first = $script:UniFiSites[0]
        $prefix = $first.Name.Substring(0, 3)
        $found = @(Get-UniFiSite -Name ($prefix + '*') -ConfigPath $script:FakeConfig)
        $found.SiteId | Should -Contain $first.SiteId
        @($found | Where-Object { $_.Name -notlike "$prefix*" }).Count | Should -Be 0

        Get-UniFiSite -Name 'No Such Site' -ConfigPath $script:FakeConfig -ErrorVariable notFound -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $notFound[0].FullyQualifiedErrorId | Should -BeLike 'UniFiSiteNotFound*'
    }

    It 'Get-UniFiSite | Get-UniFiDevice lists the devices of the piped sites, each host once' {
        $all = @(Get-UniFiDevice -ConfigPath $script:FakeConfig)
        $piped = @($script:UniFiSites | Get-UniFiDevice -ConfigPath $script:FakeConfig)
        $all.Count | Should -BeGreaterThan $script:UniFiSites.Count
        @($piped | ForEach-Object { $_.Id } | Sort-Object) | Should -Be @($all | ForEach-Object { $_.Id } | Sort-Object)

        $first = $script:UniFiSites[0]
        $ofSite = @(Get-UniFiDevice -SiteName $first.Name -ConfigPath $script:FakeConfig)
        $ofSite.Count | Should -BeGreaterThan 0
        @($ofSite | Where-Object { $_.HostId -ne $first.HostId }).Count | Should -Be 0
    }

    It 'Get-UniFiDevice lists nothing for an empty pipeline' {
        @(@() | Get-UniFiDevice -ConfigPath $script:FakeConfig).Count | Should -Be 0
        @(Get-UniFiSite -Name 'No Such Site*' -ConfigPath $script:FakeConfig | Get-UniFiDevice -ConfigPath $script:FakeConfig).Count | Should -Be 0
    }

    It 'Get-NinjaOneOrganization | Get-NinjaOneDevice -Offline lists the offline devices of every organization' {
        $organizations = @(Get-NinjaOneOrganization -ConfigPath $script:FakeConfig)
        $organizations.Count | Should -BeGreaterOrEqual $script:FakeSiteCount
        $offline = @($organizations | Get-NinjaOneDevice -Offline -ConfigPath $script:FakeConfig)
        $offline.Count | Should -BeGreaterThan 0
        @($offline | Where-Object { -not $_.IsOffline }).Count | Should -Be 0
        @($offline | ForEach-Object { $_.Id } | Sort-Object) | Should -Be @(Get-NinjaOneDevice -Offline -ConfigPath $script:FakeConfig | ForEach-Object { $_.Id } | Sort-Object)

        $one = $organizations[0]
        @(Get-NinjaOneOrganization -Name $one.Name -ConfigPath $script:FakeConfig | Get-NinjaOneDevice -ConfigPath $script:FakeConfig |
            Where-Object { $_.OrganizationId -ne $one.Id }).Count | Should -Be 0
    }

    It 'Get-NinjaOneAlert gives severities from the activity log and filters by them' {
        $all = @(Get-NinjaOneAlert -ConfigPath $script:FakeConfig)
        $all.Count | Should -Be (($script:SmallSample | Measure-Object -Property ActiveAlerts -Sum).Sum)
        @($all | Where-Object { "$($_.Severity)" -ne 'Unknown' }).Count | Should -BeGreaterThan 0
        $severe = @(Get-NinjaOneAlert -Severity Critical, Major -ConfigPath $script:FakeConfig)
        $severe.Count | Should -Be @($all | Where-Object { "$($_.Severity)" -in 'Critical', 'Major' }).Count
    }

    It 'Get-CustomerSite merges the configured sources' {
        $merged = @(Get-CustomerSite -ConfigPath $script:FakeConfig -WarningAction SilentlyContinue)
        @($merged | Where-Object { $_.MissingSources -eq '' }).Count | Should -BeGreaterThan 0
        ($merged | Measure-Object -Property DevicesTotal -Sum).Sum | Should -Be (($script:SmallSample | Measure-Object -Property DevicesTotal -Sum).Sum)
        ($merged | Measure-Object -Property ActiveAlerts -Sum).Sum | Should -Be (($script:SmallSample | Measure-Object -Property ActiveAlerts -Sum).Sum)
    }

    It 'Get-CustomerSite warns that UniFi is skipped without its key and still returns NinjaOne data' {
        Set-SourceCredentials -WithoutUniFi
        $merged = @(Get-CustomerSite -ConfigPath $script:FakeConfig -WarningVariable warnings -WarningAction SilentlyContinue)
        @($warnings | Where-Object { "$_" -like 'UniFi is skipped*' }).Count | Should -Be 1
        $merged.Count | Should -BeGreaterOrEqual $script:FakeSiteCount
        @($merged | Where-Object { $_.MissingSources -ne 'UniFi' }).Count | Should -Be 0
    }

    It 'stops with NinjaOneScopeNotGranted, saying where to grant it, when ninjaOne.scope asks for more than the app has' {
        # The fake's app was granted monitoring only (its default), as a least-privilege NinjaOne API app is.
        $wider = Join-Path $TestDrive 'ninja-wider-scope.json'
        Set-Content -LiteralPath $wider -Encoding UTF8 -Value @"
{
  "ninjaOne": { "region": "$($script:NinjaFake.BaseUrl)", "scope": "monitoring management", "maxRetries": 0, "requestsPerSecond": 50, "burst": 100 }
}
"@
        $failure = $null
        try { Get-NinjaOneOrganization -ConfigPath $wider -ErrorAction Stop } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'NinjaOneScopeNotGranted*'
        "$failure" | Should -BeLike '*Administration > Apps > API > Client App IDs*'
        "$failure" | Should -Not -BeLike "*$($script:NinjaSecret)*"
    }

    It 'stops with the service error, and no secret, when the UniFi key is refused' {
        Set-SourceCredentials -UniFiKey 'unifi-refused-key-0f0f0f'
        $failure = $null
        try { Get-UniFiSite -ConfigPath $script:FakeConfig -ErrorAction Stop } catch { $failure = $_ }
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'UniFiUnauthorized*'
        "$failure" | Should -Not -BeLike '*unifi-refused-key-0f0f0f*'
    }
}
