#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Main paths of the Azure Pipeline, Runbook Library, duplicate and read-back cmdlets against the Notion fake run
    as a process (Fakes.ps1): a workspace made by Initialize-OberaNotionWorkspace
    under a fresh page, seeded through the fake's REST API as Notion would be, then read and written through the
    cmdlets only, with -WhatIf checked to write nothing and the pipelines the help shows. The module is imported
    by path, as in Module.Tests.ps1. Request counts (filters applied by Notion) are checked by the engine's
    end-to-end tests, where the fake's counters are in the same process.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'Fakes.ps1')

    $script:SavedEnvironment = Save-EnvironmentVariable 'NOTION_TOKEN', 'OBERACONNECT_CONFIG', 'OBERACONNECT_UNATTENDED'
    foreach ($name in $script:SavedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $null) }
    $script:Fake = Start-NotionFake
    $env:NOTION_TOKEN = $script:Fake.Token

    $script:Config = New-FakeConfiguration -Fake $script:Fake -Path (Join-Path $TestDrive 'readback.json')
    $parent = New-FakePage -Fake $script:Fake -ParentPageId $script:Fake.RootPageId -Title 'Pester read-back'
    $null = Initialize-OberaNotionWorkspace -ParentPageId $parent -ConfigPath $script:Config -Confirm:$false
    $script:Sources = @{}
    foreach ($db in (Get-OberaConnectConfiguration -ConfigPath $script:Config).Databases) { $script:Sources[$db.Database] = $db.DataSourceId }
    # Every cmdlet below takes the same file (restored in AfterAll).
    $script:SavedDefaults = $global:PSDefaultParameterValues.Clone()
    $global:PSDefaultParameterValues['*:ConfigPath'] = $script:Config

    function Add-FakeRow {
        param([string] $Database, [hashtable] $Properties)
        $body = @{ parent = @{ type = 'data_source_id'; data_source_id = $script:Sources[$Database] }; properties = $Properties }
        (Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/pages' -Body $body).id
    }

    function Add-Site([string] $Name, [double] $Score, [string] $Risk) {
        Add-FakeRow -Database 'CustomerSites' -Properties @{
            'Site Name'      = @{ title = (ConvertTo-NotionText $Name) }
            'Health Score'   = @{ number = $Score }
            'Risk Level'     = @{ select = @{ name = $Risk } }
            'Devices Online' = @{ number = 9 }
            'Devices Total'  = @{ number = 10 }
        }
    }

    $script:Today = (Get-Date).Date
    $script:SiteIds = @{
        'Acme Corp' = Add-Site 'Acme Corp' 55 'High'
        'Globex'    = Add-Site 'Globex' 92 'Low'
        'Initech'   = Add-Site 'Initech' 30 'Critical'
    }
    foreach ($site in 'Acme Corp', 'Globex') {
        foreach ($d in 0..13) {
            $day = $script:Today.AddDays(-$d).ToString('yyyy-MM-dd')
            $null = Add-FakeRow -Database 'DailyHealth' -Properties @{
                'Snapshot'     = @{ title = (ConvertTo-NotionText "$site $([char]0x2014) $day") }
                'Snapshot Key' = @{ rich_text = (ConvertTo-NotionText "$site|$day") }
                'Date'         = @{ date = @{ start = $day } }
                'Site'         = @{ relation = @(@{ id = $script:SiteIds[$site] }) }
                'Health Score' = @{ number = 60 + $d }
                'Config Drift' = @{ checkbox = ($d % 5 -eq 0) }
            }
        }
    }
    foreach ($i in 0..3) {
        $site = @('Acme Corp', 'Globex')[$i % 2]
        $null = Add-FakeRow -Database 'ConfigChanges' -Properties @{
            'Change'    = @{ title = (ConvertTo-NotionText "change $i") }
            'Change ID' = @{ rich_text = (ConvertTo-NotionText "chg-$i") }
            'Site'      = @{ relation = @(@{ id = $script:SiteIds[$site] }) }
            'Timestamp' = @{ date = @{ start = (Get-Date).ToUniversalTime().AddDays(-3 * $i).ToString('o') } }
            'Engineer'  = @{ rich_text = (ConvertTo-NotionText @('jdoe', 'asmith')[[int]($i -ge 2)]) }
            'Tool'      = @{ select = @{ name = 'sonicwall' } }
        }
        $null = Add-FakeRow -Database 'NetworkDevices' -Properties @{
            'Device Name' = @{ title = (ConvertTo-NotionText "ap-$i") }
            'MAC'         = @{ rich_text = (ConvertTo-NotionText "aa:bb:cc:dd:ee:0$i") }
            'Site'        = @{ relation = @(@{ id = $script:SiteIds[$site] }) }
            'Status'      = @{ select = @{ name = @('Online', 'Offline')[$i % 2] } }
        }
        $null = Add-FakeRow -Database 'Alerts' -Properties @{
            'Alert'     = @{ title = (ConvertTo-NotionText "disk $i") }
            'Alert UID' = @{ rich_text = (ConvertTo-NotionText "uid-$i") }
            'Site'      = @{ relation = @(@{ id = $script:SiteIds[$site] }) }
            'Severity'  = @{ select = @{ name = @('CRITICAL', 'MINOR')[[int]($i -ge 2)] } }
            'Status'    = @{ select = @{ name = @('Open', 'Resolved')[[int]($i -eq 1)] } }
        }
    }
}

