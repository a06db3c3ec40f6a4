<#
    Helpers of the Pester suite: the repository's loopback fakes (tests/OberaConnect.Fakes: Notion, UniFi, NinjaOne, Databricks)
    run as processes on 127.0.0.1, configuration files that point the module at them, REST calls that look at
    what the Notion fake holds, and a child PowerShell of the same edition for the job scripts.
    Dot-source it in BeforeAll:  . (Join-Path $PSScriptRoot 'Fakes.ps1')

    The fakes are built once (dotnet build -c Release, what `dotnet run --project tests/OberaConnect.Fakes` does) and
    their dll is started directly, so stopping a fake is stopping one process, on Windows PowerShell 5.1 as on 7.
    build.ps1 sets OBERACONNECT_FAKES_DLL to the dll the solution build made, so no test file builds again.
#>

function Get-FakesAssembly {
    <# The built fakes (OberaConnect.Fakes.dll): OBERACONNECT_FAKES_DLL, or a Release build made now. #>
    $dll = $env:OBERACONNECT_FAKES_DLL
    if (-not $dll) {
        $repository = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '../..')).ProviderPath
        $project = Join-Path $repository 'tests/OberaConnect.Fakes/OberaConnect.Fakes.csproj'
        $build = & dotnet build $project -c Release --nologo -v quiet 2>&1
        if ($LASTEXITCODE -ne 0) { throw "Building the fakes failed:`n$($build | Out-String)" }
        $dll = Join-Path $repository 'tests/OberaConnect.Fakes/bin/Release/net10.0/OberaConnect.Fakes.dll'
    }
    if (-not (Test-Path -LiteralPath $dll)) { throw "The fakes are not built: $dll does not exist." }
    $dll
}

function Start-Fake {
    <#
        Starts one fake on a free port and waits until it says it is ready. Returns its process, base URL, what it
        printed, and each "  name   value" line it printed as Values (for example Values['root page id']).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateSet('notion', 'unifi', 'ninjaone', 'databricks')] [string] $Service,
        # More options of the fake (see --help). A value with spaces must carry its own double quotes.
        [string[]] $Arguments = @(),
        [int] $TimeoutSeconds = 120
    )
    $dll = Get-FakesAssembly
    $stdout = [System.IO.Path]::GetTempFileName()
    $stderr = [System.IO.Path]::GetTempFileName()
    # One argument string with explicit quotes: Start-Process joins an array without quoting on Windows PowerShell.
    $argumentText = ('"{0}" --service {1} --port 0 {2}' -f $dll, $Service, ($Arguments -join ' ')).TrimEnd()
    $process = Start-Process -FilePath 'dotnet' -ArgumentList $argumentText -RedirectStandardOutput $stdout -RedirectStandardError $stderr -NoNewWindow -PassThru

    $deadline = (Get-Date).AddSeconds($TimeoutSeconds)
    $text = ''
    while ($true) {
        Start-Sleep -Milliseconds 200
        $text = Get-Content -LiteralPath $stdout -Raw -ErrorAction SilentlyContinue
        if ($text -match 'Press Ctrl\+C') { break }
        if ($process.HasExited -or (Get-Date) -gt $deadline) {
            $errors = Get-Content -LiteralPath $stderr -Raw -ErrorAction SilentlyContinue
            if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue }
            throw "The $Service fake did not start.`n$text`n$errors"
        }
    }

    $values = @{}
    foreach ($line in ($text -split "`r?`n")) {
        # "  label            value": the fakes pad each label to 16 characters.
        if ($line -match '^  (\S.{15}) (\S+)') { $values[$Matches[1].TrimEnd()] = $Matches[2] }
    }
    $baseUrl = $values['base URL']
    if (-not $baseUrl.EndsWith('/')) { $baseUrl += '/' }
    [pscustomobject]@{
        Service    = $Service
        Process    = $process
        BaseUrl    = $baseUrl
        Text       = $text
        Values     = $values
        OutputFile = $stdout
        ErrorFile  = $stderr
    }
}

function Stop-Fake {
    [CmdletBinding()]
    param([Parameter(Position = 0)] $Fake)
    if ($null -eq $Fake) { return }
    if (-not $Fake.Process.HasExited) {
        Stop-Process -Id $Fake.Process.Id -Force -ErrorAction SilentlyContinue
        $null = $Fake.Process.WaitForExit(10000)
    }
    Remove-Item -LiteralPath $Fake.OutputFile, $Fake.ErrorFile -Force -ErrorAction SilentlyContinue
}

