#Requires -Version 5.1
<#
.SYNOPSIS
    Runs one OberaConnect job unattended, logs it, and exits with the code of about_OberaConnect_Unattended.

.DESCRIPTION
    The job script for Task Scheduler. Copy it to a fixed place and register it with
    Register-OberaConnectScheduledTask, which starts it as

        pwsh.exe -NoProfile -NonInteractive -ExecutionPolicy Bypass -File C:\OberaConnect\Invoke-OberaConnectJob.ps1 -Job <cmdlet>

    It runs the same under Windows PowerShell 5.1 (powershell.exe, same arguments).

    The job is one cmdlet of the OberaConnect module, with parameters from an optional .psd1 file. Records that
    fail are logged one by one and the run goes on; the exit code then says what happened:
    0 success, 1 some records failed, 2 configuration or credential error, 3 a component unhealthy, 4 unexpected.
    It never prompts.

.PARAMETER Job
    The OberaConnect cmdlet to run, for example Sync-CustomerStatus.

.PARAMETER ParameterFile
    A .psd1 file holding a hashtable of the job cmdlet's parameters, for example @{ ConfigPath = 'C:\OberaConnect\config.json'; Summary = $true }.

.PARAMETER ModulePath
    The module to import: its name (installed module) or the full path of OberaConnect.psd1.

.PARAMETER LogDirectory
    Where the per-run transcript goes. Default: %ProgramData%\OberaConnect\Logs.

.PARAMETER KeepLogDays
    Transcripts older than this many days are deleted at the start of a run.

.PARAMETER SkipHealthCheck
    Runs the job without the health check before it. By default a job that uses the configuration (a cmdlet with a
    -ConfigPath parameter) first runs Test-OberaConnectHealth with the same -ConfigPath: when a required component
    (configuration, Notion token, a database or its schema) is unhealthy the job is not started and the run exits 2
    (fix the setup) or 3 (a service is down); when only an optional one is (Key Vault, UniFi, NinjaOne) the job runs
    and the run exits at least 3, so a partial outage is never reported as success.

.EXAMPLE
    pwsh.exe -NoProfile -NonInteractive -File C:\OberaConnect\Invoke-OberaConnectJob.ps1 -Job Sync-CustomerStatus -ParameterFile C:\OberaConnect\sync.psd1

.EXAMPLE
    pwsh.exe -NoProfile -NonInteractive -File C:\OberaConnect\Invoke-OberaConnectJob.ps1 -Job Export-OberaConnectMetric -ParameterFile C:\OberaConnect\metrics.psd1

    Writes the health metrics for the textfile collector (metrics.psd1: @{ Path = 'C:\Program Files\windows_exporter\textfile_inputs\oberaconnect.prom' })
    and exits 0, 2 or 3 from the health check.