AfterAll {
    if ($script:SavedDefaults) { $global:PSDefaultParameterValues = $script:SavedDefaults }
    Stop-NotionFake -Fake $script:Fake
    Restore-EnvironmentVariable -Saved $script:SavedEnvironment
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Get-CustomerStatus' {
    It 'reads every site as a typed object, sorted by name' {
        $sites = @(Get-CustomerStatus)
        $sites.SiteName | Should -Be @('Acme Corp', 'Globex', 'Initech')
        $sites[0].PSObject.TypeNames[0] | Should -Be 'OberaConnect.Engine.ReadBack.CustomerStatus'
        $sites[0].HealthScore | Should -Be 55
        $sites[0].DevicesOnline | Should -Be 9
    }

    It 'filters by risk level and takes site names from the pipeline' {
        (Get-CustomerStatus -RiskLevel Critical).SiteName | Should -Be 'Initech'
        ('acme corp', 'Globex' | Get-CustomerStatus).SiteName | Should -Be @('Acme Corp', 'Globex')
    }

    It 'refuses a risk level that is not an option' {
        { Get-CustomerStatus -RiskLevel Severe } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'Get-DailyHealth' {
    It 'answers the trend question of the help' {
        $week = Get-DailyHealth -Site 'Acme Corp' -Since (Get-Date).AddDays(-7) | Measure-Object HealthScore -Average
        $week.Count | Should -Be 8
        $week.Average | Should -Be 63.5
    }

    It 'returns the days oldest first, bounded by -Until, with the site name' {
        $days = @(Get-DailyHealth -Site Globex -Since $script:Today.AddDays(-4) -Until $script:Today.AddDays(-2))
        $days.Date | Should -Be @($script:Today.AddDays(-4), $script:Today.AddDays(-3), $script:Today.AddDays(-2))
        $days.SiteName | Select-Object -Unique | Should -Be 'Globex'
    }

    It 'takes sites from Get-CustomerStatus' {
        $rows = @(Get-CustomerStatus -RiskLevel High | Get-DailyHealth -Since $script:Today.AddDays(-1))
        $rows.Count | Should -Be 2
        $rows.SiteName | Select-Object -Unique | Should -Be 'Acme Corp'
    }

    It 'reports an unknown site as a non-terminating SiteNotFound error and goes on' {
        $rows = @('Nowhere', 'Globex' | Get-DailyHealth -Since $script:Today -ErrorAction SilentlyContinue -ErrorVariable failures)
        $rows.Count | Should -Be 1
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SiteNotFound,*'
        $failures[0].TargetObject | Should -Be 'Nowhere'
    }
}

Describe 'Get-ConfigChange, Get-NetworkDevice and Get-Alert' {
    It 'filters config changes by site, time and engineer' {
        (Get-ConfigChange -Site 'Acme Corp').Change | Should -Be @('change 0', 'change 2')
        (Get-ConfigChange -Since (Get-Date).AddDays(-4)).Change | Should -Be @('change 0', 'change 1')
        (Get-ConfigChange -Engineer asmith).SiteName | Should -Be @('Acme Corp', 'Globex')
    }

    It 'filters devices by site and status' {
        (Get-NetworkDevice -Site Globex -Status Offline).DeviceName | Should -Be @('ap-1', 'ap-3')
        (Get-NetworkDevice -Status Online | Group-Object SiteName).Name | Should -Be 'Acme Corp'
    }

    It 'filters alerts by status and severity' {
        (Get-Alert -Status Open -Severity CRITICAL).Alert | Should -Be 'disk 0'
        (Get-CustomerStatus -Site Globex | Get-Alert).Alert | Should -Be @('disk 1', 'disk 3')
    }
}

Describe 'Get-NotionPage' {
    It 'takes a hashtable filter and returns the asked properties' {
        $page = Get-NotionPage -Database 'Customer Sites' -Filter @{ 'Health Score' = @{ greater_than = 50 }; 'Risk Level' = 'Low' } -Property 'Health Score'
        $page.Title | Should -Be 'Globex'
        $page.Properties['Health Score'] | Should -Be 92
        $page.Properties.Keys | Should -Be @('Health Score')
    }

    It 'takes Notion filter JSON' {
        $json = '{"or":[{"property":"Risk Level","select":{"equals":"High"}},{"property":"Risk Level","select":{"equals":"Critical"}}]}'
        (Get-NotionPage -Database CustomerSites -Filter $json | Sort-Object Title).Title | Should -Be @('Acme Corp', 'Initech')
    }

    It 'reports an unknown database with the valid keys' {
        Get-NotionPage -Database customer_status -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'UnknownDatabase,*'
        $failures[0].Exception.Message | Should -Match 'RunbookLibrary'
    }
}

Describe 'Azure Pipeline' {
    It 'adds a service once and reports it Unchanged when added again' {
        (Add-AzurePipelineService -Name 'Azure VPN' -Category networking).Status | Should -Be 'Created'
        ('Azure VPN' | Add-AzurePipelineService -Category Networking).Status | Should -Be 'Unchanged'
        @(Get-NotionPage -Database AzurePipeline -Filter @{ 'Service Name' = 'Azure VPN' }).Count | Should -Be 1
    }

    It 'moves a service and keeps one history line per move' {
        $null = Add-AzurePipelineService -Name 'Azure Backup' -Category Backup
        $moved = Set-AzurePipelineStage -Name 'Azure Backup' -Stage Design -Note 'approved'
        $moved.Status | Should -Be 'Updated'
        $moved.Reason | Should -Be "Idea $([char]0x2192) Design"
        $page = Get-NotionPage -Database AzurePipeline -Filter @{ 'Service Name' = 'Azure Backup' }
        $page.Properties.Stage | Should -Be 'Design'
        @($page.Properties['Stage History'] -split "`n").Count | Should -Be 2
        $page.Properties['Stage History'] | Should -Match "Idea $([char]0x2192) Design \(approved\)$"
    }

    It 'writes nothing with -WhatIf' {
        $null = Add-AzurePipelineService -Name 'Azure Files' -Category Storage
        Add-AzurePipelineService -Name 'Azure Monitor' -Category Monitoring -WhatIf | Should -BeNullOrEmpty
        Set-AzurePipelineStage -Name 'Azure Files' -Stage Build -WhatIf | Should -BeNullOrEmpty
        Get-NotionPage -Database AzurePipeline -Filter @{ 'Service Name' = 'Azure Monitor' } | Should -BeNullOrEmpty
        (Get-NotionPage -Database AzurePipeline -Filter @{ 'Service Name' = 'Azure Files' }).Properties.Stage | Should -Be 'Idea'
    }

    It 'reports a stage that is not in the definition, naming the stages' {
        $null = Set-AzurePipelineStage -Name 'Azure VPN' -Stage Shipped -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEnumValue,*'
        $failures[0].Exception.Message | Should -Match 'Idea, Design, Build, Test, Pilot, Production, Retired'
    }
}

Describe 'Runbook Library' {
    BeforeAll {
        $script:Runbooks = Join-Path $TestDrive 'runbooks'
        $null = New-Item -ItemType Directory -Path $script:Runbooks
        Set-Content -LiteralPath (Join-Path $script:Runbooks 'vpn.md') -Encoding utf8 -Value "# VPN Setup SOP`n`n1. Open the **firewall**`n2. Test`n`n``````ps1`nGet-NetIPConfiguration`n```````n"
        Set-Content -LiteralPath (Join-Path $script:Runbooks 'backup.md') -Encoding utf8 -Value "# Backup check`n`n- [ ] look at the jobs`n"
    }

    It 'publishes a folder, then rewrites only what changed, on the same page' {
        $added = @(Get-ChildItem -LiteralPath $script:Runbooks -Filter *.md | Add-Runbook -Category Network)
        $added.Status | Should -Be @('Created', 'Created')
        (Get-ChildItem -LiteralPath $script:Runbooks -Filter *.md | Set-Runbook).Status | Should -Be @('Unchanged', 'Unchanged')

        Add-Content -LiteralPath (Join-Path $script:Runbooks 'vpn.md') -Value '3. Call the customer'
        $updated = Set-Runbook -Path (Join-Path $script:Runbooks 'vpn.md')
        $updated.Status | Should -Be 'Updated'
        $updated.PageId | Should -Be ($added | Where-Object Key -eq 'VPN Setup SOP').PageId
        @(Get-NotionPage -Database RunbookLibrary).Count | Should -Be 2
    }

    It 'writes nothing with -WhatIf' {
        $new = Join-Path $script:Runbooks 'new.md'
        Set-Content -LiteralPath $new -Value "# Brand new`n`ntext"
        Get-Item -LiteralPath $new | Add-Runbook -WhatIf | Should -BeNullOrEmpty
        Get-NotionPage -Database RunbookLibrary -Filter @{ Title = 'Brand new' } | Should -BeNullOrEmpty
    }
}

Describe 'Duplicates' {
    BeforeAll {
        # A second page for Globex, as a lost create in the old Python scripts would have made.
        $script:Copy = Add-Site 'Globex' 90 'Low'
    }

    It 'finds the duplicated key and -WhatIf trashes nothing' {
        $dup = @(Get-NotionDuplicate -Database CustomerSites)
        $dup.Count | Should -Be 1
        $dup[0].Key | Should -Be 'Globex'
        $dup[0].Count | Should -Be 2
        Get-NotionDuplicate -Database CustomerSites | Remove-NotionDuplicate -WhatIf | Should -BeNullOrEmpty
        @(Get-CustomerStatus -Site Globex).Count | Should -Be 2
    }

    It 'trashes the copy, keeps the page the history points at, and leaves no duplicate' {
        $removed = @(Get-NotionDuplicate -Database CustomerSites | Remove-NotionDuplicate -Confirm:$false)
        $removed.Count | Should -Be 1
        $removed[0].Status | Should -Be 'Trashed'
        ($removed[0].PageId -replace '-') | Should -Be ($script:Copy -replace '-')
        @(Get-CustomerStatus -Site Globex).Count | Should -Be 1
        @(Get-DailyHealth -Site Globex).Count | Should -Be 14
        Get-NotionDuplicate -Database CustomerSites | Should -BeNullOrEmpty
    }
}
