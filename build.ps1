#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates the OberaConnect module.

.DESCRIPTION
    Every task wraps the dotnet commands that also work without PowerShell (see README):

      Build    dotnet build src/OberaConnect.PowerShell -c <Configuration>
               lays the module out in out/OberaConnect/ and fails when a named file is missing
               (build/ModuleFiles.props). Import it with Import-Module ./out/OberaConnect/OberaConnect.psd1.
      Test     dotnet test OberaConnect.PowerShell.sln -c <Configuration>   (xUnit, no PowerShell needed)
               then the Pester suite tests/Pester in a fresh `pwsh -NoProfile` (and, on Windows, a fresh
               `powershell.exe -NoProfile`) with the module imported by path. Pester is skipped, with a
               message, when that PowerShell or Pester 5 is missing.
      Package  dotnet pack build/Package/OberaConnect.Package.csproj -c <Configuration>
               out/OberaConnect.<version>.nupkg, installable with Install-PSResource / Install-Module
               from a local repository (Register-PSResourceRepository -Name Local -Uri <folder>).
      Demo     builds, starts the Notion fake on a local port, imports the module in a fresh pwsh and
               runs the main job against the fake.

.EXAMPLE
    ./build.ps1 -Task Build, Test

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Port of the Notion fake for the Demo task (0: pick a free one).
    [ValidateRange(0, 65535)]
    [int] $FakePort = 0
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$Root = $PSScriptRoot
$ModuleDirectory = Join-Path $Root 'out/OberaConnect'
$ManifestPath = Join-Path $ModuleDirectory 'OberaConnect.psd1'

function Invoke-Dotnet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')" -ForegroundColor Cyan
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Invoke-Dotnet build (Join-Path $Root 'src/OberaConnect.PowerShell/OberaConnect.PowerShell.csproj') -c $Configuration
    if (-not (Test-Path -LiteralPath $ManifestPath)) { throw "The build did not lay the module out in $ModuleDirectory." }
}

function Invoke-PesterIn {
    param([string] $Executable, [string] $Edition)
    $shell = Get-Command -Name $Executable -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $shell) {
        Write-Warning "Pester tests skipped on $Edition`: $Executable was not found."
        return
    }
    # A fresh process without a profile: the module is imported by path there, never from this session.
    $script = {
        param($TestPath, $ModuleManifest)
        $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0.0' } | Sort-Object Version -Descending | Select-Object -First 1
        if (-not $pester) {
            Write-Warning "Pester tests skipped on $($PSVersionTable.PSEdition): Pester 5 is not installed (Install-PSResource Pester)."
            exit 0
        }
        Import-Module $pester
        $env:OBERACONNECT_MODULE_MANIFEST = $ModuleManifest
        $configuration = New-PesterConfiguration
        $configuration.Run.Path = $TestPath
        $configuration.Run.Exit = $true
        $configuration.Output.Verbosity = 'Detailed'
        Invoke-Pester -Configuration $configuration
    }
    Write-Host "Pester on $Edition ($($shell.Source))" -ForegroundColor Cyan
    & $shell.Source -NoProfile -NonInteractive -Command $script -args (Join-Path $Root 'tests/Pester'), $ManifestPath
    if ($LASTEXITCODE -ne 0) { throw "Pester tests failed on $Edition (exit code $LASTEXITCODE)." }
}

function Invoke-TestTask {
    Invoke-Dotnet test (Join-Path $Root 'OberaConnect.PowerShell.sln') -c $Configuration
    Invoke-PesterIn -Executable 'pwsh' -Edition 'PowerShell 7'
    # $IsWindows does not exist in Windows PowerShell: test the edition first.
    if ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) {
        Invoke-PesterIn -Executable 'powershell.exe' -Edition 'Windows PowerShell 5.1'
    }
}

function Invoke-PackageTask {
    Invoke-Dotnet pack (Join-Path $Root 'build/Package/OberaConnect.Package.csproj') -c $Configuration
    $manifest = Import-PowerShellDataFile -LiteralPath $ManifestPath
    $package = Join-Path $Root "out/OberaConnect.$($manifest.ModuleVersion).nupkg"
    if (-not (Test-Path -LiteralPath $package)) { throw "The package $package was not created." }
    Write-Host "Package: $package"
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Wait-TcpPort([int] $Port, [TimeSpan] $Timeout) {
    $deadline = [DateTime]::UtcNow + $Timeout
    while ([DateTime]::UtcNow -lt $deadline) {
        $client = [System.Net.Sockets.TcpClient]::new()
        try { $client.Connect('127.0.0.1', $Port); return } catch { Start-Sleep -Milliseconds 250 } finally { $client.Dispose() }
    }
    throw "The Notion fake did not start listening on 127.0.0.1:$Port within $Timeout."
}

function Invoke-DemoTask {
    Invoke-BuildTask
    $port = if ($FakePort -gt 0) { $FakePort } else { Get-FreeTcpPort }
    # Same as `dotnet run --project tests/OberaConnect.Fakes -- --port <p>`, but started from the built assembly
    # so that the process we stop at the end is the fake itself, not a `dotnet run` parent.
    $fakeProject = Join-Path $Root 'tests/OberaConnect.Fakes/OberaConnect.Fakes.csproj'
    Invoke-Dotnet build $fakeProject -c $Configuration
    $fakeAssembly = Join-Path $Root "tests/OberaConnect.Fakes/bin/$Configuration/net10.0/OberaConnect.Fakes.dll"
    $fake = Start-Process -FilePath 'dotnet' -ArgumentList @($fakeAssembly, '--port', $port) -PassThru -NoNewWindow
    try {
        Wait-TcpPort -Port $port -Timeout ([TimeSpan]::FromSeconds(60))
        Write-Host "Notion fake listening on http://127.0.0.1:$port/" -ForegroundColor Cyan
        $shell = (Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1)
        if (-not $shell) { throw 'The demo needs pwsh (PowerShell 7) on PATH.' }
        $demo = {
            param($ModuleManifest, $NotionBaseUrl)
            $ErrorActionPreference = 'Stop'
            Import-Module $ModuleManifest
            # LEAD: point the module at the fake and run the main job, for example
            #   $env:OBERACONNECT_NOTION_BASE_URL = $NotionBaseUrl
            #   $env:OBERACONNECT_NOTION_TOKEN   = 'secret_demo_token_for_the_fake_only'
            #   Sync-OberaConnectCustomerSite -Verbose | Format-Table
            # and end with the exit-code contract:
            #   $outcome = $results | Get-OberaConnectExitCode -ItemError $itemErrors; exit $outcome.Code
            Get-Command -Module OberaConnect | Format-Table Name, Version
            Write-Warning "Demo: the main job is not wired yet (build.ps1, Invoke-DemoTask). The fake is at $NotionBaseUrl."
        }
        & $shell.Source -NoProfile -NonInteractive -Command $demo -args $ManifestPath, "http://127.0.0.1:$port/"
        if ($LASTEXITCODE -ne 0) { throw "The demo job exited with $LASTEXITCODE (see about_OberaConnect_Unattended)." }
    }
    finally {
        if ($fake -and -not $fake.HasExited) { Stop-Process -Id $fake.Id -Force }
    }
}

foreach ($step in $Task) {
    switch ($step) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Package' { Invoke-PackageTask }
        'Demo' { Invoke-DemoTask }
    }
}
