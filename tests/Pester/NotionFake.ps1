<#
    Helpers for Pester tests that need Notion: run the repository's Notion fake (tests/OberaConnect.Fakes) as a
    process on 127.0.0.1, write configuration files that point at it, and look at the fake through its REST API
    (the fake's request counters live in its process; what it holds is reachable over HTTP like Notion).
    Dot-source it in BeforeAll:  . (Join-Path $PSScriptRoot 'NotionFake.ps1')

    The fake is built once (dotnet build, what `dotnet run --project tests/OberaConnect.Fakes` does) and its
    dll is started directly, so stopping it is stopping one process, on Windows PowerShell 5.1 as on 7.
    Set OBERACONNECT_FAKES_DLL to a built OberaConnect.Fakes.dll to skip the build.
#>

function Start-NotionFake {
    [CmdletBinding()]
    param(
        # The integration token the fake accepts; random by default.
        [string] $Token = ('ntn_pester' + [guid]::NewGuid().ToString('N')),
        [int] $TimeoutSeconds = 120
    )
    $repository = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
    $dll = $env:OBERACONNECT_FAKES_DLL
    if (-not $dll) {
        $project = Join-Path $repository 'tests/OberaConnect.Fakes/OberaConnect.Fakes.csproj'
        $build = & dotnet build $project -c Release --nologo -v quiet 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Building the Notion fake failed:`n$($build | Out-String)" }
        $dll = Join-Path $repository 'tests/OberaConnect.Fakes/bin/Release/net10.0/OberaConnect.Fakes.dll'
    }
    if (-not (Test-Path -LiteralPath $dll)) { throw "The Notion fake is not built: $dll does not exist." }

    $stdout = [System.IO.Path]::GetTempFileName()
    $stderr = [System.IO.Path]::GetTempFileName()
    # One argument string with explicit quotes: Start-Process joins an array without quoting on Windows PowerShell.
    $arguments = '"{0}" --service notion --port 0 --no-rate-limit --token {1}' -f $dll, $Token
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $arguments -RedirectStandardOutput $stdout -RedirectStandardError $stderr -NoNewWindow -PassThru

    $deadline = (Get-Date).AddSeconds($TimeoutSeconds)
    $text = ''
    while ($true) {
        Start-Sleep -Milliseconds 200
        $text = Get-Content -LiteralPath $stdout -Raw -ErrorAction SilentlyContinue
        if ($text -match 'unshared page id') { break }
        if ($process.HasExited -or (Get-Date) -gt $deadline) {
            $errors = Get-Content -LiteralPath $stderr -Raw -ErrorAction SilentlyContinue
            if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue }
            throw "The Notion fake did not start.`n$text`n$errors"
        }
    }

    $baseUrl = [regex]::Match($text, 'base URL\s+(\S+)').Groups[1].Value
    if (-not $baseUrl.EndsWith('/')) { $baseUrl += '/' }
    [pscustomobject]@{
        Process        = $process
        BaseUrl        = $baseUrl
        Token          = $Token
        RootPageId     = [regex]::Match($text, 'root page id\s+(\S+)').Groups[1].Value
        UnsharedPageId = [regex]::Match($text, 'unshared page id\s+(\S+)').Groups[1].Value
        OutputFile     = $stdout
        ErrorFile      = $stderr
    }
}

function Stop-NotionFake {
    [CmdletBinding()]
    param($Fake)
    if ($null -eq $Fake) { return }
    if (-not $Fake.Process.HasExited) {
        Stop-Process -Id $Fake.Process.Id -Force -ErrorAction SilentlyContinue
        $null = $Fake.Process.WaitForExit(10000)
    }
    Remove-Item -LiteralPath $Fake.OutputFile, $Fake.ErrorFile -Force -ErrorAction SilentlyContinue
}

function New-FakeConfiguration {
    <# A configuration file whose Notion base URL is the fake; extra settings are merged in at the top level. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Fake,
        [Parameter(Mandatory)] [string] $Path,
        [hashtable] $Settings = @{}
    )
    $content = @{ notion = @{ baseUrl = $Fake.BaseUrl } }
    foreach ($key in $Settings.Keys) { $content[$key] = $Settings[$key] }
    $directory = Split-Path -Parent $Path
    if ($directory -and -not (Test-Path -LiteralPath $directory)) { $null = New-Item -ItemType Directory -Path $directory -Force }
    [System.IO.File]::WriteAllText($Path, ($content | ConvertTo-Json -Depth 10), [System.Text.UTF8Encoding]::new($false))
    $Path
}

function Invoke-NotionFake {
    <# A request to the fake's Notion API, as any client would send it. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Fake,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method = 'Get',
        $Body
    )
    $request = @{
        Method      = $Method
        Uri         = $Fake.BaseUrl + $Path.TrimStart('/')
        Headers     = @{ Authorization = "Bearer $($Fake.Token)"; 'Notion-Version' = '2026-03-11' }
        ContentType = 'application/json'
    }
    if ($null -ne $Body) { $request.Body = [System.Text.Encoding]::UTF8.GetBytes(($Body | ConvertTo-Json -Depth 20 -Compress)) }
    Invoke-RestMethod @request
}

function New-FakePage {
    <# A page under another page (Notion's POST /v1/pages); returns its id. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Fake, [Parameter(Mandatory)] [string] $ParentPageId, [Parameter(Mandatory)] [string] $Title)
    $body = @{
        parent     = @{ type = 'page_id'; page_id = $ParentPageId }
        properties = @{ title = @{ title = @(@{ type = 'text'; text = @{ content = $Title } }) } }
    }
    (Invoke-NotionFake -Fake $Fake -Method Post -Path 'v1/pages' -Body $body).id
}

function Get-FakeChildDatabase {
    <# Titles of the databases directly under a page, as Notion lists them (trashed ones are not listed). #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Fake, [Parameter(Mandatory)] [string] $PageId)
    $answer = Invoke-NotionFake -Fake $Fake -Path "v1/blocks/$PageId/children?page_size=100"
    @($answer.results | Where-Object type -eq 'child_database' | ForEach-Object { $_.child_database.title })
}

function Get-FakeSchema {
    <# The properties of a data source, as GET /v1/data_sources/{id} returns them. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Fake, [Parameter(Mandatory)] [string] $DataSourceId)
    (Invoke-NotionFake -Fake $Fake -Path "v1/data_sources/$DataSourceId").properties
}

function Set-FakeSchema {
    <# Changes a data source's schema the way a person would in Notion (PATCH /v1/data_sources/{id}); $null removes a property. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Fake, [Parameter(Mandatory)] [string] $DataSourceId, [Parameter(Mandatory)] [hashtable] $Properties)
    $null = Invoke-NotionFake -Fake $Fake -Method Patch -Path "v1/data_sources/$DataSourceId" -Body @{ properties = $Properties }
}

function Save-EnvironmentVariable {
    <# The current values of some environment variables, to give back to Restore-EnvironmentVariable. #>
    param([string[]] $Name)
    $saved = @{}
    foreach ($n in $Name) { $saved[$n] = [Environment]::GetEnvironmentVariable($n) }
    $saved
}

function Restore-EnvironmentVariable {
    param([hashtable] $Saved)
    foreach ($n in $Saved.Keys) { [Environment]::SetEnvironmentVariable($n, $Saved[$n]) }
}

# Helpers of the sync tests (Sync.Tests.ps1): the fake seeded with the OberaConnect workspace.
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
