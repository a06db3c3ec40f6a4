#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What a sync reads before it writes, as users pipe records in: a small input (at most 100 records) reads only its
    keys with filtered queries, a larger one every page, and -Verbose names the read and why. Requests are the run's
    own count (-Summary); a steady-state run writes nothing, so its requests are its reads.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')
    $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'fake')
    $script:Config = $script:Fake.ConfigPath
    $script:SiteCount = 250

    function New-Site {
        param([int] $Number, [int] $Online = 10)
        [pscustomobject]@{ SiteName = ('Pester Site {0:D3}' -f $Number); DevicesOnline = $Online; DevicesTotal = 10; BackupStatus = 'Success'; UniFiStatus = 'Present'; NinjaOneStatus = 'Present' }
    }

    # One run: its results, its summary and its verbose lines.
    function Invoke-Sync {
        param([Parameter(ValueFromPipeline)] $InputObject, [hashtable] $Options = @{})
        begin { $items = [System.Collections.Generic.List[object]]::new() }
        process { if ($null -ne $InputObject) { $items.Add($InputObject) } }
        end {
            $run = @{ ConfigPath = $script:Config }
            foreach ($key in $Options.Keys) { $run[$key] = $Options[$key] }
            $output = @($items | Sync-CustomerStatus -Summary -Verbose -WarningAction SilentlyContinue @run 4>&1)
            [pscustomobject]@{
                Results = @($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncResult' })
                Summary = $output | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncSummary' }
                Verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            }
        }
    }

    $script:First = 1..$script:SiteCount | ForEach-Object { New-Site $_ } | Invoke-Sync
}

