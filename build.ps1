#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates the OberaConnect module.

.DESCRIPTION
    Every task wraps dotnet commands. The repository restores what the tasks need itself: PowerShell is a local
    .NET tool (.config/dotnet-tools.json) and Pester a pinned NuGet package (build/Tools/Tools.csproj), so on a
    machine with only the .NET 10 SDK:

        dotnet tool restore
        dotnet pwsh ./build.ps1 -Task Test

      Build    dotnet build src/OberaConnect.PowerShell -c <Configuration>
               lays the module out in out/OberaConnect/ and fails when a named file is missing
               (build/ModuleFiles.props). Import it with Import-Module ./out/OberaConnect/OberaConnect.psd1.
      Test     dotnet test OberaConnect.PowerShell.sln -c <Configuration> (xUnit), then the whole Pester suite in
               tests/Pester in a fresh `pwsh -NoProfile` (and a fresh `powershell.exe -NoProfile` where it exists)
               with the module imported by path. Pester is the installed Pester 5 or, when there is none, the pinned
               one restored from NuGet into out/tools/Modules. On Linux it first runs .ci/services (the PostgreSQL
               server some tests need). Results: out/TestResults (xUnit .trx, Pester NUnit XML). The last line
               counts both: "Tests: N passed, N failed, N skipped"; the task fails when any test failed or none ran.
      Package  dotnet pack build/Package/OberaConnect.Package.csproj -c <Configuration>
               out/OberaConnect.<version>.nupkg, installable with Install-PSResource / Install-Module
               from a local repository (Register-PSResourceRepository -Name Local -Uri <folder>).
      Demo     builds, starts the Notion fake on a local port, imports the module in a fresh PowerShell and
               runs the main job against it with the Sample source: initialize the workspace, sync customer
               status, add today's snapshots, write a config change, find duplicates, print the results.

.EXAMPLE
    dotnet tool restore; dotnet pwsh ./build.ps1 -Task Demo

.EXAMPLE
    ./build.ps1 -Task Build, Test

.EXAMPLE
    ./build.ps1 -Task Pester -PesterPath tests/Pester/Sync.Tests.ps1

    Only the Pester suite (or some of its files), after building the module and the fakes: for working on a cmdlet.

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Demo')]
    [string[]] $Task = @('Build'),

    # With -Task Pester: the Pester files or folders to run (default: the whole suite).
    [string[]] $PesterPath = @(),

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
    & dotnet @Arguments | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Invoke-Dotnet build (Join-Path $Root 'src/OberaConnect.PowerShell/OberaConnect.PowerShell.csproj') -c $Configuration
    if (-not (Test-Path -LiteralPath $ManifestPath)) { throw "The build did not lay the module out in $ModuleDirectory." }
}

function Get-ChildPowerShell {
    <#
        The PowerShells a fresh child process can be started in, this edition first: on PowerShell 7 the pwsh of
        $PSHOME (under the .NET tool the process itself is dotnet, so never the process path), else pwsh on PATH;
        and powershell.exe where Windows PowerShell exists.
    #>
    $shells = @()
    $core = $null
    if ($PSVersionTable.PSEdition -eq 'Core') {
        $core = Join-Path $PSHOME $(if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' })
        if (-not (Test-Path -LiteralPath $core)) { $core = $null }
    }
    if (-not $core) { $core = (Get-Command -Name pwsh -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source }
    if ($core) { $shells += [pscustomobject]@{ Edition = 'PowerShell 7'; Path = $core } }
    # $IsWindows does not exist in Windows PowerShell: test the edition first.
    if ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) {
        $desktop = (Get-Command -Name powershell.exe -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
        if ($desktop) { $shells += [pscustomobject]@{ Edition = 'Windows PowerShell 5.1'; Path = $desktop } }
    }
    $shells
}

function Get-TrxCount {
    <# Passed, failed and skipped tests over the .trx files of one dotnet test run. #>
    param([string] $Directory)
    $count = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($file in Get-ChildItem -LiteralPath $Directory -Filter *.trx -Recurse -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content -LiteralPath $file.FullName -Raw)).TestRun.ResultSummary.Counters
        $count.Passed += [int]$counters.passed
        $count.Failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $count.Skipped += [int]$counters.notExecuted
    }
    $count
}

