#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    Output that travels: every type a cmdlet of the module declares in [OutputType] goes through ConvertTo-Json /
    ConvertFrom-Json (at the default depth) and Export-Csv / Import-Csv, and comes back as it went: no truncation
    warning, no .NET type name ("System.String[]", "OberaConnect.Engine...") in place of a value, enums as their
    names, durations as milliseconds, no exception or stack trace, every property a column. The objects are real
    output of the cmdlets against the Notion fake and the Sample source, except ScheduledJobTask (Task Scheduler is
    Windows-only), which is built directly.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'DataSurface.Support.ps1')
    $script:Fake = Start-OberaNotionFake -Directory (Join-Path $TestDrive 'fake')
    $script:Config = $script:Fake.ConfigPath
    $script:Produced = [ordered]@{}

    function Add-Produced {
        <# Keeps up to three objects of each output type, with the command that wrote them. #>
        param([string] $Command, [object[]] $Objects)
        foreach ($object in $Objects) {
            if ($null -eq $object) { continue }
            $base = $object.PSObject.BaseObject
            $name = $base.GetType().FullName
            if (-not $script:Produced.Contains($name)) { $script:Produced[$name] = [System.Collections.Generic.List[object]]::new() }
            if ($script:Produced[$name].Count -lt 3) { $script:Produced[$name].Add([pscustomobject]@{ Command = $Command; Object = $object }) }
        }
    }

    function Get-ValueProblem {
        <#
            What a value would carry badly into CSV or JSON: an enum (a number in JSON), a TimeSpan (fifteen fields), an
            exception (a stack trace), a list whose text is its type name, or a nested object whose own members do.
        #>
        param($Value, [string] $Path, [int] $Depth = 0)
        if ($null -eq $Value -or $Depth -gt 3) { return }
        # Not an if-expression: its output would unroll a list into an object[].
        $base = $Value
        if ($Value -is [psobject]) { $base = $Value.PSObject.BaseObject }
        if ($base -is [enum]) { return "${Path}: an enum ($($base.GetType().Name)) exports as a number" }
        if ($base -is [timespan]) { return "${Path}: a TimeSpan exports as fifteen fields" }
        if ($base -is [exception]) { return "${Path}: an exception exports its stack trace" }
        if ($base -is [string] -or $base -is [valuetype] -or $base -is [uri]) { return }
        if ($base -is [System.Collections.IDictionary]) {
            if ("$base" -match '^System\.|^OberaConnect\.') { "${Path}: a dictionary writes '$base' in CSV" }
            foreach ($key in @($base.Keys)) { Get-ValueProblem -Value $base[$key] -Path "$Path[$key]" -Depth ($Depth + 1) }
            return
        }
        if ($base -is [System.Collections.IEnumerable]) {
            if ($base.ToString() -match '^System\.|^OberaConnect\.') { "${Path}: a list writes '$($base.ToString())' in CSV" }
            $i = 0
            foreach ($item in $base) { Get-ValueProblem -Value $item -Path "$Path[$i]" -Depth ($Depth + 1); $i++ }
            return
        }
        $text = "$base"
        if ($text -match '^System\.|^OberaConnect\.' -or $text -match '^\w+ \{ ') { "${Path}: an object writes '$text' in CSV and lists" }
        foreach ($property in $Value.PSObject.Properties) {
            Get-ValueProblem -Value $property.Value -Path "$Path.$($property.Name)" -Depth ($Depth + 1)
        }
    }

    function Get-ExportProblem {
        <# Every way the object fails to travel through JSON and CSV, as text (nothing when it travels well). #>
        param($Object, [string] $Directory)
        $names = @($Object.PSObject.Properties | ForEach-Object Name)
        foreach ($property in $Object.PSObject.Properties) { Get-ValueProblem -Value $property.Value -Path $property.Name }

        $warnings = @()
        $json = $Object | ConvertTo-Json -WarningVariable warnings -WarningAction SilentlyContinue
        if ($warnings.Count -gt 0) { "ConvertTo-Json warned: $($warnings -join '; ')" }
        if ($json -match '"(System|OberaConnect)\.[A-Za-z.`\[\]0-9]+') { "ConvertTo-Json wrote a type name: $($Matches[0])" }
        if ($json -match '"StackTrace"|"HResult"|"TotalMilliseconds"') { "ConvertTo-Json wrote $($Matches[0])" }
        $back = $json | ConvertFrom-Json
        $backNames = @($back.PSObject.Properties | ForEach-Object Name)
        if (Compare-Object $names $backNames) { "JSON round trip changed the properties: $($names -join ',') -> $($backNames -join ',')" }
        foreach ($property in $Object.PSObject.Properties) {
            $value = $property.Value
            if ($value -is [string] -or $value -is [bool] -or $value -is [int] -or $value -is [long]) {
                if ($back.($property.Name) -ne $value) { "JSON round trip changed $($property.Name): '$value' -> '$($back.($property.Name))'" }
            }
        }

        $csv = Join-Path $Directory ([guid]::NewGuid().ToString('N') + '.csv')
        $Object | Export-Csv -LiteralPath $csv -NoTypeInformation
        $row = Import-Csv -LiteralPath $csv
        $columns = @($row.PSObject.Properties | ForEach-Object Name)
        if (Compare-Object $names $columns) { "CSV round trip changed the columns: $($names -join ',') -> $($columns -join ',')" }
        foreach ($column in $row.PSObject.Properties) {
            if ($column.Value -match '^(System|OberaConnect)\.') { "Export-Csv wrote a type name in $($column.Name): $($column.Value)" }
            $original = $Object.($column.Name)
            if ($null -ne $original -and $original -is [System.Collections.IEnumerable] -and $original -isnot [string] -and $column.Value -ne $original.ToString()) {
                "Export-Csv wrote $($column.Name) as '$($column.Value)', not its text '$($original.ToString())'"
            }
        }
    }

    # Real output of the cmdlets: the Sample source, the seeded workspace in the Notion fake, a SQLite file.
    $sites = @(Get-CustomerSite -Source Sample -IncludeMismatches -WarningAction SilentlyContinue)
    Add-Produced 'Get-CustomerSite' ($sites | Where-Object { $_.PSObject.BaseObject.GetType().Name -eq 'SiteMismatch' })
    $customers = @($sites | Where-Object { $_.PSObject.BaseObject.GetType().Name -eq 'CustomerSite' } | Select-Object -First 3)
    Add-Produced 'Get-CustomerSite' $customers
    Add-Produced 'Get-HealthScore' @($customers | Get-HealthScore)
    Add-Produced 'Get-UniFiSite' @(Get-UniFiSite -Source Sample | Select-Object -First 2)
    Add-Produced 'Get-UniFiDevice' @(Get-UniFiDevice -Source Sample -SiteName $customers[0].SiteName | Select-Object -First 2)
    Add-Produced 'Get-NinjaOneOrganization' @(Get-NinjaOneOrganization -Source Sample | Select-Object -First 2)
    Add-Produced 'Get-NinjaOneDevice' @(Get-NinjaOneDevice -Source Sample | Select-Object -First 2)
    Add-Produced 'Get-NinjaOneAlert' @(Get-NinjaOneAlert -Source Sample | Select-Object -First 2)

    $bad = [pscustomobject]@{ SiteName = 'Nowhere Site'; DevicesOnline = 'many' }
    $synced = @(@($customers) + $bad | Sync-CustomerStatus -ConfigPath $script:Config -Summary -ErrorAction SilentlyContinue)
    Add-Produced 'Sync-CustomerStatus' ($synced | Where-Object Status -eq 'Failed')
    Add-Produced 'Sync-CustomerStatus' $synced
    $site = $customers[0].SiteName
    $null = $customers | Add-DailyHealthSnapshot -ConfigPath $script:Config
    $null = Write-ConfigChange -Site $site -Tool unifi -Action Update -Engineer jdoe -Details 'VLAN 20' -Result Success -ConfigPath $script:Config
    $null = Sync-NetworkDevice -SiteName $site -Mac 'aa:bb:cc:00:00:01' -Name 'usw-office' -Status Online -ProductLine Network -ConfigPath $script:Config
    $null = Sync-Alert -AlertId 'export-1' -SiteName $site -Severity MAJOR -Subject 'Disk C: below 5%' -ConfigPath $script:Config
    Add-Produced 'Get-CustomerStatus' @(Get-CustomerStatus -Site $site -ConfigPath $script:Config)
    Add-Produced 'Get-DailyHealth' @(Get-DailyHealth -Site $site -ConfigPath $script:Config)
    Add-Produced 'Get-ConfigChange' @(Get-ConfigChange -Site $site -ConfigPath $script:Config)
    Add-Produced 'Get-NetworkDevice' @(Get-NetworkDevice -Site $site -ConfigPath $script:Config)
    Add-Produced 'Get-Alert' @(Get-Alert -Site $site -ConfigPath $script:Config)
    Add-Produced 'Get-NotionPage' @(Get-NotionPage -Database CustomerSites -ConfigPath $script:Config | Select-Object -First 2)

    # A second page with the same site name makes a duplicate to find and (as a preview) remove.
    $sitesDataSource = (Get-Content -Raw -LiteralPath $script:Config | ConvertFrom-Json).databases.CustomerSites.dataSourceId
    $null = Invoke-NotionFake -Fake $script:Fake -Method Post -Path 'v1/pages' -Body @{
        parent = @{ type = 'data_source_id'; data_source_id = $sitesDataSource }
        properties = @{ 'Site Name' = @{ title = (ConvertTo-NotionText $site) } }
    }
    $duplicates = @(Get-NotionDuplicate -Database CustomerSites -ConfigPath $script:Config)
    Add-Produced 'Get-NotionDuplicate' $duplicates
    Add-Produced 'Remove-NotionDuplicate' @($duplicates | Remove-NotionDuplicate -ConfigPath $script:Config -Confirm:$false)

    Add-Produced 'Test-OberaConnectHealth' @(Test-OberaConnectHealth -ConfigPath $script:Config)
    Add-Produced 'Export-OberaConnectMetric' @(Export-OberaConnectMetric -ConfigPath $script:Config -Path (Join-Path $TestDrive 'health.prom'))
    Add-Produced 'Get-OberaConnectConfiguration' @(Get-OberaConnectConfiguration -ConfigPath $script:Config)
    Add-Produced 'Connect-OberaConnect' @(Connect-OberaConnect -ConfigPath $script:Config)
    Disconnect-OberaConnect
    Add-Produced 'New-OberaConnectConfiguration' @(New-OberaConnectConfiguration -Path (Join-Path $TestDrive 'starter.json'))
    Add-Produced 'Get-OberaConnectExitCode' @($synced | Get-OberaConnectExitCode)
    # Every database is configured already: the cmdlet reports each as it is and changes nothing.
    Add-Produced 'Initialize-OberaNotionWorkspace' @(Initialize-OberaNotionWorkspace -ParentPageId $script:Fake.RootPageId -ConfigPath $script:Config -Confirm:$false)

    # An extra property in Customer Sites is a schema difference Test-NotionSchema -IncludeExtra reports.
    $null = Invoke-NotionFake -Fake $script:Fake -Method Patch -Path "v1/data_sources/$sitesDataSource" -Body @{ properties = @{ 'Export Notes' = @{ rich_text = @{} } } }
    Add-Produced 'Test-NotionSchema' @(Test-NotionSchema -Database CustomerSites -IncludeExtra -ConfigPath $script:Config)

    $store = Join-Path $TestDrive 'bronze.db'
    $databaseId = (Get-Content -Raw -LiteralPath $script:Config | ConvertFrom-Json).databases.CustomerSites.databaseId
    Add-Produced 'Initialize-NotionExportStore' @(Initialize-NotionExportStore -Store Sqlite -Path $store -ConfigPath $script:Config)
    Add-Produced 'Export-NotionDatabase' @(Export-NotionDatabase -DatabaseId $databaseId -Store Sqlite -Path $store -ConfigPath $script:Config)
    $teams = New-FakeDatabase -Fake $script:Fake -Title 'Export Teams'
    Add-Produced 'Sync-NotionTable' @(Sync-NotionTable -Provider Sqlite -ConnectionString (Copy-TeamsDatabase -Directory $TestDrive) -Table team -DatabaseId $teams.DatabaseId -ConfigPath $script:Config | Select-Object -First 2)

    # Task Scheduler is a Windows feature: the task the cmdlet would register is built directly.
    $taskType = (Get-Command Register-OberaConnectScheduledTask).OutputType[0].Type
    Add-Produced 'Register-OberaConnectScheduledTask' @([Activator]::CreateInstance($taskType))

    $script:Declared = @(Get-Command -Module OberaConnect | ForEach-Object { $_.OutputType } | ForEach-Object { $_.Type } |
        Where-Object { $_ -and $_ -ne [bool] } | ForEach-Object FullName | Sort-Object -Unique)
    $script:Cases = @($script:Produced.Keys | ForEach-Object { @{ Type = $_ } })
}

