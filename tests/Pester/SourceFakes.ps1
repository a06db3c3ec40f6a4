<#
    Helpers for Pester tests that need UniFi Site Manager and NinjaOne: run the repository's loopback fakes
    (tests/OberaConnect.Fakes, --service unifi and --service ninjaone) as processes on 127.0.0.1, and read from
    what they print where they listen. Both serve the Sample of the same --sites and --day, so a configuration
    pointing at the two gives the merged view of Get-CustomerSite -Source Sample -SiteCount <n> -Day <d>.
    Dot-source it in BeforeAll:  . (Join-Path $PSScriptRoot 'SourceFakes.ps1')

    Like NotionFake.ps1, the fakes are built once (dotnet build -c Release) and their dll is started directly,
    so stopping a fake is stopping one process. Set OBERACONNECT_FAKES_DLL to a built OberaConnect.Fakes.dll
    to skip the build.
#>

function Get-FakesAssembly {
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

function Start-SourceFake {
    <# Starts the UniFi or NinjaOne fake on a free port; returns its process, base URL and what it printed. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [ValidateSet('unifi', 'ninjaone')] [string] $Service,
        # More options of the fake (see --help), none with spaces: --sites 12, --api-key ..., --client-id ...
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

    $baseUrl = [regex]::Match($text, 'base URL\s+(\S+)').Groups[1].Value
    if (-not $baseUrl.EndsWith('/')) { $baseUrl += '/' }
    [pscustomobject]@{
        Service    = $Service
        Process    = $process
        BaseUrl    = $baseUrl
        Text       = $text
        OutputFile = $stdout
        ErrorFile  = $stderr
    }
}

function Stop-SourceFake {
    [CmdletBinding()]
    param($Fake)
    if ($null -eq $Fake) { return }
    if (-not $Fake.Process.HasExited) {
        Stop-Process -Id $Fake.Process.Id -Force -ErrorAction SilentlyContinue
        $null = $Fake.Process.WaitForExit(10000)
    }
    Remove-Item -LiteralPath $Fake.OutputFile, $Fake.ErrorFile -Force -ErrorAction SilentlyContinue
}