function Invoke-PesterIn {
    <# Runs the whole Pester suite in a fresh PowerShell without a profile; returns its counts. #>
    param([string] $Shell, [string] $Edition, [string] $ResultsDirectory, [string[]] $TestPath)
    $summaryPath = Join-Path $ResultsDirectory ("pester-$($Edition -replace '\W', '')" + '.json')
    $script = {
        param($TestPath, $ModuleManifest, $ToolModules, $ResultPath, $SummaryPath)
        $ErrorActionPreference = 'Stop'
        $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0.0' -and $_.Version -lt [version]'6.0.0' } |
            Sort-Object Version -Descending | Select-Object -First 1
        if (-not $pester) {
            # No Pester 5 installed: the pinned one build/Tools/Tools.csproj restored from NuGet.
            $env:PSModulePath = $ToolModules + [System.IO.Path]::PathSeparator + $env:PSModulePath
            $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version -ge [version]'5.0.0' -and $_.Version -lt [version]'6.0.0' } |
                Sort-Object Version -Descending | Select-Object -First 1
        }
        if (-not $pester) { throw "Pester 5 was neither installed nor restored into $ToolModules." }
        Import-Module $pester
        $env:OBERACONNECT_MODULE_MANIFEST = $ModuleManifest
        $configuration = New-PesterConfiguration
        $configuration.Run.Path = $TestPath
        $configuration.Run.PassThru = $true
        $configuration.Output.Verbosity = 'Detailed'
        $configuration.TestResult.Enabled = $true
        $configuration.TestResult.OutputFormat = 'NUnitXml'
        $configuration.TestResult.OutputPath = $ResultPath
        $result = Invoke-Pester -Configuration $configuration
        # A file that fails before its tests run (discovery, BeforeAll) counts as one failure more; tests not run are skipped.
        $summary = [ordered]@{
            Pester  = "$($pester.Version)"
            Passed  = $result.PassedCount
            Failed  = $result.FailedCount + $result.FailedContainersCount
            Skipped = $result.SkippedCount + $result.NotRunCount
        }
        [System.IO.File]::WriteAllText($SummaryPath, ($summary | ConvertTo-Json))
        exit 0
    }
    Write-Host "Pester on $Edition ($Shell)" -ForegroundColor Cyan
    Remove-Item -LiteralPath $summaryPath -Force -ErrorAction SilentlyContinue
    # The child's output is shown, never returned: this function returns only the counts.
    & $Shell -NoProfile -NonInteractive -Command $script -args $TestPath, $ManifestPath, (Join-Path $Root 'out/tools/Modules'),
        ($summaryPath -replace '\.json$', '.xml'), $summaryPath | Out-Host
    if (-not (Test-Path -LiteralPath $summaryPath)) {
        Write-Host "Pester on $Edition did not finish (exit code $LASTEXITCODE)." -ForegroundColor Red
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    $summary = Get-Content -LiteralPath $summaryPath -Raw | ConvertFrom-Json
    Write-Host "Pester $($summary.Pester) on $Edition`: $($summary.Passed) passed, $($summary.Failed) failed, $($summary.Skipped) skipped" -ForegroundColor Cyan
    $summary
}

function Initialize-TestRun {
    <# A fresh results folder, the PostgreSQL server of the two-way sync tests on Linux, and the pinned Pester. #>
    $results = Join-Path $Root 'out/TestResults'
    Remove-Item -LiteralPath $results -Recurse -Force -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory -Path $results -Force
    # .ci/services installs and starts it on Debian/Ubuntu, and returns at once when it runs.
    $services = Join-Path $Root '.ci/services'
    if (-not ($PSVersionTable.PSEdition -eq 'Desktop' -or $IsWindows) -and (Test-Path -LiteralPath $services) -and -not $env:OBERACONNECT_TEST_POSTGRES) {
        & bash $services | Out-Host
        if ($LASTEXITCODE -ne 0) { throw ".ci/services failed with exit code $LASTEXITCODE (it starts the PostgreSQL server the tests need)." }
    }
    Invoke-Dotnet build (Join-Path $Root 'build/Tools/Tools.csproj') -c $Configuration --nologo --verbosity quiet
    $results
}

function Invoke-XunitTests {
    param([string] $ResultsDirectory)
    $xunitResults = Join-Path $ResultsDirectory 'xunit'
    Write-Host "dotnet test OberaConnect.PowerShell.sln -c $Configuration" -ForegroundColor Cyan
    & dotnet test (Join-Path $Root 'OberaConnect.PowerShell.sln') -c $Configuration --logger 'trx;LogFilePrefix=xunit' --results-directory $xunitResults | Out-Host
    $testExit = $LASTEXITCODE
    $xunit = Get-TrxCount -Directory $xunitResults
    if ($testExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1; Write-Host "dotnet test failed with exit code $testExit before reporting a failed test (build error?)." -ForegroundColor Red }
    Write-Host "xUnit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped" -ForegroundColor Cyan
    $xunit
}

