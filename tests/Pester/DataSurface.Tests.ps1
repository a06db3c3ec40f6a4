#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The data-surface cmdlets as users run them: Export-NotionDatabase, Initialize-NotionExportStore and
    Sync-NotionTable, imported by path, against the Notion fake running as a process of its own and a SQLite file
    (Fixtures/teams.sqlite). The engine behaviour behind them (watermarks, trash, 25,000 rows, Databricks, conflicts,
    PostgreSQL) is proven by the xUnit tests in tests/OberaConnect.Engine.Tests/DataSurface; these check the cmdlets'
    own part: parameters, pipeline binding, -WhatIf, results, errors and the edition rule for PostgreSQL.
#>

BeforeAll {
    $script:ManifestPath = if ($env:OBERACONNECT_MODULE_MANIFEST) { $env:OBERACONNECT_MODULE_MANIFEST } else { Join-Path $PSScriptRoot '../../out/OberaConnect/OberaConnect.psd1' }
    Import-Module -Name $script:ManifestPath -Force -ErrorAction Stop
    . (Join-Path $PSScriptRoot 'DataSurface.Support.ps1')

    $script:Fake = Start-NotionFake
    $script:SavedToken = $env:OBERACONNECT_NOTION_TOKEN
    $env:OBERACONNECT_NOTION_TOKEN = $script:Fake.Token

    $script:Projects = New-FakeDatabase -Fake $script:Fake -Title 'Projects'
    1..5 | ForEach-Object { $null = Add-FakePage -Fake $script:Fake -Database $script:Projects -Name "Project $_" }
    $script:Risks = New-FakeDatabase -Fake $script:Fake -Title 'Risks'
    1..2 | ForEach-Object { $null = Add-FakePage -Fake $script:Fake -Database $script:Risks -Name "Risk $_" }
    $script:Config = New-DataSurfaceConfig -Fake $script:Fake -Directory $TestDrive -ExportDatabases @{ projects = $script:Projects.DatabaseId; risks = $script:Risks.DatabaseId }
}

AfterAll {
    Stop-NotionFake $script:Fake
    $env:OBERACONNECT_NOTION_TOKEN = $script:SavedToken
    Remove-Module -Name OberaConnect -Force -ErrorAction SilentlyContinue
}

Describe 'Export-NotionDatabase' {
    It 'exports every configured database, one result each, and a rerun inserts and updates nothing' {
        $path = Join-Path $TestDrive 'all.db'
        $first = @(Export-NotionDatabase -All -ConfigPath $script:Config -Path $path)
        $first.Count | Should -Be 2
        ($first | Where-Object DatabaseName -eq 'projects').Inserted | Should -Be 5
        ($first | Where-Object DatabaseName -eq 'risks').Inserted | Should -Be 2
        $first | ForEach-Object { $_.Succeeded | Should -BeTrue; $_.WatermarkAfter | Should -Not -BeNullOrEmpty; $_.Requests | Should -BeGreaterThan 0 }
        $first[0].PSObject.TypeNames[0] | Should -Be 'OberaConnect.Engine.DataSurface.Export.DatabaseExportResult'
        Test-Path -LiteralPath $path | Should -BeTrue

        $again = @(Export-NotionDatabase -All -ConfigPath $script:Config -Path $path)
        ($again | Measure-Object -Property Inserted -Sum).Sum | Should -Be 0
        ($again | Measure-Object -Property Updated -Sum).Sum | Should -Be 0
        $again | ForEach-Object { $_.FullRefresh | Should -BeFalse }
    }

    It 'takes database names from the pipeline and ids by property name' {
        $path = Join-Path $TestDrive 'piped.db'
        $byName = @('risks' | Export-NotionDatabase -ConfigPath $script:Config -Path $path)
        $byName.DatabaseName | Should -Be 'risks'
        $byId = @([pscustomobject]@{ DatabaseId = $script:Projects.DatabaseId } | Export-NotionDatabase -ConfigPath $script:Config -Path $path -FullRefresh)
        $byId.DatabaseName | Should -Be 'projects'
        $byId.FullRefresh | Should -BeTrue
        $byId.PagesRead | Should -Be 5
    }

    It 'writes nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'whatif.db'
        $output = Export-NotionDatabase -All -ConfigPath $script:Config -Path $path -WhatIf
        $output | Should -BeNullOrEmpty
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'stops with ExportDatabaseUnknown for a name the configuration does not know' {
        { Export-NotionDatabase -Database 'budget_lines' -ConfigPath $script:Config -Path (Join-Path $TestDrive 'x.db') -ErrorAction Stop } |
            Should -Throw -ErrorId 'ExportDatabaseUnknown,OberaConnect.PowerShell.Commands.ExportNotionDatabaseCommand'
    }

    It 'reports a database that fails as an error and goes on with the next' {
        $path = Join-Path $TestDrive 'partial.db'
        $missing = '0123456789abcdef0123456789abcdef'
        $results = @(Export-NotionDatabase -DatabaseId $missing, $script:Risks.DatabaseId -ConfigPath $script:Config -Path $path -ErrorVariable failures -ErrorAction SilentlyContinue)
        $results.Count | Should -Be 2
        ($results | Where-Object DatabaseName -eq 'risks').Succeeded | Should -BeTrue
        ($results | Where-Object DatabaseName -ne 'risks').Succeeded | Should -BeFalse
        $failures.Count | Should -Be 1
        ($results | Get-OberaConnectExitCode -ItemError $failures).Code | Should -Be 1
    }
}