AfterAll {
    Stop-OberaNotionFake $script:Fake
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'The index read follows the input' {
    It 'creates the sites of a large first run after reading every page' {
        @($script:First.Results | Where-Object Status -eq Created).Count | Should -Be $script:SiteCount
        $script:First.Verbose | Should -Contain 'Customer Sites: reading every page (the input has more than 100 record(s); smaller inputs are read by their keys).'
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites).Count | Should -Be $script:SiteCount
    }

    It 'reads <Sites> piped site(s) of 250 pages with <Requests> request(s)' -TestCases @(
        @{ Sites = 1; Requests = 1; Read = 'Customer Sites: reading only the pages of 1 key(s) in 1 filtered query (the input has 1 record(s), at most 100 are read by their keys).' }
        @{ Sites = 10; Requests = 1; Read = 'Customer Sites: reading only the pages of 10 key(s) in 1 filtered query (the input has 10 record(s), at most 100 are read by their keys).' }
        @{ Sites = 150; Requests = 3; Read = 'Customer Sites: reading every page (the input has more than 100 record(s); smaller inputs are read by their keys).' }
        @{ Sites = 250; Requests = 3; Read = 'Customer Sites: reading every page (the input has more than 100 record(s); smaller inputs are read by their keys).' }
    ) {
        param($Sites, $Requests, $Read)
        $run = 1..$Sites | ForEach-Object { New-Site $_ } | Invoke-Sync
        $run.Results.Count | Should -Be $Sites
        @($run.Results | Where-Object Status -ne Unchanged).Count | Should -Be 0
        $run.Summary.Requests | Should -Be $Requests
        $run.Verbose | Should -Contain $Read
    }

    It 'writes one changed site with one filtered query and one update, as piped or from the command line' {
        $piped = New-Site 7 -Online 9 | Invoke-Sync
        $piped.Results.Status | Should -Be 'Updated'
        $piped.Summary.Requests | Should -Be 2

        $output = @(Sync-CustomerStatus -ConfigPath $script:Config -SiteName 'pester site 008' -DevicesOnline 3 -Summary -WarningAction SilentlyContinue)
        $result = $output | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncResult' }
        $result.Status | Should -Be 'Updated'
        # The page keeps its spelling: the key was found in another case by the filtered read.
        $result.Reason | Should -BeLike "*keeps its Site Name 'Pester Site 008'*"
        ($output | Where-Object { $_.PSObject.TypeNames[0] -eq 'OberaConnect.Engine.Sync.SyncSummary' }).Requests | Should -Be 2
        $page = Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites | Where-Object { (Get-NotionFakeText -Page $_ -Property 'Site Name') -eq 'Pester Site 008' }
        @($page).Count | Should -Be 1
        Get-NotionFakeText -Page $page -Property 'Devices Online' | Should -Be 3
    }

    It 'creates a new site of a small input once, and a rerun finds it' {
        $run = [pscustomobject]@{ SiteName = 'Pester New Site' ; DevicesOnline = 1 } | Invoke-Sync
        $run.Results.Status | Should -Be 'Created'
        $again = [pscustomobject]@{ SiteName = 'PESTER  new site' ; DevicesOnline = 1 } | Invoke-Sync
        $again.Results.Status | Should -Be 'Unchanged'
        $again.Summary.Requests | Should -Be 1
        @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites | Where-Object { (Get-NotionFakeText -Page $_ -Property 'Site Name') -like 'Pester New*' }).Count | Should -Be 1
    }

    It 'finds a site a person typed in full-width letters, which no filter matches, and updates it instead of creating it again' {
        # Full-width forms are the ASCII ones + 0xFEE0: the site-name rule (NFKC) makes them the same site.
        $wide = (-join ('Pester'.ToCharArray() | ForEach-Object { [char]([int]$_ + 0xFEE0) })) + ' Wide Site'
        $config = Get-Content -LiteralPath $script:Config -Raw | ConvertFrom-Json
        $body = @{
            parent     = @{ type = 'data_source_id'; data_source_id = $config.databases.CustomerSites.dataSourceId }
            properties = @{ 'Site Name' = @{ title = (ConvertTo-NotionText $wide) } }
        }
        $null = Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/pages' -Body $body

        $run = [pscustomobject]@{ SiteName = 'Pester Wide Site'; DevicesOnline = 4 } | Invoke-Sync
        $run.Results.Status | Should -Be 'Updated'
        $run.Verbose | Should -Contain "Customer Sites: 1 key(s) not found by their filters; reading every page before creating them, since a name in Unicode compatibility forms (full-width letters, ligatures) is the same site and no filter finds it."
        $pages = @(Invoke-NotionFakeQuery -Fake $script:Fake -Database CustomerSites | Where-Object { (Get-NotionFakeText -Page $_ -Property 'Site Name') -like '*Wide Site' })
        $pages.Count | Should -Be 1
        Get-NotionFakeText -Page $pages[0] -Property 'Site Name' | Should -Be $wide
        Get-NotionFakeText -Page $pages[0] -Property 'Devices Online' | Should -Be 4
    }

    It 'previews a small input with the same filtered read and writes nothing' {
        $run = New-Site 9 -Online 1 | Invoke-Sync -Options @{ WhatIf = $true }
        $run.Results.Status | Should -Be 'Skipped'
        "$($run.Results.WouldBe)" | Should -Be 'Updated'
        $run.Summary.Requests | Should -Be 1
    }

    It 'reads every page at once and streams with notion.keyReadLimit 0' {
        $config = Get-Content -LiteralPath $script:Config -Raw | ConvertFrom-Json
        $config.notion | Add-Member -NotePropertyName keyReadLimit -NotePropertyValue 0 -Force
        $streaming = Join-Path $TestDrive 'streaming.json'
        [System.IO.File]::WriteAllText($streaming, ($config | ConvertTo-Json -Depth 10), [System.Text.UTF8Encoding]::new($false))
        $run = New-Site 11 -Online 4 | Invoke-Sync -Options @{ ConfigPath = $streaming }
        $run.Results.Status | Should -Be 'Updated'
        $run.Verbose | Should -Contain 'Customer Sites: reading every page (notion.keyReadLimit is 0: every record is written as it arrives).'
        $run.Summary.Requests | Should -Be 4
    }

    It 'reads every page for Sync-NetworkDevice, which marks missing devices, unless -SkipMissing' {
        $device = [pscustomobject]@{ SiteName = 'Pester Site 001'; Mac = '02:00:00:00:19:01'; Name = 'USW'; Status = 'online'; Source = 'UniFi' }
        $every = @($device | Sync-NetworkDevice -ConfigPath $script:Config -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $every | Should -Contain 'Network Devices: reading every page (the devices of the input''s sites that the input does not name are marked Gone From Source; -SkipMissing reads only the input''s keys).'
        $keys = @($device | Sync-NetworkDevice -ConfigPath $script:Config -SkipMissing -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $keys | Should -Contain 'Network Devices: reading only the pages of 1 key(s) in 1 filtered query (the input has 1 record(s), at most 100 are read by their keys).'
    }
}
