<#
    Helpers for the data-surface Pester tests (Export-NotionDatabase, Initialize-NotionExportStore, Sync-NotionTable):
    the Notion fake as a process of its own on a free local port (tests/OberaConnect.Fakes, built by the solution
    build), REST calls to seed it, a configuration file pointing the module at it, and a copy of the SQLite fixture
    Fixtures/teams.sqlite (table team: id TEXT key, name, status, budget NUMERIC, active BOOLEAN, updated_at; rows t1..t4).
    Dot-sourced by DataSurface.Tests.ps1 and by Module.Tests.ps1 (for the -WhatIf checks).
#>

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-NotionFakeProcess {
    <# Starts the Notion fake without a rate limit and returns its base URL, token, root page id and process. #>
    param([string] $WorkDirectory)
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $assembly = @('Release', 'Debug') | ForEach-Object { Join-Path $root "tests/OberaConnect.Fakes/bin/$_/net10.0/OberaConnect.Fakes.dll" } |
        Where-Object { Test-Path -LiteralPath $_ } | Select-Object -First 1
    if (-not $assembly) { throw 'The Notion fake is not built: run dotnet build OberaConnect.PowerShell.sln first.' }
    $port = Get-FreeTcpPort
    $token = 'ntn_pester_' + [guid]::NewGuid().ToString('N')
    $stdout = Join-Path $WorkDirectory "notion-fake-$port.out"
    $process = Start-Process -FilePath 'dotnet' -ArgumentList @($assembly, '--service', 'notion', '--port', $port, '--token', $token, '--no-rate-limit') `
        -RedirectStandardOutput $stdout -PassThru -WindowStyle Hidden
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    $rootPage = $null
    while (-not $rootPage -and [DateTime]::UtcNow -lt $deadline) {
        Start-Sleep -Milliseconds 250
        if ($process.HasExited) { throw "The Notion fake exited with code $($process.ExitCode): $(Get-Content -LiteralPath $stdout -Raw -ErrorAction SilentlyContinue)" }
        $line = Get-Content -LiteralPath $stdout -ErrorAction SilentlyContinue | Where-Object { $_ -match 'root page id\s+(\S+)' } | Select-Object -First 1
        if ($line -and $line -match 'root page id\s+(\S+)') { $rootPage = $Matches[1] }
    }
    if (-not $rootPage) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue; throw "The Notion fake did not start on port $port within 60 s." }
    [pscustomobject]@{ BaseUrl = "http://127.0.0.1:$port/"; Token = $token; RootPageId = $rootPage; Process = $process }
}

function Stop-NotionFakeProcess {
    param($Fake)
    if ($Fake -and $Fake.Process -and -not $Fake.Process.HasExited) { Stop-Process -Id $Fake.Process.Id -Force -ErrorAction SilentlyContinue }
}

function Invoke-NotionFake {
    param($Fake, [string] $Method, [string] $Path, $Body)
    $headers = @{ Authorization = "Bearer $($Fake.Token)"; 'Notion-Version' = '2026-03-11' }
    $arguments = @{ Method = $Method; Uri = $Fake.BaseUrl + $Path; Headers = $headers; ContentType = 'application/json' }
    if ($null -ne $Body) { $arguments.Body = [System.Text.Encoding]::UTF8.GetBytes(($Body | ConvertTo-Json -Depth 20 -Compress)) }
    Invoke-RestMethod @arguments
}

function New-FakeDatabase {
    <# Creates a database under the fake's root page; returns its database and data source ids. #>
    param($Fake, [string] $Title, [hashtable] $Properties = @{ Name = @{ title = @{} } })
    $db = Invoke-NotionFake -Fake $Fake -Method Post -Path 'v1/databases' -Body @{
        parent = @{ type = 'page_id'; page_id = $Fake.RootPageId }
        title = @(@{ type = 'text'; text = @{ content = $Title } })
        initial_data_source = @{ properties = $Properties }
    }
    [pscustomobject]@{ DatabaseId = $db.id; DataSourceId = @($db.data_sources)[0].id }
}

function Add-FakePage {
    param($Fake, $Database, [string] $Name)
    Invoke-NotionFake -Fake $Fake -Method Post -Path 'v1/pages' -Body @{
        parent = @{ type = 'data_source_id'; data_source_id = $Database.DataSourceId }
        properties = @{ Name = @{ title = @(@{ type = 'text'; text = @{ content = $Name } }) } }
    }
}

function Get-FakePages {
    param($Fake, $Database)
    @((Invoke-NotionFake -Fake $Fake -Method Post -Path "v1/data_sources/$($Database.DataSourceId)/query" -Body @{ page_size = 100 }).results)
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