Describe 'Initialize-NotionExportStore' {
    It 'creates the SQLite file with its tables and says where' {
        $path = Join-Path $TestDrive 'init/bronze.db'
        $store = Initialize-NotionExportStore -Store Sqlite -Path $path -ConfigPath $script:Config
        $store.Store | Should -Be 'Sqlite'
        $store.Location | Should -Be ([System.IO.Path]::GetFullPath($path))
        $store.Tables | Should -Be @('notion_raw_pages', 'notion_sync_watermarks')
        Test-Path -LiteralPath $path | Should -BeTrue
    }

    It 'creates nothing with -WhatIf' {
        $path = Join-Path $TestDrive 'init/whatif.db'
        Initialize-NotionExportStore -Store Sqlite -Path $path -ConfigPath $script:Config -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath $path | Should -BeFalse
    }

    It 'stops with a configuration error when Databricks is not configured' {
        $saved = $env:DATABRICKS_HOST
        $env:DATABRICKS_HOST = $null
        try {
            { Initialize-NotionExportStore -Store Databricks -ConfigPath $script:Config -ErrorAction Stop } |
                Should -Throw -ErrorId 'DatabricksSettingInvalid,OberaConnect.PowerShell.Commands.InitializeNotionExportStoreCommand'
        }
        finally { $env:DATABRICKS_HOST = $saved }
    }
}

Describe 'Sync-NotionTable on SQLite' {
    BeforeEach {
        $script:Teams = New-FakeDatabase -Fake $script:Fake -Title ('Teams ' + [guid]::NewGuid().ToString('N').Substring(0, 6))
        $script:TeamsDb = Copy-TeamsDatabase -Directory $TestDrive
        $script:SyncArguments = @{ Provider = 'Sqlite'; ConnectionString = $script:TeamsDb; Table = 'team'; DatabaseId = $script:Teams.DatabaseId; ConfigPath = $script:Config }
    }

    It 'shows the plan and writes nothing with -WhatIf' {
        $output = Sync-NotionTable @script:SyncArguments -WhatIf
        $output | Should -BeNullOrEmpty
        Get-FakePages -Fake $script:Fake -Database $script:Teams | Should -BeNullOrEmpty
    }

    It 'pushes every row on the first run and writes nothing on the second' {
        $first = @(Sync-NotionTable @script:SyncArguments)
        $first.Count | Should -Be 4
        $first | ForEach-Object { $_.Status | Should -Be 'Created'; $_.Side | Should -Be 'Notion'; $_.SyncStatus | Should -Be 'synced' }
        $first[0].PSObject.TypeNames[0] | Should -Be 'OberaConnect.Engine.DataSurface.Sync.TableSyncResult'
        $pages = Get-FakePages -Fake $script:Fake -Database $script:Teams
        $pages.Count | Should -Be 4
        ($pages | ForEach-Object { $_.properties.postgres_id.rich_text[0].plain_text } | Sort-Object) | Should -Be @('t1', 't2', 't3', 't4')

        $second = @(Sync-NotionTable @script:SyncArguments)
        $second | ForEach-Object { $_.Status | Should -Be 'Unchanged' }
    }

    It 'pulls a page edited in Notion into its row' {
        $null = Sync-NotionTable @script:SyncArguments
        $page = Get-FakePages -Fake $script:Fake -Database $script:Teams | Where-Object { $_.properties.postgres_id.rich_text[0].plain_text -eq 't2' }
        $null = Invoke-NotionFake -Fake $script:Fake -Method Patch -Path "v1/pages/$($page.id)" -Body @{ properties = @{ Name = @{ title = @(@{ type = 'text'; text = @{ content = 'Team 2 from Notion' } }) } } }

        $results = @(Sync-NotionTable @script:SyncArguments)
        $pulled = $results | Where-Object Key -eq 't2'
        $pulled.Status | Should -Be 'Updated'
        $pulled.Side | Should -Be 'Database'
        $pulled.ChangedColumns | Should -Be @('name')
    }

    It 'binds Table and DatabaseId from piped objects' {
        $results = @([pscustomobject]@{ Table = 'team'; DatabaseId = $script:Teams.DatabaseId } |
            Sync-NotionTable -Provider Sqlite -ConnectionString "Data Source=$($script:TeamsDb)" -ConfigPath $script:Config -Direction Push)
        $results.Count | Should -Be 4
        $results | ForEach-Object { $_.Table | Should -Be 'team' }
    }

    It 'reports a table that does not exist as an error and writes nothing' {
        $results = Sync-NotionTable -Provider Sqlite -ConnectionString $script:TeamsDb -Table 'no_such_table' -DatabaseId $script:Teams.DatabaseId -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
        $results | Should -BeNullOrEmpty
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'SyncTableNotFound,*'
    }
}

