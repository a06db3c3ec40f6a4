<#
    Dot-source this file to run the Notion fake for Pester tests: a separate process on 127.0.0.1 with the
    OberaConnect workspace seeded (the module's seven databases) and a configuration file written for it.

        . (Join-Path $PSScriptRoot 'NotionFake.ps1')
        $fake = Start-OberaNotionFake -Directory $TestDrive
        Sync-CustomerStatus -ConfigPath $fake.ConfigPath ...
        Stop-OberaNotionFake $fake

    The token is random and set in $env:OBERACONNECT_NOTION_TOKEN (the credential resolver reads it before NOTION_TOKEN); the previous value is
    restored by Stop-OberaNotionFake. The fake does not rate-limit; the module still paces itself to 3 requests/s.
#>

function Start-OberaNotionFake {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Directory,
        [TimeSpan] $StartTimeout = [TimeSpan]::FromMinutes(3)
    )
    $repository = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $project = Join-Path $repository 'tests/OberaConnect.Fakes'
    $assembly = Join-Path $project 'bin/Release/net10.0/OberaConnect.Fakes.dll'
    if (-not (Test-Path -LiteralPath $assembly)) {
        & dotnet build $project -c Release --nologo -v quiet | Out-Null
        if ($LASTEXITCODE -ne 0) { throw "Building the Notion fake ($project) failed." }
    }
    $null = New-Item -ItemType Directory -Path $Directory -Force
    $id = [guid]::NewGuid().ToString('N')
    $configPath = Join-Path $Directory "oberaconnect-$id.json"
    $log = Join-Path $Directory "notion-fake-$id.log"
    $token = "ntn_fake_pester_$id"
    $arguments = @("`"$assembly`"", '--service', 'notion', '--port', '0', '--token', $token, '--no-rate-limit',
        '--seed-workspace', '--write-config', "`"$configPath`"")
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -RedirectStandardOutput $log -PassThru -NoNewWindow
    $deadline = [DateTime]::UtcNow + $StartTimeout
    while ($true) {
        $text = if (Test-Path -LiteralPath $log) { Get-Content -LiteralPath $log -Raw } else { '' }
        if ($text -match 'Press Ctrl\+C') { break }
        if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
            if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue }
            throw "The Notion fake did not start: $text"
        }
        Start-Sleep -Milliseconds 200
    }
    $baseUrl = [regex]::Match($text, 'base URL\s+(\S+)').Groups[1].Value
    $previousToken = $env:OBERACONNECT_NOTION_TOKEN
    $env:OBERACONNECT_NOTION_TOKEN = $token
    [pscustomobject]@{
        Process       = $process
        BaseUrl       = $baseUrl
        Token         = $token
        ConfigPath    = $configPath
        Log           = $log
        PreviousToken = $previousToken
    }
}

function Stop-OberaNotionFake {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] $Fake)
    if ($null -eq $Fake) { return }
    if (-not $Fake.Process.HasExited) { Stop-Process -Id $Fake.Process.Id -Force -ErrorAction SilentlyContinue }
    $env:OBERACONNECT_NOTION_TOKEN = $Fake.PreviousToken
}

function Invoke-NotionFakeQuery {
    <# The pages of one database of the fake, read over its REST API (to check what a cmdlet wrote). #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Fake,
        [Parameter(Mandatory)] [string] $Database
    )
    $config = Get-Content -LiteralPath $Fake.ConfigPath -Raw | ConvertFrom-Json
    $dataSource = $config.databases.$Database.dataSourceId
    $headers = @{ Authorization = "Bearer $($Fake.Token)"; 'Notion-Version' = '2026-03-11' }
    $pages = @()
    $body = @{ page_size = 100 }
    do {
        $answer = Invoke-RestMethod -Method Post -Uri "$($Fake.BaseUrl)v1/data_sources/$dataSource/query" -Headers $headers `
            -ContentType 'application/json' -Body ($body | ConvertTo-Json -Compress)
        $pages += @($answer.results)
        $body = @{ page_size = 100; start_cursor = $answer.next_cursor }
    } while ($answer.has_more)
    $pages
}

function Get-NotionFakeText {
    <# Plain text of a property of a page returned by Invoke-NotionFakeQuery (title, rich_text, select, number, date). #>
    param([Parameter(Mandatory)] $Page, [Parameter(Mandatory)] [string] $Property)
    $value = $Page.properties.$Property
    switch ($value.type) {
        'title' { ($value.title | ForEach-Object { $_.plain_text }) -join '' }
        'rich_text' { ($value.rich_text | ForEach-Object { $_.plain_text }) -join '' }
        'select' { $value.select.name }
        'number' { $value.number }
        'date' { $value.date.start }
        'checkbox' { $value.checkbox }
        'relation' { @($value.relation | ForEach-Object { $_.id }) -join ',' }
        default { $null }
    }
}