function Invoke-PesterTests {
    <# The Pester suite (or -PesterPath) in a fresh PowerShell of each edition there is, against the fakes the build made. #>
    param([string] $ResultsDirectory, [string[]] $TestPath)
    if (-not $TestPath) { $TestPath = @(Join-Path $Root 'tests/Pester') }
    # The suite's fakes are the ones the solution build made: no test file builds them again.
    $env:OBERACONNECT_FAKES_DLL = Join-Path $Root "tests/OberaConnect.Fakes/bin/$Configuration/net10.0/OberaConnect.Fakes.dll"
    $shells = @(Get-ChildPowerShell)
    if ($shells.Count -eq 0) { throw 'No PowerShell to run the Pester suite in: run `dotnet tool restore` and then `dotnet pwsh ./build.ps1 -Task Test`.' }
    foreach ($shell in $shells) { Invoke-PesterIn -Shell $shell.Path -Edition $shell.Edition -ResultsDirectory $ResultsDirectory -TestPath $TestPath }
}

function Write-TestTotal {
    <# The closing line over every runner, and the task's verdict. #>
    param([object[]] $Counts, [string] $ResultsDirectory)
    $total = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($c in $Counts) { $total.Passed += $c.Passed; $total.Failed += $c.Failed; $total.Skipped += $c.Skipped }
    Write-Host "Tests: $($total.Passed) passed, $($total.Failed) failed, $($total.Skipped) skipped"
    if ($total.Failed -gt 0) { throw "$($total.Failed) test(s) failed (results in $ResultsDirectory)." }
    if ($total.Passed -eq 0) { throw 'No test ran.' }
}

function Invoke-TestTask {
    $results = Initialize-TestRun
    $counts = @(Invoke-XunitTests -ResultsDirectory $results)
    $counts += Invoke-PesterTests -ResultsDirectory $results
    Write-TestTotal -Counts $counts -ResultsDirectory $results
}

function Invoke-PesterTask {
    $results = Initialize-TestRun
    Invoke-Dotnet build (Join-Path $Root 'OberaConnect.PowerShell.sln') -c $Configuration --nologo --verbosity quiet
    # `pwsh -File build.ps1 -PesterPath a,b` passes one string: split it as PowerShell would have.
    $paths = @($PesterPath | ForEach-Object { $_ -split ',' } | Where-Object { $_ } | ForEach-Object { (Resolve-Path -LiteralPath $_.Trim()).ProviderPath })
    Write-TestTotal -Counts @(Invoke-PesterTests -ResultsDirectory $results -TestPath $paths) -ResultsDirectory $results
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
    . (Join-Path $Root 'tests/Pester/Fakes.ps1')
    $fake = Start-NotionFake
    $work = Join-Path ([System.IO.Path]::GetTempPath()) ('oberaconnect-demo-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $work | Out-Null
    try {
        Write-Host "Notion fake listening on $($fake.BaseUrl)" -ForegroundColor Cyan
        $configPath = Join-Path $work 'config.json'
        @{ notion = @{ baseUrl = $fake.BaseUrl }; paths = @{ logDirectory = (Join-Path $work 'logs'); journalDirectory = (Join-Path $work 'journal'); auditDirectory = (Join-Path $work 'audit'); stateDirectory = (Join-Path $work 'state') } } |
            ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $configPath -Encoding utf8
        $shell = @(Get-ChildPowerShell)[0]
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
            $results += Write-ConfigChange -Site $site -Tool 'build.ps1 demo' -Action 'Set VLAN 20 on the core switch' -Engineer ([Environment]::UserName) -Details 'Demo entry' -ErrorVariable +itemErrors -ErrorAction Continue
            $results | Group-Object Database, Status | Sort-Object Name | Format-Table Count, Name
            Get-NotionDuplicate -Database CustomerSites | Format-Table
            Get-CustomerStatus -RiskLevel Critical | Select-Object -First 5 | Format-Table
            $outcome = $results | Get-OberaConnectExitCode -ItemError $itemErrors
            exit $outcome.Code
        }
        & $shell.Path -NoProfile -NonInteractive -Command $demo -args $ManifestPath, $configPath, $fake.Token, $fake.RootPageId
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
        'Pester' { Invoke-PesterTask }
        'Package' { Invoke-PackageTask }
        'Demo' { Invoke-DemoTask }
    }
}