Describe 'Sync-NotionTable on PostgreSQL, by edition' {
    # One test for both editions (build.ps1 runs the suite on each): 5.1 refuses PostgreSQL naming the fix,
    # 7 loads the provider from Dependencies. Nothing is skipped; each edition checks its own half.
    It 'refuses PostgreSQL on Windows PowerShell 5.1 naming PowerShell 7.4, and on PowerShell 7 loads the provider from Dependencies' {
        if ($PSVersionTable.PSEdition -eq 'Desktop') {
            $null = Sync-NotionTable -Provider PostgreSql -ConnectionString 'Host=127.0.0.1;Database=x;Username=x;Password=x' -Table team -DatabaseId $script:Projects.DatabaseId -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'PostgreSqlNeedsPowerShell7,*'
        }
        else {
            $null = Sync-NotionTable -Provider PostgreSql -ConnectionString 'Host=127.0.0.1;Port=1;Database=x;Username=x;Password=not-shown-0451;Timeout=3' -Table team -DatabaseId $script:Projects.DatabaseId -ConfigPath $script:Config -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures[0].FullyQualifiedErrorId | Should -BeLike 'PostgresUnavailable,*'
            ($failures | Out-String) | Should -Not -Match 'not-shown-0451'
            $provider = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OberaConnect.Engine.PostgreSql' }
            $provider.Location | Should -BeLike (Join-Path (Split-Path -Parent $script:ManifestPath) 'Dependencies*')
        }
    }
}

Describe 'Export-NotionDatabase into the standalone Databricks fake' {
    BeforeAll {
        # What a user does to try the Databricks store: start the fake with --service databricks and use what it prints.
        $script:Databricks = Start-Fake -Service databricks
        $script:DatabricksConfig = Join-Path $TestDrive 'databricks.json'
        $config = [ordered]@{
            notion     = @{ baseUrl = $script:Fake.BaseUrl }
            databricks = @{ host = $script:Databricks.Values['host']; warehouseId = $script:Databricks.Values['warehouse'] }
            export     = @{ store = 'Databricks'; databases = @{ projects = $script:Projects.DatabaseId } }
            paths      = @{ logDirectory = (Join-Path $TestDrive 'logs'); metricsPath = (Join-Path $TestDrive 'databricks.prom') }
        }
        $config | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $script:DatabricksConfig -Encoding UTF8
        $script:SavedDatabricksToken = $env:DATABRICKS_TOKEN
        $env:DATABRICKS_TOKEN = $script:Databricks.Values['token']
    }

    AfterAll {
        $env:DATABRICKS_TOKEN = $script:SavedDatabricksToken
        Stop-Fake $script:Databricks
    }

    It 'prints the host, token and warehouse, and the export goes there and is counted per service' {
        $script:Databricks.Values['host'] | Should -Match '^http://127\.0\.0\.1:\d+$'
        $script:Databricks.Values['token'] | Should -Not -BeNullOrEmpty
        $script:Databricks.Values['warehouse'] | Should -Not -BeNullOrEmpty
        $script:Databricks.Text | Should -Match 'DATABRICKS_TOKEN='

        (Initialize-NotionExportStore -ConfigPath $script:DatabricksConfig).Store | Should -Be 'Databricks'
        $result = Export-NotionDatabase -ConfigPath $script:DatabricksConfig -All
        $result.Inserted | Should -Be 5
        $result.Store | Should -BeLike 'Databricks 127.0.0.1 *'
        $metrics = [System.IO.File]::ReadAllText((Join-Path $TestDrive 'databricks.prom'))
        $metrics | Should -Match '(?m)^oberaconnect_requests_total\{service="databricks"\} [1-9]'
        $metrics | Should -Match '(?m)^oberaconnect_requests_total\{service="notion"\} [1-9]'
        $metrics | Should -Match '(?m)^oberaconnect_sync_total\{operation="Export-NotionDatabase"\} 1$'
    }
}
