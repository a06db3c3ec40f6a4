<#
    Helpers for the data-surface Pester tests (Export-NotionDatabase, Initialize-NotionExportStore, Sync-NotionTable):
    the Notion fake as a process of its own (Fakes.ps1), REST calls to seed it, a configuration file pointing the
    module at it, and a copy of the SQLite fixture Fixtures/teams.sqlite (table team: id TEXT key, name, status, budget NUMERIC, active BOOLEAN, updated_at; rows t1..t4).
    Dot-sourced by DataSurface.Tests.ps1 and by Module.Tests.ps1 (for the -WhatIf checks).
#>

. (Join-Path $PSScriptRoot 'Fakes.ps1')

function New-FakeDatabase {
    <# Creates a database under the fake's root page; returns its database and data source ids. #>
    param($Fake, [string] $Title, [hashtable] $Properties = @{ Name = @{ title = @{} } })
    $db = Invoke-NotionFake -Fake $Fake -Method Post -Path 'v1/databases' -Body @{
        parent = @{ type = 'page_id'; page_id = $Fake.RootPageId }
        title = (ConvertTo-NotionText $Title)
        initial_data_source = @{ properties = $Properties }
    }
    [pscustomobject]@{ DatabaseId = $db.id; DataSourceId = @($db.data_sources)[0].id }
}

function Add-FakePage {
    param($Fake, $Database, [string] $Name)
    Invoke-NotionFake -Fake $Fake -Method Post -Path 'v1/pages' -Body @{
        parent = @{ type = 'data_source_id'; data_source_id = $Database.DataSourceId }
        properties = @{ Name = @{ title = (ConvertTo-NotionText $Name) } }
    }
}

function Get-FakePages {
    param($Fake, $Database)
    @(Invoke-NotionFakeQuery -Fake $Fake -DataSourceId $Database.DataSourceId)
}

function New-DataSurfaceConfig {
    <# A configuration file pointing the module at the fake, exporting into a SQLite file of its own. #>
    param($Fake, [string] $Directory, [hashtable] $ExportDatabases = @{})
    $path = Join-Path $Directory ('config-' + [guid]::NewGuid().ToString('N') + '.json')
    $config = [ordered]@{
        notion = @{ baseUrl = $Fake.BaseUrl }
        export = @{ store = 'Sqlite'; sqlitePath = (Join-Path $Directory 'export.db'); databases = $ExportDatabases }
        paths  = @{ logDirectory = (Join-Path $Directory 'logs'); stateDirectory = (Join-Path $Directory 'state') }
    }
    $config | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $path -Encoding UTF8
    $path
}

function Copy-TeamsDatabase {
    param([string] $Directory)
    $path = Join-Path $Directory ('teams-' + [guid]::NewGuid().ToString('N') + '.sqlite')
    Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'Fixtures/teams.sqlite') -Destination $path
    $path
}