#>
[CmdletBinding()]
param(
    # No default: a scheduled task names its job (for example Sync-CustomerStatus); none given exits 2.
    [string] $Job = '',
    [string] $ParameterFile = '',
    [string] $ModulePath = 'OberaConnect',
    [string] $LogDirectory = (Join-Path ([Environment]::GetFolderPath('CommonApplicationData')) 'OberaConnect\Logs'),
    [ValidateRange(1, 3650)]
    [int] $KeepLogDays = 30,
    [switch] $SkipHealthCheck
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# -WhatIf/-Confirm prompts are impossible here: never ask.
$ConfirmPreference = 'None'

# Codes used before the module (and Get-OberaConnectExitCode) is loaded; see about_OberaConnect_Unattended.
$ConfigurationError = 2
$Unexpected = 4

function Write-Log([string] $Message) {
    Write-Host ('{0:yyyy-MM-dd HH:mm:ss}Z {1}' -f [DateTime]::UtcNow, $Message)
}

$exitCode = $Unexpected
$transcript = $false
try {
    if (-not (Test-Path -LiteralPath $LogDirectory)) { $null = New-Item -ItemType Directory -Path $LogDirectory -Force }
    Get-ChildItem -LiteralPath $LogDirectory -Filter 'OberaConnectJob-*.log' -ErrorAction SilentlyContinue |
        Where-Object LastWriteTime -lt (Get-Date).AddDays(-$KeepLogDays) |
        Remove-Item -Force -ErrorAction SilentlyContinue
    $logFile = Join-Path $LogDirectory ('OberaConnectJob-{0:yyyyMMdd-HHmmss}-{1}.log' -f [DateTime]::UtcNow, $PID)
    $null = Start-Transcript -LiteralPath $logFile -Force
    $transcript = $true
}
catch {
    Write-Log "WARNING no transcript in ${LogDirectory}: $($_.Exception.Message)"
}

function Invoke-Job {
    Write-Log "START job '$Job' on PowerShell $($PSVersionTable.PSVersion) ($($PSVersionTable.PSEdition)) as $([Environment]::UserName)"
    try {
        Import-Module $ModulePath -ErrorAction Stop
    }
    catch {
        Write-Log "ERROR cannot import the module '$ModulePath': $($_.Exception.Message)"
        return $ConfigurationError
    }
    if (-not $Job) {
        Write-Log 'ERROR no job given: pass -Job with the name of an OberaConnect cmdlet.'
        return $ConfigurationError
    }
    $command = Get-Command -Name $Job -Module OberaConnect -CommandType Cmdlet -ErrorAction SilentlyContinue
    if (-not $command) {
        Write-Log "ERROR '$Job' is not a cmdlet of the OberaConnect module."
        return $ConfigurationError
    }
    $parameters = @{}
    if ($ParameterFile) {
        try { $parameters = Import-PowerShellDataFile -LiteralPath $ParameterFile }
        catch {
            Write-Log "ERROR cannot read the parameter file '$ParameterFile': $($_.Exception.Message)"
            return $ConfigurationError
        }
    }

    # Jobs that use the configuration are preceded by the health check (unless it is the job itself).
    $health = $null
    $isHealthJob = $command.Name -in @('Test-OberaConnectHealth', 'Export-OberaConnectMetric')
    if (-not $SkipHealthCheck -and -not $isHealthJob -and $command.Parameters.ContainsKey('ConfigPath')) {
        $healthParameters = @{}
        if ($parameters.ContainsKey('ConfigPath')) { $healthParameters['ConfigPath'] = $parameters['ConfigPath'] }
        try {
            $components = @(Test-OberaConnectHealth @healthParameters -ErrorAction Stop)
            $health = $components | Get-OberaConnectExitCode
        }
        catch {
            Write-Log "ERROR health check [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)"
            $components = @()
            $health = Get-OberaConnectExitCode -Exception $_.Exception
        }
        foreach ($component in $components) {
            if ("$($component.Status)" -ne 'Healthy') {
                Write-Log "HEALTH $($component.Component) $($component.Status) [$($component.ErrorId)]: $($component.Reason)"
            }
        }
        $blocking = @($components | Where-Object { "$($_.Status)" -eq 'Unhealthy' -and "$($_.Importance)" -eq 'Required' })
        if ($health.Code -ne 0 -and ($blocking.Count -gt 0 -or $components.Count -eq 0)) {
            Write-Log "SKIPPED job '$Job': required component(s) unhealthy: $(($blocking | ForEach-Object { $_.Component }) -join ', ')"
            Write-Log "DONE $health"
            return $health.Code
        }
    }

    $itemErrors = @()
    try {
        # A failed record is a non-terminating error: collect it and let the run go on.
        $results = & $command @parameters -ErrorVariable itemErrors -ErrorAction Continue
        $outcome = $results | Get-OberaConnectExitCode -ItemError $itemErrors
    }
    catch {
        Write-Log "ERROR [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)"
        $outcome = Get-OberaConnectExitCode -ItemError $itemErrors -Exception $_.Exception
    }
    foreach ($failure in $itemErrors) {
        Write-Log "RECORD FAILED [$($failure.FullyQualifiedErrorId)] $($failure.TargetObject): $($failure.Exception.Message)"
    }
    # An optional component down (UniFi, NinjaOne, Key Vault) while the job itself succeeded is still exit 3.
    if ($null -ne $health) { $outcome = @($health, $outcome) | Get-OberaConnectExitCode }
    Write-Log "DONE $outcome"
    return $outcome.Code
}

try {
    $exitCode = Invoke-Job
}
catch {
    Write-Log "UNEXPECTED $($_.Exception.GetType().FullName): $($_.Exception.Message)"
    Write-Log $_.ScriptStackTrace
    $exitCode = $Unexpected
}
finally {
    if ($transcript) { $null = Stop-Transcript }
}
exit $exitCode