AfterAll {
    Stop-OberaNotionFake $script:Fake
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Output that exports cleanly' {
    It 'has a real object of every declared output type' {
        @($script:Declared | Where-Object { -not $script:Produced.Contains($_) }) | Should -BeNullOrEmpty -Because 'each [OutputType] of the module must be round-tripped'
        $script:Declared.Count | Should -BeGreaterThan 25
    }

    It 'every output type travels through JSON and CSV unchanged' {
        $problems = foreach ($type in $script:Produced.Keys) {
            foreach ($sample in $script:Produced[$type]) {
                Get-ExportProblem -Object $sample.Object -Directory $TestDrive | ForEach-Object { "$type ($($sample.Command)): $_" }
            }
        }
        ($problems -join [Environment]::NewLine) | Should -BeNullOrEmpty
    }

    It 'a failed SyncResult carries a short message and an error id, and its exception stays on the error record' {
        $failed = @($script:Produced['OberaConnect.Engine.Sync.SyncResult'] | ForEach-Object Object | Where-Object Status -eq 'Failed')[0]
        $failed | Should -Not -BeNullOrEmpty
        $failed.ErrorId | Should -Be 'InvalidNumber'
        $failed.Error | Should -BeLike "*DevicesOnline 'many' is not a number*"
        $failed.PSObject.Properties.Name | Should -Not -Contain 'Exception'
        $failed.PSObject.Properties.Name | Should -Not -Contain 'Input'
        $json = $failed | ConvertTo-Json -Compress
        $json | Should -BeLike '*"Status":"Failed"*'
        $json | Should -Not -BeLike '*StackTrace*'
        $null = [pscustomobject]@{ SiteName = 'Nowhere Site'; DevicesOnline = 'many' } | Sync-CustomerStatus -ConfigPath $script:Config -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].Exception.GetType().Name | Should -Be 'InputValidationException'
        $errors[0].TargetObject.SiteName | Should -Be 'Nowhere Site'
    }

    It 'lists read as one text in CSV and stay arrays in JSON' {
        $status = $script:Produced['OberaConnect.Engine.ReadBack.CustomerStatus'][0].Object
        ($status | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv).DataSources | Should -Be ($status.DataSources -join ', ')
        ($status | ConvertTo-Json | ConvertFrom-Json).DataSources.Count | Should -Be @($status.DataSources).Count
        $created = @($script:Produced['OberaConnect.Engine.Sync.SyncResult'] | ForEach-Object Object | Where-Object Status -eq 'Created')[0]
        ($created | ConvertTo-Csv -NoTypeInformation | ConvertFrom-Csv).ChangedProperties | Should -BeLike 'Site Name, *'
    }

    It 'durations are milliseconds and health components are names with a readable text' {
        $health = $script:Produced['OberaConnect.Engine.Operations.ComponentHealth'][0].Object
        $health.PSObject.Properties.Name | Should -Contain 'LatencyMs'
        $health.PSObject.Properties.Name | Should -Not -Contain 'Latency'
        ($health | ConvertTo-Json | ConvertFrom-Json).Status | Should -BeIn @('Healthy', 'Degraded', 'Unhealthy')
        $score = $script:Produced['OberaConnect.Engine.Health.HealthScore'][0].Object
        ($score | Format-List | Out-String) | Should -Not -Match 'HealthComponentScore \{'
        ($score | Format-List -Property Components | Out-String) | Should -Match 'device availability -\d+ of \d+'
        $summary = @($script:Produced['OberaConnect.Engine.Sync.SyncSummary'])[0].Object
        $summary.DurationMs | Should -BeOfType [long]
    }
}
