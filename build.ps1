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
               runs the main job against it with the Sample source: initialize the workspace, sync customer
               status, add today's snapshots, write a config change, find duplicates, print the results.

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
    [string] $Configuration = 'Release'
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



function Invoke-DemoTask {
    # The main job end to end, against the Notion fake with the Sample source: no Notion account needed.
    Invoke-BuildTask
    . (Join-Path $Root 'tests/Pester/NotionFake.ps1')
    $fake = Start-NotionFake
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('oberaconnect-demo-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        Write-Host "Notion fake listening on $($fake.BaseUrl)" -ForegroundColor Cyan
        $configPath = Join-Path $work 'config.json'
        @{ notion = @{ baseUrl = $fake.BaseUrl }; paths = @{ logDirectory = (Join-Path $work 'logs'); journalDirectory = (Join-Path $work 'journal'); auditDirectory = (Join-Path $work 'audit'); stateDirectory = (Join-Path $work 'state') } } |
            ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $configPath -Encoding utf8
        $shell = (Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1)
        if (-not $shell) { $shell = Get-Command -Name powershell -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1 }
        if (-not $shell) { throw 'The demo needs pwsh (or powershell.exe) on PATH; without PowerShell run: dotnet run -c Release --project tests/OberaConnect.Fakes -- --service demo' }
        $demo = {
            param($ModuleManifest, $ConfigPath, $Token, $ParentPageId)
            $ErrorActionPreference = 'Stop'
            Import-Module $ModuleManifest
            $env:OBERACONNECT_CONFIG = $ConfigPath
            $env:NOTION_TOKEN = $Token
            Connect-OberaConnect | Format-List
            Initialize-OberaNotionWorkspace -ParentPageId $ParentPageId | Format-Table
            $itemErrors = @()
            $results = @(Get-CustomerSite -Source Sample | Sync-CustomerStatus -ErrorVariable +itemErrors -ErrorAction Continue)
            $results += Get-CustomerSite -Source Sample | Add-DailyHealthSnapshot -ErrorVariable +itemErrors -ErrorAction Continue
            $site = ($results | Where-Object Database -eq 'CustomerSites' | Select-Object -First 1).Key
            $results += Write-ConfigChange -Site $site -Tool 'build.ps1 demo' -Action 'Set VLAN 20 on the core switch' -Engineer $env:USERNAME -Details 'Demo entry' -ErrorVariable +itemErrors -ErrorAction Continue
            $results | Group-Object Database, Status | Sort-Object Name | Format-Table Count, Name
            Get-NotionDuplicate -Database CustomerSites | Format-Table
            Get-CustomerStatus -RiskLevel Critical | Select-Object -First 5 | Format-Table
            $outcome = $results | Get-OberaConnectExitCode -ItemError $itemErrors
            exit $outcome.Code
        }
        & $shell.Source -NoProfile -NonInteractive -Command $demo -args $ManifestPath, $configPath, $fake.Token, $fake.RootPageId
        if ($LASTEXITCODE -ne 0) { throw "The demo job exited with $LASTEXITCODE (see about_OberaConnect_Unattended)." }
    }
    finally {
        Stop-NotionFake $fake
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
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