function Start-NotionFake {
    <#
        The Notion fake without a rate limit. -SeedDemo adds its demo "Customer Sites" database (DatabaseId,
        DataSourceId); -WorkspaceDirectory seeds the seven OberaConnect databases and writes a configuration for them
        there (ConfigPath).
    #>
    [CmdletBinding()]
    param(
        # The integration token the fake accepts; random by default.
        [string] $Token = ('ntn_pester' + [guid]::NewGuid().ToString('N')),
        [switch] $SeedDemo,
        [string] $WorkspaceDirectory,
        # Answer 429 past this many requests a second (burst 1), as Notion does past 3; no limit when 0.
        [double] $RateLimit = 0,
        [int] $TimeoutSeconds = 120
    )
    $limit = if ($RateLimit -gt 0) { @('--rate', $RateLimit.ToString([cultureinfo]::InvariantCulture), '--burst', '1') } else { @('--no-rate-limit') }
    $arguments = @($limit) + @('--token', $Token)
    if ($SeedDemo) { $arguments += '--seed-demo' }
    $configPath = $null
    if ($WorkspaceDirectory) {
        $null = New-Item -ItemType Directory -Path $WorkspaceDirectory -Force
        $configPath = Join-Path $WorkspaceDirectory ('oberaconnect-' + [guid]::NewGuid().ToString('N') + '.json')
        $arguments += '--seed-workspace', '--write-config', "`"$configPath`""
    }
    $fake = Start-Fake -Service notion -Arguments $arguments -TimeoutSeconds $TimeoutSeconds
    $demo = [regex]::Match($fake.Text, 'demo database\s+(\S+) \(data source (\S+)\)')
    $fake | Add-Member -NotePropertyMembers @{
        Token          = $Token
        RootPageId     = $fake.Values['root page id']
        UnsharedPageId = $fake.Values['unshared page id']
        DatabaseId     = if ($demo.Success) { $demo.Groups[1].Value } else { $null }
        DataSourceId   = if ($demo.Success) { $demo.Groups[2].Value } else { $null }
        ConfigPath     = $configPath
    } -PassThru
}

function Stop-NotionFake {
    [CmdletBinding()]
    param([Parameter(Position = 0)] $Fake)
    Stop-Fake $Fake
}

function Start-SourceFake {
    <# The UniFi or NinjaOne fake serving the Sample of --sites and --day (options as for Start-Fake). #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateSet('unifi', 'ninjaone')] [string] $Service,
        [string[]] $Arguments = @(),
        [int] $TimeoutSeconds = 120
    )
    Start-Fake -Service $Service -Arguments $Arguments -TimeoutSeconds $TimeoutSeconds
}

function Stop-SourceFake {
    [CmdletBinding()]
    param([Parameter(Position = 0)] $Fake)
    Stop-Fake $Fake
}

function Start-OberaNotionFake {
    <# The Notion fake with the OberaConnect workspace seeded and a configuration for it; the token in OBERACONNECT_NOTION_TOKEN. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $Directory, [double] $RateLimit = 0)
    $fake = Start-NotionFake -Token ('ntn_fake_pester_' + [guid]::NewGuid().ToString('N')) -WorkspaceDirectory $Directory -RateLimit $RateLimit
    $fake | Add-Member -NotePropertyName PreviousToken -NotePropertyValue $env:OBERACONNECT_NOTION_TOKEN
    $env:OBERACONNECT_NOTION_TOKEN = $fake.Token
    $fake
}

function Stop-OberaNotionFake {
    [CmdletBinding()]
    param([Parameter(Mandatory, Position = 0)] $Fake)
    if ($null -eq $Fake) { return }
    Stop-Fake $Fake
    $env:OBERACONNECT_NOTION_TOKEN = $Fake.PreviousToken
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

function ConvertTo-NotionText {
    <# Notion's rich text array for a plain string (kept an array when returned: the caller puts it in a body). #>
    param([string] $Value)
    , @(@{ type = 'text'; text = @{ content = $Value } })
}

function New-FakePage {
    <# A page under another page (Notion's POST /v1/pages); returns its id. #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Fake, [Parameter(Mandatory)] [string] $ParentPageId, [Parameter(Mandatory)] [string] $Title)
    $body = @{
        parent     = @{ type = 'page_id'; page_id = $ParentPageId }
        properties = @{ title = @{ title = (ConvertTo-NotionText $Title) } }
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

function Invoke-NotionFakeQuery {
    <# The pages of one database of the fake (by its name in the configuration, or -DataSourceId), read over its REST API. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Fake,
        [string] $Database,
        [string] $DataSourceId
    )
    if (-not $DataSourceId) {
        $config = Get-Content -LiteralPath $Fake.ConfigPath -Raw | ConvertFrom-Json
        $DataSourceId = $config.databases.$Database.dataSourceId
    }
    $pages = @()
    $body = @{ page_size = 100 }
    do {
        $answer = Invoke-NotionFake -Fake $Fake -Method Post -Path "v1/data_sources/$DataSourceId/query" -Body $body
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

function Get-TestPowerShell {
    <#
        The PowerShell that runs this suite, as a program a child process can start: $PSHOME's pwsh on PowerShell 7
        (under the .NET tool the process itself is dotnet, so never the process path), powershell.exe on 5.1.
    #>
    if ($PSVersionTable.PSEdition -eq 'Desktop') { return (Join-Path $PSHOME 'powershell.exe') }
    $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    $path = Join-Path $PSHOME $name
    if (-not (Test-Path -LiteralPath $path)) { throw "No $name in `$PSHOME ($PSHOME): the suite cannot start a child PowerShell." }
    $path
}

function Invoke-JobScript {
    <# Runs a job script of the module in a fresh PowerShell, as Task Scheduler or NinjaOne would; returns its exit code and output. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $ModuleDirectory,
        [Parameter(Mandatory)] [string] $Script,
        [string[]] $Arguments = @(),
        [hashtable] $Environment = @{}
    )
    $saved = Save-EnvironmentVariable -Name @($Environment.Keys)
    foreach ($key in $Environment.Keys) { [Environment]::SetEnvironmentVariable($key, $Environment[$key]) }
    try {
        $output = & (Get-TestPowerShell) -NoProfile -NonInteractive -ExecutionPolicy Bypass -File (Join-Path $ModuleDirectory "Scripts/$Script") @Arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }
    finally {
        Restore-EnvironmentVariable -Saved $saved
    }
}
